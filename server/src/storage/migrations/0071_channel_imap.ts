// E-mail channels that read an IMAP mailbox: per channel, how far the mailbox has been read
// (UIDVALIDITY and the last UID taken in, so nothing is fetched twice or lost across restarts) and
// which node polls it now (a lease, so in cluster mode one node at a time holds the session).
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('channel_imap_mailboxes')
    .addColumn('account_id', 'text', (c) =>
      c.primaryKey().references('channel_accounts.id').onDelete('cascade'),
    )
    // The mailbox's UIDVALIDITY the UIDs below belong to; null before the first read.
    .addColumn('uid_validity', 'bigint')
    .addColumn('last_uid', 'bigint', (c) => c.notNull().defaultTo(0))
    // The node (process) holding the session, until lease_until (epoch ms).
    .addColumn('owner', 'text')
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('channel_imap_mailboxes').execute();
}
