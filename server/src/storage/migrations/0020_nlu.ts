// Language understanding (docs/nlu.md): intents with example phrases, trained intent models (one
// row per version, so a model can be rolled back), the workspace's settings, what is known about
// each conversation (intent, upset), knowledge-base articles and which suggestions operators used.
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('nlu_intents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text')
    .addColumn('reply', 'text', (c) => c.notNull())
    .addColumn('examples', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('nlu_intents_name')
    .on('nlu_intents')
    .columns(['workspace_id', 'name'])
    .unique()
    .execute();

  await db.schema
    .createTable('nlu_models')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('model', 'text')
    .addColumn('intent_names', 'text', (c) => c.notNull())
    .addColumn('report', 'text')
    .addColumn('error', 'text')
    .addColumn('examples', 'integer', (c) => c.notNull())
    .addColumn('training_ms', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('trained_at', 'bigint')
    .addColumn('activated_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('nlu_models_version')
    .on('nlu_models')
    .columns(['workspace_id', 'version'])
    .unique()
    .execute();

  await db.schema
    .createTable('nlu_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('nlu_conversation_insights')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('intent', 'text')
    .addColumn('intent_confidence', 'double precision')
    .addColumn('negative', 'double precision', (c) => c.notNull())
    .addColumn('upset_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('nlu_conversation_insights_upset')
    .on('nlu_conversation_insights')
    .columns(['workspace_id', 'upset_at'])
    .execute();

  await db.schema
    .createTable('knowledge_articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('published', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('knowledge_articles_workspace')
    .on('knowledge_articles')
    .columns(['workspace_id', 'locale'])
    .execute();

  await db.schema
    .createTable('nlu_suggestion_uses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('user_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'nlu_suggestion_uses',
    'knowledge_articles',
    'nlu_conversation_insights',
    'nlu_settings',
    'nlu_models',
    'nlu_intents',
  ])
    await db.schema.dropTable(table).execute();
}
