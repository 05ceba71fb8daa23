// Workspace rows: the tenant every other row belongs to.
import type { Kysely, Selectable } from 'kysely';
import type { Database, WorkspacesTable } from '../../storage/schema.js';

export type WorkspaceRow = Selectable<WorkspacesTable>;

export class WorkspaceRepo {
  constructor(private readonly db: Kysely<Database>) {}

  insert(row: WorkspaceRow): Promise<unknown> {
    return this.db.insertInto('workspaces').values(row).execute();
  }

  findById(id: string): Promise<WorkspaceRow | undefined> {
    return this.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByWidgetKey(widgetKey: string): Promise<WorkspaceRow | undefined> {
    return this.db
      .selectFrom('workspaces')
      .selectAll()
      .where('widget_key', '=', widgetKey)
      .executeTakeFirst();
  }

  oldest(): Promise<WorkspaceRow | undefined> {
    return this.db
      .selectFrom('workspaces')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('workspaces')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  update(
    id: string,
    patch: Partial<Pick<WorkspaceRow, 'name' | 'default_locale' | 'allowed_origins'>>,
  ): Promise<unknown> {
    // SQL has no empty SET: a patch naming nothing changes nothing.
    if (Object.keys(patch).length === 0) return Promise.resolve();
    return this.db.updateTable('workspaces').set(patch).where('id', '=', id).execute();
  }
}
