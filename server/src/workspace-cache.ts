// Workspace settings read on every message (who listens to which webhook, which bot flows are
// published, the language settings) but changed only now and then by an admin: each node keeps
// them in memory. The node that commits a change drops its copy at once and tells the others
// (in cluster mode, over the realtime hub's node-to-node events); an age limit bounds how stale a
// copy can get should a notice be lost while Redis reconnects.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './storage/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** How the nodes of a cluster tell each other that a cached value changed. */
export interface CacheNotices {
  send(cache: string, workspaceId: string): void;
  listen(receiver: (cache: string, workspaceId: string) => void): void;
}

/** A lost notice is corrected within this time. */
const DEFAULT_MAX_AGE_MS = 30_000;

interface Entry<T> {
  value: T;
  loadedAt: number;
}

export class WorkspaceCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  /** Bumped by every change, so a read under way when it came is not kept. */
  private readonly generations = new Map<string, number>();

  constructor(
    readonly name: string,
    /** Reads the value; `db` is the caller's transaction when there is one (SQLite has one connection). */
    private readonly load: (workspaceId: string, db: Db | undefined) => Promise<T>,
    private readonly notices: CacheNotices | null,
    private readonly maxAgeMs: number,
  ) {}

  /**
   * A miss reads in the caller's own transaction and is not shared with other callers: a read in
   * someone else's transaction that then failed must not fail theirs.
   */
  async get(workspaceId: string, db?: Db): Promise<T> {
    const now = Date.now();
    const entry = this.entries.get(workspaceId);
    if (entry && now - entry.loadedAt < this.maxAgeMs && now >= entry.loadedAt) return entry.value;
    const generation = this.generations.get(workspaceId) ?? 0;
    const value = await this.load(workspaceId, db);
    if ((this.generations.get(workspaceId) ?? 0) === generation)
      this.entries.set(workspaceId, { value, loadedAt: now });
    return value;
  }

  /** Call after the change committed: this node reads afresh on next use, and so do the others. */
  changed(workspaceId: string): void {
    this.drop(workspaceId);
    this.notices?.send(this.name, workspaceId);
  }

  drop(workspaceId: string): void {
    this.entries.delete(workspaceId);
    this.generations.set(workspaceId, (this.generations.get(workspaceId) ?? 0) + 1);
  }
}

/** The node's caches, by name, so that a notice from another node finds its cache. */
export class WorkspaceCaches {
  private readonly caches = new Map<string, WorkspaceCache<unknown>>();

  constructor(private readonly notices: CacheNotices | null) {
    notices?.listen((cache, workspaceId) => this.caches.get(cache)?.drop(workspaceId));
  }

  create<T>(
    name: string,
    load: (workspaceId: string, db: Db | undefined) => Promise<T>,
    maxAgeMs = DEFAULT_MAX_AGE_MS,
  ): WorkspaceCache<T> {
    if (this.caches.has(name)) throw new Error(`A workspace cache named ${name} exists already`);
    const cache = new WorkspaceCache(name, load, this.notices, maxAgeMs);
    this.caches.set(name, cache as WorkspaceCache<unknown>);
    return cache;
  }
}
