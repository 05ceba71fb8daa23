// The readers of channels whose inbound this server pulls (IMAP mailboxes, Telegram long polling).
// Every node runs a sweep per reader kind: for each channel the kind wants read it takes or renews
// the channel's lease (reader-repo.ts), so in cluster mode one node at a time holds a channel's
// session, and a node that dies loses it when the lease runs out. A session whose channel changed
// (updated_at), went away or stopped being wanted is ended and its lease given up. Why a lease of
// its own and not a durable job per channel: a session is held for hours, and each would take a
// job runner slot for all that time.
import type { FastifyBaseLogger } from 'fastify';
import { newId } from '../../../storage/ids.js';
import type { ReaderLeaseRepo } from './reader-repo.js';
import type { AccountRow } from './repo.js';

export interface ReaderSession {
  /** Ends the session promptly (an open long poll or IDLE is cut short) and waits for it. */
  stop(): Promise<void>;
}

export interface ReaderKind {
  /** For the logs: "IMAP mailbox", "Telegram polling". */
  name: string;
  /** The channels to read now, as stored (their updated_at tells a changed channel). */
  wanted(): Promise<AccountRow[]>;
  open(row: AccountRow): ReaderSession;
}

export interface ChannelReadersOptions {
  /** How long a node's hold on a channel lasts without renewal; the sweep renews it three times as often. */
  leaseMs: number;
}

export class ChannelReaders {
  /** This process, as a lease owner: a restarted node is a new owner. */
  private readonly owner = newId();
  private readonly sessions = new Map<string, { row: AccountRow; session: ReaderSession }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly kind: ReaderKind,
    private readonly deps: { leases: ReaderLeaseRepo; log: FastifyBaseLogger },
    private readonly options: ChannelReadersOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** A channel was created, changed or removed: look again now rather than at the next sweep. */
  wake(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.schedule(0);
  }

  /** Ends every session and gives its lease up, so another node (or this one restarted) takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.sweeping;
    await Promise.all([...this.sessions.keys()].map((id) => this.endSession(id)));
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const previous = this.sweeping ?? Promise.resolve();
      this.sweeping = previous
        .then(() => this.sweep())
        .catch((error: unknown) => this.deps.log.warn({ err: error }, `${this.kind.name} sweep failed`))
        .finally(() => this.schedule(Math.max(250, Math.floor(this.options.leaseMs / 3))));
    }, delay);
  }

  private async sweep(): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map((await this.kind.wanted()).map((row) => [row.id, row]));
    const { leases } = this.deps;
    for (const [id, held] of this.sessions) {
      const row = wanted.get(id);
      if (!row || row.updated_at !== held.row.updated_at) await this.endSession(id);
      else if (!(await leases.renew(id, this.owner, Date.now(), this.options.leaseMs))) {
        this.deps.log.warn({ accountId: id }, `${this.kind.name} lease lost; another node reads it now`);
        await this.endSession(id, false);
      }
    }
    for (const [id, row] of wanted) {
      if (this.stopped || this.sessions.has(id)) continue;
      if (!(await leases.claim(id, this.owner, Date.now(), this.options.leaseMs))) continue;
      this.sessions.set(id, { row, session: this.kind.open(row) });
    }
  }

  private async endSession(id: string, release = true): Promise<void> {
    const held = this.sessions.get(id);
    this.sessions.delete(id);
    await held?.session.stop();
    if (release) await this.deps.leases.release(id, this.owner);
  }
}

/** The wait before reconnect number `failures` (1, 2, ...): doubling from base, at most max. */
export function readerBackoffMs(failures: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
}

/** A reader's wait (back-off, poll interval) that stop() or news of the channel cuts short. */
export class ReaderPause {
  private wakeUp: (() => void) | undefined;

  /** Sleeps up to `ms`, or until wake(). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  wake(): void {
    this.wakeUp?.();
  }
}
