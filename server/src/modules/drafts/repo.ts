// Answer drafts' settings, one row per workspace.
import type { Kysely, Selectable } from 'kysely';
import type { AnswerDraftSettingsTable, Database } from '../../storage/schema.js';

export type DraftSettingsRow = Selectable<AnswerDraftSettingsTable>;

export class DraftRepo {
  constructor(private readonly db: Kysely<Database>) {}

  settings(workspaceId: string): Promise<DraftSettingsRow | undefined> {
    return this.db
      .selectFrom('answer_draft_settings')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
  }

  async saveSettings(row: DraftSettingsRow): Promise<void> {
    await this.db
      .insertInto('answer_draft_settings')
      .values(row)
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ ...row }))
      .execute();
  }
}
