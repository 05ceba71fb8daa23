// A chat's replies leave in the order they were written, also when the provider holds one back
// (429 with Retry-After): a send first asks whether an earlier reply to the same chat is still
// pending. This index answers that from the pending rows alone.
import { sql, type Kysely } from 'kysely';

// Migrations must not depend on the app's current types: they describe the past.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('channel_outbound_pending')
    .on('channel_outbound')
    .columns(['account_id', 'address', 'message_id'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('channel_outbound_pending').execute();
}
