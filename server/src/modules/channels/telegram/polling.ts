// Telegram bots read by long polling, for channels whose `inbound` is "polling" (a server without a
// public HTTPS address). The channel readers (core/readers.ts) give each polled bot to one node at a
// time, by a lease: Telegram itself ends one of two concurrent getUpdates with 409. A session
// deletes the bot's webhook (getUpdates refuses to run beside one), then asks for updates from the
// stored offset, waiting up to POLL_SECONDS for one to come; each batch goes through the same
// inbound path as the webhook (the service's ingest: claimed once by update_id, queued as durable
// jobs) before the offset moves past it, so a crash in between repeats a batch that is then stored
// once, and loses nothing. A failure is shown as the channel's error and retried with back-off.
//
// A channel switched back to a webhook (its polls row still there) gets a session that registers
// the webhook again and drops the row; the lease keeps that to one node too.
import type { FastifyBaseLogger } from 'fastify';
import { ProviderError } from '../core/adapter.js';
import type { ReaderLeaseRepo } from '../core/reader-repo.js';
import { ReaderPause, readerBackoffMs, type ReaderKind, type ReaderSession } from '../core/readers.js';
import type { AccountRow, ChannelRepo } from '../core/repo.js';
import type { ChannelService } from '../core/service.js';
import { deleteWebhook, getUpdates, isPolled, setWebhook } from './adapter.js';
import type { TelegramPollsRepo } from './polls-repo.js';

/** getUpdates' long-poll timeout: Telegram holds the request this long when there is nothing new. */
const POLL_SECONDS = 25;

/** Every error this side records starts so, and only such errors are cleared by a good poll. */
export const POLLING_ERROR_PREFIX = 'Telegram polling: ';

export interface TelegramPollingOptions {
  /** Wait before the first retry after a failure; doubles with each failure after it. */
  retryBaseMs: number;
  retryMaxMs: number;
}

interface PollingDeps {
  channels: ChannelRepo;
  polls: TelegramPollsRepo;
  leases: ReaderLeaseRepo;
  service: ChannelService;
  log: FastifyBaseLogger;
}

/** Polled Telegram channels, and those switched back to a webhook that is not set again yet. */
export function telegramReaderKind(deps: PollingDeps, options: TelegramPollingOptions): ReaderKind {
  const polled = (row: AccountRow) => isPolled(deps.service.context(row));
  return {
    name: 'Telegram polling',
    async wanted() {
      const rows = await deps.channels.enabledAccountsOfKind('telegram');
      const webhookDeleted = await deps.polls.polled();
      return rows.filter((row) => polled(row) || webhookDeleted.has(row.id));
    },
    open: (row) => new TelegramSession(row, polled(row) ? 'poll' : 'restore-webhook', deps, options),
  };
}

/** What the admin sees when polling fails, saying what to do. */
export function describePollingError(error: unknown): string {
  const code = error instanceof ProviderError ? error.details.code : undefined;
  const said = error instanceof Error ? error.message : String(error);
  let text: string;
  if (code === 401 || code === 404)
    text = `Telegram does not accept the bot token (${said}): paste the token @BotFather gave for this bot`;
  else if (code === 409 && /webhook/i.test(said))
    text = `a webhook was set for this bot meanwhile (${said}); it is deleted again on the next try`;
  else if (code === 409)
    text = `another program reads this bot's updates (${said}): stop it, or give this channel a bot of its own`;
  else text = said;
  return POLLING_ERROR_PREFIX + text;
}

/** One bot, polled (or its webhook set again) by this node for as long as it holds the lease. */
class TelegramSession implements ReaderSession {
  private readonly abort = new AbortController();
  private readonly pause = new ReaderPause();
  private readonly done: Promise<void>;

  constructor(
    private readonly row: AccountRow,
    private readonly task: 'poll' | 'restore-webhook',
    private readonly deps: PollingDeps,
    private readonly options: TelegramPollingOptions,
  ) {
    this.done = this.run();
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.pause.wake();
    await this.done;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (this.task === 'poll') await this.poll(() => (failures = 0));
        else return await this.restoreWebhook();
      } catch (error) {
        if (this.stopped) break;
        failures++;
        const reason = describePollingError(error);
        this.deps.log.warn({ err: error, accountId: this.row.id, failures }, reason);
        await this.deps.leases.setError(this.row.id, reason).catch(() => undefined);
        await this.pause.sleep(readerBackoffMs(failures, this.options.retryBaseMs, this.options.retryMaxMs));
      }
    }
  }

  private async poll(succeeded: () => void): Promise<void> {
    const { polls, service, leases, log } = this.deps;
    const account = service.context(this.row);
    await polls.ensure(this.row.id, Date.now());
    await deleteWebhook(account, this.abort.signal);
    let first = true;
    while (!this.stopped) {
      const offset = await polls.offset(this.row.id);
      const updates = await getUpdates(account, offset, POLL_SECONDS, this.abort.signal);
      if (first) {
        first = false;
        succeeded();
        await leases.clearError(this.row.id, POLLING_ERROR_PREFIX);
      }
      if (updates.length === 0) continue;
      for (const update of updates)
        if (update.events === 'unreadable')
          log.warn(
            { accountId: this.row.id, updateId: update.updateId },
            'Telegram update unreadable; skipped',
          );
      await service.ingest(
        this.row,
        updates.flatMap((u) => (u.events === 'unreadable' ? [] : u.events)),
      );
      const last = Math.max(...updates.map((u) => u.updateId));
      await polls.advance(this.row.id, last + 1, Date.now());
    }
  }

  private async restoreWebhook(): Promise<void> {
    const { polls, service, leases, log } = this.deps;
    await setWebhook(service.context(this.row), service.webhookUrl(this.row), this.abort.signal);
    await polls.remove(this.row.id);
    await leases.clearError(this.row.id, POLLING_ERROR_PREFIX);
    log.info({ accountId: this.row.id }, 'Telegram channel back on its webhook; polling stopped');
  }
}
