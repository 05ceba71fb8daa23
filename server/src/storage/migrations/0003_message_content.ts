// Rich message content beyond text and files: buttons, the button a reply answers, a shared
// location or contact. One JSON column, since most messages carry none of it.
import type { Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('messages')
    .addColumn('content', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('content').execute();
}
