// Storage of Telegram long polling: per polled bot, the getUpdates offset (the last update_id
// taken in + 1). The row's presence also records that the bot's webhook was deleted by us, so a
// channel switched back to a webhook has it registered again (polling.ts).
import type { Kysely } from 'kysely';
import type { Database } from '../../../storage/schema.js';

export class TelegramPollsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Accounts whose bot we poll or polled, webhook deleted and not yet set again. */
  async polled(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('channel_telegram_polls').select('account_id').execute();
    return new Set(rows.map((r) => r.account_id));
  }

  ensure(accountId: string, now: number): Promise<unknown> {
    return this.db
      .insertInto('channel_telegram_polls')
      .values({ account_id: accountId, next_offset: 0, updated_at: now })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
  }

  async offset(accountId: string): Promise<number> {
    const row = await this.db
      .selectFrom('channel_telegram_polls')
      .select('next_offset')
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    return Number(row?.next_offset ?? 0);
  }

  /** Moves the offset forwards only: a node that lost its lease mid-poll cannot move it back. */
  advance(accountId: string, nextOffset: number, now: number): Promise<unknown> {
    return this.db
      .updateTable('channel_telegram_polls')
      .set({ next_offset: nextOffset, updated_at: now })
      .where('account_id', '=', accountId)
      .where('next_offset', '<', nextOffset)
      .execute();
  }

  remove(accountId: string): Promise<unknown> {
    return this.db.deleteFrom('channel_telegram_polls').where('account_id', '=', accountId).execute();
  }
}
