// Routing's lifecycle settings: the first-reply timeout of a department (a conversation accepted
// but not answered in time is a missed chat), auto-close of idle conversations per department or
// for the whole workspace, and the window in which a visitor's new message reopens a closed one.
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // 0: off.
  await db.schema
    .alterTable('departments')
    .addColumn('first_reply_timeout_seconds', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Null: the workspace's setting.
  await db.schema.alterTable('departments').addColumn('idle_close_minutes', 'integer').execute();
  await db.schema
    .createTable('routing_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('idle_close_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reopen_window_minutes', 'integer', (c) => c.notNull().defaultTo(1440))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('routing_settings').execute();
  await db.schema.alterTable('departments').dropColumn('idle_close_minutes').execute();
  await db.schema.alterTable('departments').dropColumn('first_reply_timeout_seconds').execute();
}
