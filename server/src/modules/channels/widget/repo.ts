// The widget's own rows: settings per workspace, ratings, offline requests. Scoped by workspace_id.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type {
  Database,
  WidgetOfflineRequestsTable,
  WidgetRatingsTable,
  WidgetSettingsTable,
} from '../../../storage/schema.js';

export type WidgetSettingsRow = Selectable<WidgetSettingsTable>;
export type RatingRow = Selectable<WidgetRatingsTable>;
export type OfflineRequestRow = Selectable<WidgetOfflineRequestsTable>;
type Db = Kysely<Database> | Transaction<Database>;

export class WidgetRepo {
  constructor(private readonly db: Kysely<Database>) {}

  findSettings(workspaceId: string): Promise<WidgetSettingsRow | undefined> {
    return this.db
      .selectFrom('widget_settings')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
  }

  /** Creates the row with this secret unless one exists (two first readers agree on one secret). */
  async ensureSettings(workspaceId: string, settings: string, identitySecret: string): Promise<void> {
    await this.db
      .insertInto('widget_settings')
      .values({
        workspace_id: workspaceId,
        settings,
        identity_secret: identitySecret,
        updated_at: Date.now(),
      })
      .onConflict((oc) => oc.column('workspace_id').doNothing())
      .execute();
  }

  updateSettings(
    workspaceId: string,
    patch: Partial<Pick<WidgetSettingsRow, 'settings' | 'identity_secret'>>,
  ): Promise<unknown> {
    return this.db
      .updateTable('widget_settings')
      .set({ ...patch, updated_at: Date.now() })
      .where('workspace_id', '=', workspaceId)
      .execute();
  }

  insertRating(db: Db, row: RatingRow): Promise<unknown> {
    return db.insertInto('widget_ratings').values(row).execute();
  }

  findRating(
    workspaceId: string,
    conversationId: string,
    resolvedAt: number,
  ): Promise<RatingRow | undefined> {
    return this.db
      .selectFrom('widget_ratings')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('resolved_at', '=', resolvedAt)
      .executeTakeFirst();
  }

  insertOfflineRequest(db: Db, row: OfflineRequestRow): Promise<unknown> {
    return db.insertInto('widget_offline_requests').values(row).execute();
  }

  /** A later offline form on the same open conversation may add the e-mail the first one lacked. */
  async saveOfflineRequest(row: OfflineRequestRow): Promise<void> {
    await this.db
      .insertInto('widget_offline_requests')
      .values(row)
      .onConflict((oc) =>
        oc
          .column('conversation_id')
          .doUpdateSet({ email: row.email, lang: row.lang, page_url: row.page_url }),
      )
      .execute();
  }

  findOfflineRequest(
    workspaceId: string,
    conversationId: string,
    db: Db = this.db,
  ): Promise<OfflineRequestRow | undefined> {
    return db
      .selectFrom('widget_offline_requests')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
  }

  /**
   * Moves the e-mailed mark from `from` to `to` if it is still at `from`: of two nodes mailing the
   * same replies, one wins and the other sends nothing.
   */
  async moveEmailedMark(
    workspaceId: string,
    conversationId: string,
    from: number,
    to: number,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('widget_offline_requests')
      .set({ emailed_through_seq: to })
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('emailed_through_seq', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
