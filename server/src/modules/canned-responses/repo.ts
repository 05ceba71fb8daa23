// Canned responses of a workspace, always scoped by workspace_id.
import type { Kysely, Selectable } from 'kysely';
import type { CannedResponsesTable, Database } from '../../storage/schema.js';
import { contains } from '../../storage/search.js';

export type CannedResponseRow = Selectable<CannedResponsesTable>;

export class CannedResponseRepo {
  constructor(private readonly db: Kysely<Database>) {}

  insert(row: CannedResponseRow): Promise<unknown> {
    return this.db.insertInto('canned_responses').values(row).execute();
  }

  update(
    workspaceId: string,
    id: string,
    patch: Partial<Omit<CannedResponseRow, 'id' | 'workspace_id' | 'created_at' | 'created_by'>>,
  ): Promise<unknown> {
    return this.db
      .updateTable('canned_responses')
      .set(patch)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('canned_responses')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  findById(workspaceId: string, id: string): Promise<CannedResponseRow | undefined> {
    return this.db
      .selectFrom('canned_responses')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  findByShortcut(workspaceId: string, locale: string, shortcut: string) {
    return this.db
      .selectFrom('canned_responses')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('locale', '=', locale)
      .where('shortcut', '=', shortcut)
      .executeTakeFirst();
  }

  /** Shortcuts that start with the words first, then matches anywhere in the title or text. */
  list(
    workspaceId: string,
    options: { q?: string | undefined; locale?: string | undefined; limit: number },
  ): Promise<CannedResponseRow[]> {
    let query = this.db.selectFrom('canned_responses').selectAll().where('workspace_id', '=', workspaceId);
    if (options.locale) query = query.where('locale', '=', options.locale);
    if (options.q) query = query.where(contains('search_text', options.q));
    return query.orderBy('shortcut').orderBy('locale').limit(options.limit).execute();
  }
}
