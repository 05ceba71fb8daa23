// The operator workspace: tags on conversations, canned responses, and when a visitor's message
// started waiting for a reply (the "awaiting reply" queue and its counter).
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('conversation_tags')
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_tags_pk', ['conversation_id', 'tag'])
    .execute();
  await db.schema
    .createIndex('conversation_tags_tag')
    .on('conversation_tags')
    .columns(['workspace_id', 'tag'])
    .execute();

  await db.schema
    .createTable('canned_responses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('shortcut', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('canned_responses_shortcut')
    .on('canned_responses')
    .columns(['workspace_id', 'locale', 'shortcut'])
    .unique()
    .execute();

  // Set by a visitor's message when nothing was waiting, cleared by the team's reply.
  await db.schema.alterTable('conversations').addColumn('waiting_since', 'bigint').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('waiting_since').execute();
  await db.schema.dropTable('canned_responses').execute();
  await db.schema.dropTable('conversation_tags').execute();
}
