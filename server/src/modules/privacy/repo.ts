// Retention settings per workspace.
import type { Kysely, Selectable } from 'kysely';
import type { Database, RetentionSettingsTable } from '../../storage/schema.js';

export type RetentionRow = Selectable<RetentionSettingsTable>;

export class RetentionRepo {
  constructor(readonly db: Kysely<Database>) {}

  find(workspaceId: string): Promise<RetentionRow | undefined> {
    return this.db
      .selectFrom('retention_settings')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
  }

  save(workspaceId: string, days: number | null, now: number): Promise<unknown> {
    return this.db
      .insertInto('retention_settings')
      .values({
        workspace_id: workspaceId,
        resolved_conversation_days: days,
        last_run_at: null,
        last_run_redacted: 0,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('workspace_id').doUpdateSet({ resolved_conversation_days: days, updated_at: now }),
      )
      .execute();
  }

  recordRun(workspaceId: string, now: number, redacted: number): Promise<unknown> {
    return this.db
      .updateTable('retention_settings')
      .set({ last_run_at: now, last_run_redacted: redacted })
      .where('workspace_id', '=', workspaceId)
      .execute();
  }
}
