// Group commit: writes that arrive while another commit is under way share the next transaction.
// Committing is the expensive part of a small write (WAL frames, PostgreSQL's fsync), so under
// load one commit carries many messages and throughput rises instead of latency. Each write runs
// in a savepoint: one that fails is undone alone and its caller gets its own error; the others'
// callers hear of success only after the shared COMMIT, so an ack still means "on disk".
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type GroupedWrite<T> = (trx: Transaction<Database>) => Promise<T>;

interface Pending {
  work: GroupedWrite<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Work a grouped write leaves for the end of its transaction, merged with the same kind of work
 * of the other writes in the batch: many messages add to the same few counters, and one statement
 * per counter and commit costs a fraction of one per message. A write's share is kept only if the
 * write itself succeeds.
 */
export interface CommitAccumulator {
  /** Takes in another write's share of the same kind. */
  merge(other: this): void;
  /** Applies the whole, in the transaction, just before it commits. */
  flush(trx: Transaction<Database>): Promise<void>;
}

/** The accumulators of one write, or of a whole batch, by kind. */
class Accumulated {
  private readonly byKind = new Map<string, CommitAccumulator>();

  get<A extends CommitAccumulator>(kind: string, create: () => A): A {
    let found = this.byKind.get(kind);
    if (!found) this.byKind.set(kind, (found = create()));
    return found as A;
  }

  absorb(other: Accumulated): void {
    for (const [kind, share] of other.byKind) {
      const mine = this.byKind.get(kind);
      if (mine) mine.merge(share);
      else this.byKind.set(kind, share);
    }
  }

  async flush(trx: Transaction<Database>): Promise<void> {
    for (const accumulator of this.byKind.values()) await accumulator.flush(trx);
  }
}

/** The write running in each grouped transaction now (writes of a batch run one after another). */
const current = new WeakMap<object, Accumulated>();

/**
 * The accumulator of `kind` for the grouped write running in `db`, or null when `db` is not a
 * grouped transaction (then the caller applies its work at once).
 */
export function accumulatorIn<A extends CommitAccumulator>(
  db: object,
  kind: string,
  create: () => A,
): A | null {
  return current.get(db)?.get(kind, create) ?? null;
}

export interface CommitGroupOptions {
  /** Most writes in one transaction: bounds how long one commit holds its row locks. */
  maxBatch: number;
  /** Independent lanes, each with one transaction in flight (1 for SQLite's single connection). */
  lanes: number;
}

/**
 * Writes are grouped per lane, and a key always maps to the same lane. Writes of one conversation
 * share a key, so two transactions in flight never lock the same conversation rows: with lanes
 * chosen by arrival instead, two batches could each hold one conversation the other waits for,
 * and PostgreSQL would break the deadlock by failing a whole batch.
 */
export class CommitGroup {
  private readonly lanes: Lane[];

  constructor(db: Kysely<Database>, options: CommitGroupOptions) {
    this.lanes = Array.from({ length: Math.max(1, options.lanes) }, () => new Lane(db, options.maxBatch));
  }

  /**
   * Runs `work` inside a shared transaction and resolves after it commits. `work` must use only
   * the transaction it is given (on SQLite, the one connection is held for the whole group), and
   * should lock only rows belonging to `key` (the conversation id) or rows no other write locks
   * before them.
   */
  run<T>(key: string, work: GroupedWrite<T>, order: WriteOrder = 'arrival'): Promise<T> {
    return this.lanes[laneOf(key, this.lanes.length)]!.run(work, order);
  }
}

/**
 * `ahead` commits next, before writes that arrived earlier and without them: for work someone is
 * already waiting on (a bot's reply to a visitor), which must not queue behind a burst of new messages.
 * Its callers must be few at a time (bot steps run in a handful of slots), or `arrival` writes
 * would starve.
 */
export type WriteOrder = 'arrival' | 'ahead';

class Lane {
  private readonly ahead: Pending[] = [];
  private readonly queue: Pending[] = [];
  private busy = false;
  private scheduled = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch: number,
  ) {}

  run<T>(work: GroupedWrite<T>, order: WriteOrder): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const pending = { work, resolve: resolve as (value: unknown) => void, reject };
      (order === 'ahead' ? this.ahead : this.queue).push(pending);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.busy || this.ahead.length + this.queue.length === 0) return;
    // A write someone already waits on starts now: during a burst one turn of the event loop can
    // be spent reading hundreds of requests.
    if (this.ahead.length > 0) return this.startBatch();
    if (this.scheduled) return;
    this.scheduled = true;
    // One turn of the event loop lets the writes that arrived together join the same commit.
    setImmediate(() => {
      this.scheduled = false;
      this.startBatch();
    });
  }

  private startBatch(): void {
    if (this.busy) return;
    // Writes someone waits on commit among themselves: a hundred new messages in the same commit
    // would make them wait for all of those too.
    const batch =
      this.ahead.length > 0 ? this.ahead.splice(0, this.maxBatch) : this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    this.busy = true;
    void this.commit(batch).finally(() => {
      this.busy = false;
      this.schedule();
    });
  }

  private async commit(batch: Pending[]): Promise<void> {
    if (batch.length === 1) return this.commitAlone(batch[0]!);
    let outcomes: Outcome[];
    try {
      outcomes = await this.db.transaction().execute(async (trx) => {
        const results: Outcome[] = [];
        const kept = new Accumulated();
        for (const item of batch) {
          const own = new Accumulated();
          current.set(trx, own);
          const outcome = await runInSavepoint(trx, item.work);
          if (outcome.ok) kept.absorb(own);
          results.push(outcome);
        }
        current.delete(trx);
        await kept.flush(trx);
        return results;
      });
    } catch (error) {
      // The transaction itself failed (the commit, or the connection): nothing of it is stored.
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  /** A write with no company (light load) needs no savepoint: its failure undoes only itself anyway. */
  private async commitAlone(item: Pending): Promise<void> {
    try {
      const value = await this.db.transaction().execute(async (trx) => {
        const own = new Accumulated();
        current.set(trx, own);
        const result = await item.work(trx);
        current.delete(trx);
        await own.flush(trx);
        return result;
      });
      item.resolve(value);
    } catch (error) {
      item.reject(error);
    }
  }
}

/** A stable spread of keys over lanes (FNV-1a). */
function laneOf(key: string, lanes: number): number {
  if (lanes === 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}

// Compiled once: two of these run for every write of a batch.
const SAVEPOINT = CompiledQuery.raw('savepoint grouped_write');
const RELEASE = CompiledQuery.raw('release savepoint grouped_write');
const ROLLBACK = CompiledQuery.raw('rollback to savepoint grouped_write');

async function runInSavepoint(trx: Transaction<Database>, work: GroupedWrite<unknown>): Promise<Outcome> {
  await trx.executeQuery(SAVEPOINT);
  try {
    const value = await work(trx);
    await trx.executeQuery(RELEASE);
    return { ok: true, value };
  } catch (error) {
    await trx.executeQuery(ROLLBACK);
    await trx.executeQuery(RELEASE);
    return { ok: false, error };
  }
}
