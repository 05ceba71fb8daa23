// Integrations: API idempotency keys, outgoing webhooks (endpoints, the delivery outbox and its
// attempts), customer-card lookups and their cache, typed contact attributes, contact identity and
// merging, redaction marks, retention settings, the admin audit log, and dead jobs.
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  // A job that used up its attempts stays, marked dead, so its failure remains visible.
  await db.schema.alterTable('jobs').addColumn('dead_at', 'bigint').execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('token_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('locked_until', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['token_id', 'key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_expiry')
    .on('idempotency_keys')
    .columns(['expires_at'])
    .execute();

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('previous_secret', 'text')
    .addColumn('previous_secret_expires_at', 'bigint')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_endpoints_workspace')
    .on('webhook_endpoints')
    .columns(['workspace_id'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id'))
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('last_attempt_at', 'bigint')
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('delivered_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('webhook_deliveries_event_endpoint', ['endpoint_id', 'event_id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_time')
    .on('webhook_deliveries')
    .columns(['workspace_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_contact')
    .on('webhook_deliveries')
    .columns(['workspace_id', 'contact_id'])
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('delivery_id', 'text', (c) => c.notNull().references('webhook_deliveries.id'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('webhook_attempts_delivery')
    .on('webhook_attempts')
    .columns(['delivery_id', 'attempt'])
    .execute();

  await db.schema
    .createTable('customer_card_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('url_template', 'text', (c) => c.notNull())
    .addColumn('headers', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('timeout_ms', 'integer', (c) => c.notNull())
    .addColumn('cache_ttl_seconds', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('customer_cards')
    .addColumn('contact_id', 'text', (c) => c.primaryKey().references('contacts.id'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('card', 'text')
    .addColumn('error', 'text')
    .addColumn('fetched_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('contact_attribute_definitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('contact_attribute_definitions_key', ['workspace_id', 'key'])
    .execute();

  await db.schema
    .alterTable('contacts')
    .addColumn('email_verified', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('contacts')
    .addColumn('phone_verified', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('contacts').addColumn('phone_normalized', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('merged_into_id', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('erased_at', 'bigint').execute();
  // contacts (workspace_id, external_id) is indexed by 0060_widget.
  for (const [name, column] of [
    ['contacts_email', 'email'],
    ['contacts_phone', 'phone_normalized'],
    ['contacts_merged_into', 'merged_into_id'],
  ] as const) {
    await db.schema.createIndex(name).on('contacts').columns(['workspace_id', column]).execute();
  }

  await db.schema.alterTable('conversations').addColumn('redacted_at', 'bigint').execute();
  await db.schema
    .createIndex('conversations_resolved')
    .on('conversations')
    .columns(['workspace_id', 'status', 'resolved_at'])
    .execute();

  await db.schema
    .createTable('retention_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('resolved_conversation_days', 'integer')
    .addColumn('last_run_at', 'bigint')
    .addColumn('last_run_redacted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('method', 'text')
    .addColumn('route', 'text')
    .addColumn('target_id', 'text')
    .addColumn('status_code', 'integer')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('ip', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_log_time')
    .on('audit_log')
    .columns(['workspace_id', 'created_at', 'id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await db.schema.dropTable('retention_settings').execute();
  await db.schema.dropIndex('conversations_resolved').execute();
  await db.schema.alterTable('conversations').dropColumn('redacted_at').execute();
  for (const index of ['contacts_email', 'contacts_phone', 'contacts_merged_into']) {
    await db.schema.dropIndex(index).execute();
  }
  for (const column of [
    'erased_at',
    'merged_into_id',
    'phone_normalized',
    'phone_verified',
    'email_verified',
  ]) {
    await db.schema.alterTable('contacts').dropColumn(column).execute();
  }
  for (const table of [
    'contact_attribute_definitions',
    'customer_cards',
    'customer_card_settings',
    'webhook_attempts',
    'webhook_deliveries',
    'webhook_endpoints',
    'idempotency_keys',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('jobs').dropColumn('dead_at').execute();
}
