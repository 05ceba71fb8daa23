// Bots: flows (the draft graph), their published versions (immutable, a run pins one), and one run
// per conversation (the state machine of docs/bots.md, persisted so it survives restarts).
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('bot_flows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('triggers', 'text', (c) => c.notNull())
    .addColumn('graph', 'text', (c) => c.notNull())
    .addColumn('published_version', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bot_flows_workspace').on('bot_flows').column('workspace_id').execute();

  await db.schema
    .createTable('bot_flow_versions')
    .addColumn('flow_id', 'text', (c) => c.notNull().references('bot_flows.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('triggers', 'text', (c) => c.notNull())
    .addColumn('graph', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('bot_flow_versions_pk', ['flow_id', 'version'])
    .execute();

  await db.schema
    .createTable('bot_runs')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('flow_version', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    /** running: steps to take; waiting: for the visitor; ended: handed over, closed or taken over. */
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('variables', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('prompt_message_id', 'text')
    .addColumn('input_seq', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    /** closed, taken_over, or handed_over:<reason>. */
    .addColumn('end_reason', 'text')
    /** JSON: the node ids executed, in order. */
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('bot_runs_workspace_status')
    .on('bot_runs')
    .columns(['workspace_id', 'status'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('bot_runs').execute();
  await db.schema.dropTable('bot_flow_versions').execute();
  await db.schema.dropTable('bot_flows').execute();
}
