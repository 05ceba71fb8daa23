// CSAT's latest comments read rows rather than rollups: a partial index of only the conversations
// with a comment, covering what the report reads, so it sorts those instead of the period's every row.
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
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('analytics_conversations_comments').execute();
}
