// Tags of conversations, always scoped by workspace_id.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ConversationTagsTable, Database } from '../../storage/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export class TagRepo {
  constructor(readonly db: Kysely<Database>) {}

  /** False when the conversation already had the tag. */
  async insert(db: Db, row: ConversationTagsTable): Promise<boolean> {
    const result = await db
      .insertInto('conversation_tags')
      .values(row)
      .onConflict((oc) => oc.columns(['conversation_id', 'tag']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** False when the conversation did not have the tag. */
  async delete(db: Db, workspaceId: string, conversationId: string, tag: string): Promise<boolean> {
    const result = await db
      .deleteFrom('conversation_tags')
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('tag', '=', tag)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async tagsOf(workspaceId: string, conversationIds: string[]): Promise<Map<string, string[]>> {
    const byConversation = new Map<string, string[]>(conversationIds.map((id) => [id, []]));
    if (conversationIds.length === 0) return byConversation;
    const rows = await this.db
      .selectFrom('conversation_tags')
      .select(['conversation_id', 'tag'])
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', 'in', conversationIds)
      .orderBy('created_at')
      .orderBy('tag')
      .execute();
    for (const row of rows) byConversation.get(row.conversation_id)?.push(row.tag);
    return byConversation;
  }

  /** Tags in use, most used first; `prefix` narrows them as an operator types. */
  usage(workspaceId: string, prefix: string | undefined, limit: number) {
    let query = this.db
      .selectFrom('conversation_tags')
      .select(['tag', (eb) => eb.fn.countAll<number | string>().as('count')])
      .where('workspace_id', '=', workspaceId);
    // substr, not LIKE: the same on both engines, with no wildcards to escape.
    if (prefix) query = query.where(sql<string>`substr(tag, 1, ${prefix.length})`, '=', prefix);
    return query.groupBy('tag').orderBy('count', 'desc').orderBy('tag').limit(limit).execute();
  }
}
