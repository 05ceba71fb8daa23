// Messenger and e-mail channels: connected provider accounts (secrets encrypted), which provider
// user is which contact, the provider events already taken in (dedupe of retried webhooks), and
// the delivery of every operator reply to its provider.
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('channel_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull().defaultTo('{}'))
    // AES-256-GCM of a JSON object, keyed from the server's SECRET_KEY.
    .addColumn('secrets', 'text', (c) => c.notNull())
    // The unguessable part of the account's webhook URL.
    .addColumn('webhook_key', 'text', (c) => c.notNull().unique())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_error', 'text')
    .addColumn('last_inbound_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('channel_accounts_workspace')
    .on('channel_accounts')
    .columns(['workspace_id', 'kind'])
    .execute();

  await db.schema
    .createTable('channel_contacts')
    .addColumn('account_id', 'text', (c) => c.notNull().references('channel_accounts.id').onDelete('cascade'))
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    // Where replies go (Telegram chat id, VK peer id, e-mail address...).
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('last_inbound_at', 'bigint', (c) => c.notNull())
    // E-mail: the Message-ID chain replies are threaded under.
    .addColumn('thread', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_contacts_pk', ['account_id', 'external_id'])
    .execute();
  await db.schema
    .createIndex('channel_contacts_contact')
    .on('channel_contacts')
    .columns(['workspace_id', 'contact_id'])
    .execute();

  await db.schema
    .createTable('channel_inbound')
    .addColumn('account_id', 'text', (c) => c.notNull().references('channel_accounts.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_inbound_pk', ['account_id', 'provider_id'])
    .execute();

  await db.schema
    .createTable('channel_outbound')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('channel_accounts.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    // pending, sent, delivered, read, failed
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('provider_message_id', 'text')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('channel_outbound_provider')
    .on('channel_outbound')
    .columns(['account_id', 'provider_message_id'])
    .execute();
  await db.schema
    .createIndex('channel_outbound_conversation')
    .on('channel_outbound')
    .columns(['workspace_id', 'conversation_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('channel_outbound').execute();
  await db.schema.dropTable('channel_inbound').execute();
  await db.schema.dropTable('channel_contacts').execute();
  await db.schema.dropTable('channel_accounts').execute();
}
