// Knowledge-base articles of a workspace, always scoped by workspace_id.
import type { Kysely, Selectable } from 'kysely';
import type { Database, KnowledgeAnswersTable, KnowledgeArticlesTable } from '../../storage/schema.js';

export type ArticleRow = Selectable<KnowledgeArticlesTable>;
export type AnswerRow = Selectable<KnowledgeAnswersTable>;

export class KnowledgeRepo {
  constructor(private readonly db: Kysely<Database>) {}

  insert(row: ArticleRow): Promise<unknown> {
    return this.db.insertInto('knowledge_articles').values(row).execute();
  }

  update(workspaceId: string, id: string, patch: Partial<ArticleRow>): Promise<unknown> {
    return this.db
      .updateTable('knowledge_articles')
      .set(patch)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('knowledge_articles')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  findById(workspaceId: string, id: string): Promise<ArticleRow | undefined> {
    return this.db
      .selectFrom('knowledge_articles')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  list(
    workspaceId: string,
    filter: { locale?: string | undefined; category?: string | undefined; publishedOnly?: boolean },
  ): Promise<ArticleRow[]> {
    let query = this.db.selectFrom('knowledge_articles').selectAll().where('workspace_id', '=', workspaceId);
    if (filter.locale) query = query.where('locale', '=', filter.locale);
    if (filter.category) query = query.where('category', '=', filter.category);
    if (filter.publishedOnly) query = query.where('published', '=', 1);
    return query.orderBy('category').orderBy('title').execute();
  }

  /** Changes whenever an article is added, changed or removed: the search index is rebuilt then. */
  async stamp(workspaceId: string): Promise<string> {
    const row = await this.db
      .selectFrom('knowledge_articles')
      .select((eb) => [eb.fn.countAll().as('count'), eb.fn.max('updated_at').as('latest')])
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return `${String(row?.count ?? 0)}:${String(row?.latest ?? 0)}`;
  }

  insertAnswer(row: AnswerRow): Promise<unknown> {
    return this.db.insertInto('knowledge_answers').values(row).execute();
  }

  /** Records the visitor's judgement of an answer; false when unknown or already judged (first press counts). */
  async judgeAnswer(
    workspaceId: string,
    conversationId: string,
    messageId: string,
    helpful: boolean,
    at: number,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('knowledge_answers')
      .set({ helpful: helpful ? 1 : 0, judged_at: at })
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('message_id', '=', messageId)
      .where('helpful', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  feedbackCounts(workspaceId: string): Promise<
    {
      article_id: string;
      answered: number | string;
      helpful: number | string;
      not_helpful: number | string;
    }[]
  > {
    return this.db
      .selectFrom('knowledge_answers')
      .select((eb) => [
        'article_id',
        eb.fn.countAll<number | string>().as('answered'),
        eb.fn.count<number | string>(eb.case().when('helpful', '=', 1).then(1).end()).as('helpful'),
        eb.fn.count<number | string>(eb.case().when('helpful', '=', 0).then(1).end()).as('not_helpful'),
      ])
      .where('workspace_id', '=', workspaceId)
      .groupBy('article_id')
      .execute();
  }
}
