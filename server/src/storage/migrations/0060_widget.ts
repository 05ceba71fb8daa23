// The website widget's own tables: its settings per workspace (with the identity secret host
// sites sign their users with), the visitors' ratings, and the offline requests whose replies go
// out by e-mail. Also an index to find a contact by the id a host site gave it.
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('widget_settings')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey().references('workspaces.id'))
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('identity_secret', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // One rating per resolution: a conversation reopened and resolved again may be rated again.
  await db.schema
    .createTable('widget_ratings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('resolved_at', 'bigint', (c) => c.notNull())
    .addColumn('rating', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('widget_ratings_resolution', ['conversation_id', 'resolved_at'])
    .execute();

  await db.schema
    .createTable('widget_offline_requests')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id'))
    .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('email', 'text')
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('page_url', 'text')
    // Replies up to this seq were e-mailed (or seen in the widget): the next mail starts after it.
    .addColumn('emailed_through_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createIndex('contacts_external_id')
    .on('contacts')
    .columns(['workspace_id', 'external_id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('contacts_external_id').execute();
  await db.schema.dropTable('widget_offline_requests').execute();
  await db.schema.dropTable('widget_ratings').execute();
  await db.schema.dropTable('widget_settings').execute();
}
