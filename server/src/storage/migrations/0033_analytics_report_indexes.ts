// Covering indexes for the two reports that read rows rather than rollups: CSAT's latest comments
// (a partial index of only the conversations with a comment, so the report sorts those instead of
// the period's every row) and repeat contacts (each conversation's contact and start by day).
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('analytics_conversations_comments')
    .on('analytics_conversations')
    .columns(['workspace_id', 'local_day', 'rated_at', 'rating', 'rating_comment', 'conversation_id'])
    .where(sql.ref('rating_comment'), '<>', sql.lit(''))
    .execute();
  await db.schema
    .createIndex('analytics_conversations_contacts_by_day')
    .on('analytics_conversations')
    .columns(['workspace_id', 'local_day', 'contact_id', 'created_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('analytics_conversations_contacts_by_day').execute();
  await db.schema.dropIndex('analytics_conversations_comments').execute();
}
