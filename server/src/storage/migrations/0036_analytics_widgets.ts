// Live-monitoring widgets supervisors compose: one row per widget, its definition as JSON
// (WidgetInput of the protocol), in the order the supervisor added them; and indexes by start time
// for the windowed widgets (the last hour's conversations), which are counted every few seconds.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('analytics_widgets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('analytics_widgets_workspace')
    .on('analytics_widgets')
    .columns(['workspace_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('conversations_created')
    .on('conversations')
    .columns(['workspace_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('analytics_conversations_created')
    .on('analytics_conversations')
    .columns(['workspace_id', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('analytics_conversations_created').execute();
  await db.schema.dropIndex('conversations_created').execute();
  await db.schema.dropTable('analytics_widgets').execute();
}
