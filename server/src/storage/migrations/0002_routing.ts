// Routing: departments as queues and lines, operator capacity and presence with history, offers.
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('departments')
    .addColumn('strategy', 'text', (c) => c.notNull().defaultTo('least_busy'))
    .execute();
  for (const [name, type, fallback] of [
    ['offer_timeout_seconds', 'integer', 30],
    ['sticky_wait_seconds', 'integer', 60],
    ['misses_before_away', 'integer', 3],
    ['line_level', 'integer', 1],
  ] as const) {
    await db.schema
      .alterTable('departments')
      .addColumn(name, type, (c) => c.notNull().defaultTo(fallback))
      .execute();
  }
  await db.schema.alterTable('departments').addColumn('escalates_to_id', 'text').execute();
  await db.schema.alterTable('departments').addColumn('business_hours', 'text').execute();

  await db.schema
    .alterTable('users')
    .addColumn('capacity', 'integer', (c) => c.notNull().defaultTo(5))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('presence', 'text', (c) => c.notNull().defaultTo('offline'))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('presence_changed_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  // Conversations offered to or assigned to the operator: guarded by a conditional update so it
  // never exceeds capacity, whichever node assigns.
  await db.schema
    .alterTable('users')
    .addColumn('active_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('last_offered_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('missed_in_row', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('presence_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('presence', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('presence_events_user')
    .on('presence_events')
    .columns(['workspace_id', 'user_id', 'created_at'])
    .execute();

  await db.schema
    .alterTable('conversations')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('conversations').addColumn('queued_at', 'bigint').execute();
  await db.schema.alterTable('conversations').addColumn('offered_to', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('offer_expires_at', 'bigint').execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('missed_by', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .createIndex('conversations_queue')
    .on('conversations')
    .columns(['workspace_id', 'status', 'department_id', 'priority', 'queued_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('conversations_queue').execute();
  for (const column of ['missed_by', 'offer_expires_at', 'offered_to', 'queued_at', 'priority']) {
    await db.schema.alterTable('conversations').dropColumn(column).execute();
  }
  await db.schema.dropTable('presence_events').execute();
  for (const column of [
    'missed_in_row',
    'last_offered_at',
    'active_count',
    'presence_changed_at',
    'presence',
    'capacity',
  ]) {
    await db.schema.alterTable('users').dropColumn(column).execute();
  }
  for (const column of [
    'business_hours',
    'escalates_to_id',
    'line_level',
    'misses_before_away',
    'sticky_wait_seconds',
    'offer_timeout_seconds',
    'strategy',
  ]) {
    await db.schema.alterTable('departments').dropColumn(column).execute();
  }
}
