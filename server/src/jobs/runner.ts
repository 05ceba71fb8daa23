// Runs due jobs on every node: polls, claims with a lease, calls the handler for the job's kind,
// deletes it on success and retries it with exponential back-off on failure. A kind may limit its
// attempts: the job that uses them up is kept as dead (visible, never run again) and its kind's
// onDead hook is told, so the owner can show the failure (the webhook delivery log does).
import type { FastifyBaseLogger } from 'fastify';
import type { JobRepo, JobRow } from './repo.js';

/** A handler may ask to run again at a later time instead of being done (a timer that moved). */
export type JobHandler = (
  payload: Record<string, unknown>,
  job: JobRow,
) => Promise<void | { rescheduleAt: number }>;

export interface JobKindOptions {
  /** Attempts before the job is declared dead; unlimited when absent. */
  maxAttempts?: number;
  /**
   * Delay before attempt n + 1 after n failed ones, told the failure (which may name its own wait);
   * the runner's exponential default when absent.
   */
  backoffMs?: (attempts: number, error: unknown) => number;
  /** Called once when the job dies, with the last error. */
  onDead?: (payload: Record<string, unknown>, job: JobRow, error: string) => Promise<void>;
}

export interface JobRunnerOptions {
  pollMs: number;
  batchSize: number;
  leaseMs: number;
  maxBackoffMs: number;
  /** Jobs running at once on this node: a slow webhook receiver must not hold up offer timeouts. */
  maxConcurrent: number;
}

export const DEFAULT_JOB_OPTIONS: JobRunnerOptions = {
  pollMs: 250,
  batchSize: 50,
  leaseMs: 60_000,
  maxBackoffMs: 15 * 60_000,
  maxConcurrent: 50,
};

export class JobRunner {
  private readonly handlers = new Map<string, { handler: JobHandler; options: JobKindOptions }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  /** A poll is under way; a wake-up meanwhile makes the next one start at once. */
  private polling = false;
  private woken = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly repo: JobRepo,
    private readonly log: FastifyBaseLogger,
    private readonly options: JobRunnerOptions = DEFAULT_JOB_OPTIONS,
  ) {}

  register(kind: string, handler: JobHandler, options: JobKindOptions = {}): void {
    this.handlers.set(kind, { handler, options });
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /**
   * Polls now instead of at the next tick: a job someone is waiting on was just committed (a
   * visitor's answer to a bot), and a poll interval is a wait they would feel.
   */
  wake(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.woken = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  /** Stops polling and waits for the jobs under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    await Promise.all(this.inFlight);
  }

  /** Runs what is due now and waits for it; returns how many jobs ran. For tests with a virtual clock. */
  async runDue(now = Date.now()): Promise<number> {
    const jobs = await this.claim(now);
    await Promise.all(jobs.map((job) => this.track(this.runOne(job, now))));
    return jobs.length;
  }

  /** Claims what fits beside the jobs still running and starts it without waiting. */
  private async startDue(): Promise<number> {
    const now = Date.now();
    const jobs = await this.claim(now);
    for (const job of jobs) void this.track(this.runOne(job, now));
    return jobs.length;
  }

  private claim(now: number): Promise<JobRow[]> {
    const room = Math.min(this.options.batchSize, this.options.maxConcurrent - this.inFlight.size);
    if (room <= 0) return Promise.resolve([]);
    return this.repo.claimDue(now, room, this.options.leaseMs);
  }

  private track(run: Promise<void>): Promise<void> {
    const tracked = run.catch((error: unknown) => this.log.error({ err: error }, 'job bookkeeping failed'));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
    return tracked;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.polling = true;
      this.running = this.startDue()
        .catch((error: unknown) => {
          this.log.warn({ err: error }, 'claiming jobs failed');
          return 0;
        })
        .then((count) => {
          this.polling = false;
          const again = this.woken || count === this.options.batchSize;
          this.woken = false;
          this.schedule(again ? 0 : this.options.pollMs);
        });
    }, delay);
  }

  private async runOne(job: JobRow, now: number): Promise<void> {
    const registered = this.handlers.get(job.kind);
    const payload = JSON.parse(job.payload) as Record<string, unknown>;
    try {
      if (!registered) throw new Error(`No handler for job kind "${job.kind}"`);
      const outcome = await registered.handler(payload, job);
      if (outcome) await this.repo.reschedule(job.id, outcome.rescheduleAt);
      else await this.repo.complete(job.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const options = registered?.options ?? {};
      if (options.maxAttempts !== undefined && job.attempts >= options.maxAttempts) {
        this.log.warn({ err: error, jobId: job.id, kind: job.kind, attempts: job.attempts }, 'job died');
        await this.repo.markDead(job.id, now, message);
        await options.onDead?.(payload, job, message).catch((deadError: unknown) => {
          this.log.error({ err: deadError, jobId: job.id, kind: job.kind }, 'onDead hook failed');
        });
        return;
      }
      const backoff = options.backoffMs
        ? options.backoffMs(job.attempts, error)
        : Math.min(this.options.maxBackoffMs, 1000 * 2 ** Math.min(job.attempts, 20));
      this.log.warn(
        { err: error, jobId: job.id, kind: job.kind, attempts: job.attempts },
        'job failed; will retry',
      );
      // The wait counts from the failure, not the claim (a slow attempt must not shorten it).
      await this.repo.retryLater(job.id, Math.max(now, Date.now()) + backoff, message);
    }
  }
}
