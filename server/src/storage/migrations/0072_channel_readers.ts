// Channels whose inbound this server pulls rather than receives: IMAP mailboxes and Telegram bots
// in long-polling mode. The lease that lets one node at a time read a channel moves out of the
// IMAP table into one both use (channel_readers); Telegram's polling position gets its own table.
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('channel_readers')
    .addColumn('account_id', 'text', (c) =>
      c.primaryKey().references('channel_accounts.id').onDelete('cascade'),
    )
    // The node (process) reading the channel, until lease_until (epoch ms). A lease is only held
    // while a node runs, so none is carried over from the IMAP table.
    .addColumn('owner', 'text')
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('channel_imap_mailboxes').dropColumn('owner').execute();
  await db.schema.alterTable('channel_imap_mailboxes').dropColumn('lease_until').execute();
  await db.schema
    .createTable('channel_telegram_polls')
    .addColumn('account_id', 'text', (c) =>
      c.primaryKey().references('channel_accounts.id').onDelete('cascade'),
    )
    // getUpdates' offset: the last update_id taken in + 1. The row exists while the bot is polled
    // (its webhook deleted at Telegram); it goes when the channel is switched back to a webhook.
    .addColumn('next_offset', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('channel_telegram_polls').execute();
  await db.schema.alterTable('channel_imap_mailboxes').addColumn('owner', 'text').execute();
  await db.schema
    .alterTable('channel_imap_mailboxes')
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.dropTable('channel_readers').execute();
}
