// Departments and their members.
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, DepartmentsTable } from '../../storage/schema.js';

export type DepartmentRow = Selectable<DepartmentsTable>;
type Db = Kysely<Database> | Transaction<Database>;

export class DepartmentRepo {
  constructor(readonly db: Kysely<Database>) {}

  insert(db: Db, row: Insertable<DepartmentsTable>): Promise<unknown> {
    return db.insertInto('departments').values(row).execute();
  }

  update(
    db: Db,
    workspaceId: string,
    id: string,
    patch: Partial<Omit<DepartmentRow, 'id' | 'workspace_id' | 'created_at'>>,
  ): Promise<unknown> {
    return db
      .updateTable('departments')
      .set(patch)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  }

  findById(workspaceId: string, id: string): Promise<DepartmentRow | undefined> {
    return this.db
      .selectFrom('departments')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  list(workspaceId: string): Promise<DepartmentRow[]> {
    return this.db
      .selectFrom('departments')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('line_level')
      .orderBy('name')
      .execute();
  }

  async members(workspaceId: string, departmentIds: string[]): Promise<Map<string, string[]>> {
    const byDepartment = new Map<string, string[]>(departmentIds.map((id) => [id, []]));
    if (departmentIds.length === 0) return byDepartment;
    const rows = await this.db
      .selectFrom('user_departments')
      .select(['department_id', 'user_id'])
      .where('workspace_id', '=', workspaceId)
      .where('department_id', 'in', departmentIds)
      .execute();
    for (const row of rows) byDepartment.get(row.department_id)?.push(row.user_id);
    return byDepartment;
  }

  async replaceMembers(db: Db, workspaceId: string, departmentId: string, userIds: string[]): Promise<void> {
    await db
      .deleteFrom('user_departments')
      .where('workspace_id', '=', workspaceId)
      .where('department_id', '=', departmentId)
      .execute();
    if (userIds.length === 0) return;
    await db
      .insertInto('user_departments')
      .values(
        userIds.map((userId) => ({
          workspace_id: workspaceId,
          user_id: userId,
          department_id: departmentId,
        })),
      )
      .execute();
  }

  async existingUserIds(workspaceId: string, userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('users')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', userIds)
      .execute();
    return new Set(rows.map((r) => r.id));
  }
}
