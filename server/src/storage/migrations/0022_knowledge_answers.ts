// The assistant's knowledge answers in conversations, each with the visitor's "did this help?"
// once pressed: per-article counts for admins, and the "no" that brings a person in.
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('knowledge_answers')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    // No foreign key: deleting an article keeps what visitors said about it out of the way, not lost.
    .addColumn('article_id', 'text', (c) => c.notNull())
    .addColumn('helpful', 'integer')
    .addColumn('judged_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('knowledge_answers_article')
    .on('knowledge_answers')
    .columns(['workspace_id', 'article_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('knowledge_answers').execute();
}
