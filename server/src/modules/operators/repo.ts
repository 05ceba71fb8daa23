// Operator accounts (users of every role) of a workspace.
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, PresenceEventsTable, UsersTable } from '../../storage/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type UserRow = Selectable<UsersTable>;

export class OperatorRepo {
  constructor(readonly db: Kysely<Database>) {}

  insert(row: Insertable<UsersTable>): Promise<unknown> {
    return this.db.insertInto('users').values(row).execute();
  }

  /** E-mail is unique across workspaces: it is how a person logs in. */
  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  findById(workspaceId: string, id: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  list(workspaceId: string): Promise<UserRow[]> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('name')
      .execute();
  }

  update(
    workspaceId: string,
    id: string,
    patch: Partial<Pick<UserRow, 'name' | 'locale'>>,
  ): Promise<unknown> {
    // SQL has no empty SET: a patch naming nothing changes nothing.
    if (Object.keys(patch).length === 0) return Promise.resolve();
    return this.db
      .updateTable('users')
      .set(patch)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  }

  /** An admin's change to a colleague's account. */
  updateAccount(
    workspaceId: string,
    id: string,
    patch: Partial<Pick<UserRow, 'name' | 'role' | 'disabled_at'>>,
  ): Promise<unknown> {
    return this.db
      .updateTable('users')
      .set(patch)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  }

  /** Online operators who can take conversations of the department (everyone online when it has no members). */
  async routingCandidates(workspaceId: string, departmentId: string | null): Promise<UserRow[]> {
    let query = this.db
      .selectFrom('users')
      .selectAll('users')
      .where('users.workspace_id', '=', workspaceId)
      .where('users.presence', '=', 'online')
      .where('users.disabled_at', 'is', null);
    if (departmentId) {
      const members = await this.db
        .selectFrom('user_departments')
        .select('user_id')
        .where('department_id', '=', departmentId)
        .execute();
      if (members.length > 0)
        query = query.where(
          'users.id',
          'in',
          members.map((m) => m.user_id),
        );
    }
    return query.execute();
  }

  /** Takes one of the operator's slots; false when they are at capacity or no longer online. */
  async reserveSlot(db: Db, workspaceId: string, userId: string, now: number): Promise<boolean> {
    const result = await db
      .updateTable('users')
      .set((eb) => ({ active_count: eb('active_count', '+', 1), last_offered_at: now }))
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', userId)
      .where('presence', '=', 'online')
      .where((eb) => eb('active_count', '<', eb.ref('capacity')))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** A slot taken by hand, over capacity if need be (the operator chose to). */
  forceSlot(db: Db, workspaceId: string, userId: string, now: number): Promise<boolean> {
    return db
      .updateTable('users')
      .set((eb) => ({ active_count: eb('active_count', '+', 1), last_offered_at: now }))
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', userId)
      .executeTakeFirst()
      .then((r) => Number(r.numUpdatedRows) > 0);
  }

  releaseSlot(db: Db, workspaceId: string, userId: string): Promise<unknown> {
    return db
      .updateTable('users')
      .set((eb) => ({ active_count: eb('active_count', '-', 1) }))
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', userId)
      .where('active_count', '>', 0)
      .execute();
  }

  setPresence(db: Db, workspaceId: string, userId: string, presence: string, now: number): Promise<unknown> {
    return db
      .updateTable('users')
      .set({ presence, presence_changed_at: now, ...(presence === 'online' ? { missed_in_row: 0 } : {}) })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', userId)
      .execute();
  }

  insertPresenceEvent(db: Db, row: Selectable<PresenceEventsTable>): Promise<unknown> {
    return db.insertInto('presence_events').values(row).execute();
  }

  /** Counts a missed offer and returns the operator's misses in a row. */
  async countMiss(workspaceId: string, userId: string): Promise<number> {
    const row = await this.db
      .updateTable('users')
      .set((eb) => ({ missed_in_row: eb('missed_in_row', '+', 1) }))
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', userId)
      .returning('missed_in_row')
      .executeTakeFirst();
    return row?.missed_in_row ?? 0;
  }

  resetMisses(workspaceId: string, userId: string): Promise<unknown> {
    return this.db
      .updateTable('users')
      .set({ missed_in_row: 0 })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', userId)
      .execute();
  }

  setCapacity(workspaceId: string, userId: string, capacity: number): Promise<unknown> {
    return this.db
      .updateTable('users')
      .set({ capacity })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', userId)
      .execute();
  }
}
