// Durable jobs: rows with a due time. A job is claimed by setting a lease (locked_until) in one
// conditional statement, so across any number of nodes one claimer wins; a node that dies
// mid-job loses its lease and another node runs the job again (handlers must be idempotent).
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, JobsTable } from '../storage/schema.js';
import type { Engine } from '../storage/database.js';
import { newId } from '../storage/ids.js';

export type JobRow = Selectable<JobsTable>;
type Db = Kysely<Database> | Transaction<Database>;

export interface NewJob {
  /** A known id lets the owner find the job again (a webhook delivery's job has the delivery's id). */
  id?: string;
  workspaceId: string;
  kind: string;
  payload: Record<string, unknown>;
  runAt: number;
}

export class JobRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
  ) {}

  async enqueue(job: NewJob, db: Db = this.db): Promise<string> {
    const id = job.id ?? newId();
    await db
      .insertInto('jobs')
      .values({
        id,
        workspace_id: job.workspaceId,
        kind: job.kind,
        payload: JSON.stringify(job.payload),
        run_at: job.runAt,
        locked_until: null,
        last_error: null,
        created_at: Date.now(),
      })
      .execute();
    return id;
  }

  /** Enqueues a job with a known id unless one with that id is already waiting (one timer per thing). */
  async enqueueOnce(job: NewJob & { id: string }, db: Db = this.db): Promise<void> {
    await db
      .insertInto('jobs')
      .values({
        id: job.id,
        workspace_id: job.workspaceId,
        kind: job.kind,
        payload: JSON.stringify(job.payload),
        run_at: job.runAt,
        locked_until: null,
        last_error: null,
        created_at: Date.now(),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }

  /** The handler asked to run again later (not a failure): a new due time, the lease released. */
  reschedule(id: string, runAt: number): Promise<unknown> {
    return this.db
      .updateTable('jobs')
      .set({ run_at: runAt, locked_until: null, attempts: 0 })
      .where('id', '=', id)
      .execute();
  }

  /** Leases up to `limit` due jobs to this caller until now + leaseMs. */
  async claimDue(now: number, limit: number, leaseMs: number): Promise<JobRow[]> {
    const due = this.db
      .selectFrom('jobs')
      .select('id')
      .where('run_at', '<=', now)
      .where('dead_at', 'is', null)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .orderBy('run_at')
      .limit(limit);
    // PostgreSQL: skip rows another node is claiming right now instead of waiting for them.
    const candidates = this.engine === 'postgres' ? due.forUpdate().skipLocked() : due;
    const claimed = await this.db
      .updateTable('jobs')
      .set((eb) => ({ locked_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', 'in', candidates)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .returningAll()
      .execute();
    // RETURNING follows no order; jobs start in the order they fell due (sends to one chat rely on it).
    return claimed.sort(
      (a, b) => a.run_at - b.run_at || a.created_at - b.created_at || (a.id < b.id ? -1 : 1),
    );
  }

  complete(id: string): Promise<unknown> {
    return this.db.deleteFrom('jobs').where('id', '=', id).execute();
  }

  retryLater(id: string, runAt: number, error: string): Promise<unknown> {
    return this.db
      .updateTable('jobs')
      .set({ run_at: runAt, locked_until: null, last_error: error.slice(0, 2000) })
      .where('id', '=', id)
      .execute();
  }

  /** Out of attempts: kept with its last error for people to see, never claimed again. */
  markDead(id: string, now: number, error: string): Promise<unknown> {
    return this.db
      .updateTable('jobs')
      .set({ dead_at: now, locked_until: null, last_error: error.slice(0, 2000) })
      .where('id', '=', id)
      .execute();
  }

  /** Brings a waiting job forward to run now, or revives a dead one with a fresh count of attempts. */
  async runNow(workspaceId: string, id: string, now: number, db: Db = this.db): Promise<boolean> {
    const result = await db
      .updateTable('jobs')
      .set({ run_at: now, dead_at: null, attempts: 0 })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async hasPending(workspaceId: string, kind: string, db: Db = this.db): Promise<boolean> {
    const row = await db
      .selectFrom('jobs')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', kind)
      .where('dead_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Jobs still to run (dead ones excluded). */
  async countPending(): Promise<number> {
    const row = await this.db
      .selectFrom('jobs')
      .select(sql<number>`count(*)`.as('n'))
      .where('dead_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
