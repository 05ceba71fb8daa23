// Repeat contacts without a window function: each conversation's row keeps when the contact's
// previous conversation started (set when the row is made, as first_time is), filled here for the
// rows already stored, with a covering index for the report.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('analytics_conversations').addColumn('previous_at', 'bigint').execute();
  // Ties in start time go by id, the order a rebuild folds them in. A contact's first conversation
  // (first_time = 1) has none.
  await sql`
    update analytics_conversations set previous_at = (
      select max(p.created_at) from analytics_conversations p
      where p.workspace_id = analytics_conversations.workspace_id
        and p.contact_id = analytics_conversations.contact_id
        and (p.created_at < analytics_conversations.created_at
          or (p.created_at = analytics_conversations.created_at
            and p.conversation_id < analytics_conversations.conversation_id)))
    where first_time = 0`.execute(db);
  await db.schema
    .createIndex('analytics_conversations_repeat')
    .on('analytics_conversations')
    .columns(['workspace_id', 'local_day', 'contact_id', 'previous_at', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('analytics_conversations_repeat').execute();
  await db.schema.alterTable('analytics_conversations').dropColumn('previous_at').execute();
}
