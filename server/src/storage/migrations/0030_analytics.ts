// Analytics: per-conversation facts and tag rows kept from the event log (exact, updated in the
// transaction of each event or message, rebuildable from the log), missed offers per operator,
// settings (time zone, SLA targets, alert rules) and which alerts are raised.
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('analytics_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('analytics_conversations')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text')
    .addColumn('operator_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('local_day', 'text', (c) => c.notNull())
    .addColumn('local_hour', 'integer', (c) => c.notNull())
    .addColumn('local_weekday', 'integer', (c) => c.notNull())
    .addColumn('first_time', 'integer', (c) => c.notNull())
    .addColumn('queued_at', 'bigint')
    .addColumn('queue_ms', 'bigint')
    .addColumn('first_reply_ms', 'bigint')
    .addColumn('waiting_since', 'bigint')
    .addColumn('reply_ms_total', 'bigint', (c) => c.notNull())
    .addColumn('reply_count', 'integer', (c) => c.notNull())
    .addColumn('resolved_at', 'bigint')
    .addColumn('resolution_ms', 'bigint')
    .addColumn('visitor_messages', 'integer', (c) => c.notNull())
    .addColumn('operator_messages', 'integer', (c) => c.notNull())
    .addColumn('offer_misses', 'integer', (c) => c.notNull())
    .addColumn('offline', 'integer', (c) => c.notNull())
    .addColumn('unanswered', 'integer', (c) => c.notNull())
    .addColumn('abandoned', 'integer', (c) => c.notNull())
    .addColumn('missed_wait_ms', 'bigint')
    .addColumn('rating', 'text')
    .addColumn('rating_comment', 'text')
    .addColumn('rated_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('analytics_conversations_day')
    .on('analytics_conversations')
    .columns(['workspace_id', 'local_day'])
    .execute();
  await db.schema
    .createIndex('analytics_conversations_operator')
    .on('analytics_conversations')
    .columns(['workspace_id', 'operator_id', 'local_day'])
    .execute();
  await db.schema
    .createIndex('analytics_conversations_contact')
    .on('analytics_conversations')
    .columns(['workspace_id', 'contact_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('analytics_tags')
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('local_day', 'text', (c) => c.notNull())
    .addColumn('added_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_tags_pk', ['conversation_id', 'tag'])
    .execute();
  await db.schema
    .createIndex('analytics_tags_day')
    .on('analytics_tags')
    .columns(['workspace_id', 'local_day'])
    .execute();

  await db.schema
    .createTable('analytics_offer_misses')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('operator_id', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('local_day', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('analytics_offer_misses_day')
    .on('analytics_offer_misses')
    .columns(['workspace_id', 'local_day'])
    .execute();

  await db.schema
    .createTable('analytics_alert_state')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('since', 'bigint', (c) => c.notNull())
    .addColumn('value', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_alert_state_pk', ['workspace_id', 'rule_id'])
    .execute();

  await db.schema
    .createIndex('presence_events_user_time')
    .ifNotExists()
    .on('presence_events')
    .columns(['workspace_id', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('presence_events_user_time').ifExists().execute();
  for (const table of [
    'analytics_alert_state',
    'analytics_offer_misses',
    'analytics_tags',
    'analytics_conversations',
    'analytics_settings',
  ])
    await db.schema.dropTable(table).execute();
}
