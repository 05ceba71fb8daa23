// Group commit: writes that arrive while another commit is under way share the next transaction.
// Committing is the expensive part of a small write (WAL frames, PostgreSQL's fsync), so under
// load one commit carries many messages and throughput rises instead of latency. Each write runs
// in a savepoint: one that fails is undone alone and its caller gets its own error; the others'
// callers hear of success only after the shared COMMIT, so an ack still means "on disk".
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export type GroupedWrite<T> = (trx: Transaction<Database>) => Promise<T>;

interface Pending {
  work: GroupedWrite<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export interface CommitGroupOptions {
  /** Most writes in one transaction: bounds how long one commit holds the database. */
  maxBatch: number;
  /** Transactions in flight at once (1 for SQLite's single connection; more for a pool). */
  maxConcurrent: number;
}

export class CommitGroup {
  private readonly queue: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: CommitGroupOptions,
  ) {}

  /**
   * Runs `work` inside a shared transaction and resolves after it commits. `work` must use only
   * the transaction it is given (on SQLite, the one connection is held for the whole group).
   */
  run<T>(work: GroupedWrite<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxConcurrent || this.queue.length === 0) return;
    this.scheduled = true;
    // One turn of the event loop lets the writes that arrived together join the same commit.
    setImmediate(() => {
      this.scheduled = false;
      if (this.inFlight >= this.options.maxConcurrent) return;
      const batch = this.queue.splice(0, this.options.maxBatch);
      if (batch.length === 0) return;
      this.inFlight += 1;
      void this.commit(batch).finally(() => {
        this.inFlight -= 1;
        this.schedule();
      });
    });
  }

  private async commit(batch: Pending[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.db.transaction().execute(async (trx) => {
        const results: Outcome[] = [];
        for (const item of batch) results.push(await runInSavepoint(trx, item.work));
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
}

async function runInSavepoint(trx: Transaction<Database>, work: GroupedWrite<unknown>): Promise<Outcome> {
  await sql`savepoint grouped_write`.execute(trx);
  try {
    const value = await work(trx);
    await sql`release savepoint grouped_write`.execute(trx);
    return { ok: true, value };
  } catch (error) {
    await sql`rollback to savepoint grouped_write`.execute(trx);
    await sql`release savepoint grouped_write`.execute(trx);
    return { ok: false, error };
  }
}
