// Contact rows, always read and written within one workspace.
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { ContactsTable, Database } from '../../storage/schema.js';
import { contains } from '../../storage/search.js';

export type ContactRow = Selectable<ContactsTable>;
export type Db = Kysely<Database> | Transaction<Database>;
export type ContactPatch = Partial<Omit<ContactRow, 'id' | 'workspace_id' | 'created_at'>>;

/** Identifiers that make two contacts one person (only verified e-mails and phones count). */
export interface Identifiers {
  externalId?: string | undefined;
  verifiedEmail?: string | undefined;
  verifiedPhone?: string | undefined;
}

export class ContactRepo {
  constructor(readonly db: Kysely<Database>) {}

  insert(row: Insertable<ContactsTable>, db: Db = this.db): Promise<unknown> {
    return db.insertInto('contacts').values(row).execute();
  }

  findById(workspaceId: string, id: string, db: Db = this.db): Promise<ContactRow | undefined> {
    return db
      .selectFrom('contacts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  findByExternalId(workspaceId: string, externalId: string): Promise<ContactRow | undefined> {
    return this.db
      .selectFrom('contacts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('external_id', '=', externalId)
      .orderBy('created_at')
      .executeTakeFirst();
  }

  findByIds(workspaceId: string, ids: string[]): Promise<ContactRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('contacts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids)
      .execute();
  }

  update(workspaceId: string, id: string, patch: ContactPatch, db: Db = this.db) {
    return db
      .updateTable('contacts')
      .set(patch)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  }

  /** Newest first; the cursor is the last row's (created_at, id). */
  list(
    workspaceId: string,
    options: { q?: string | undefined; limit: number; after?: { createdAt: number; id: string } },
  ) {
    let query = this.db
      .selectFrom('contacts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('merged_into_id', 'is', null);
    if (options.q) query = query.where(contains('search_text', options.q));
    const after = options.after;
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
        ]),
      );
    }
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  }

  /** Live contacts (not merged away, not erased) sharing any of the identifiers, oldest first. */
  findByIdentifiers(db: Db, workspaceId: string, ids: Identifiers): Promise<ContactRow[]> {
    return db
      .selectFrom('contacts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('merged_into_id', 'is', null)
      .where('erased_at', 'is', null)
      .where((eb) =>
        eb.or([
          ...(ids.externalId ? [eb('external_id', '=', ids.externalId)] : []),
          ...(ids.verifiedEmail
            ? [eb.and([eb('email', '=', ids.verifiedEmail), eb('email_verified', '=', 1)])]
            : []),
          ...(ids.verifiedPhone
            ? [eb.and([eb('phone_normalized', '=', ids.verifiedPhone), eb('phone_verified', '=', 1)])]
            : []),
          // No identifiers: a condition no row meets (SQLite cannot bind a boolean).
          eb('id', '=', ''),
        ]),
      )
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** Contacts that were merged into this one (its aliases from other channels). */
  async mergedInto(workspaceId: string, id: string, db: Db = this.db): Promise<string[]> {
    const rows = await db
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('merged_into_id', '=', id)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Aliases of `from` become aliases of `to`, so a merge chain is never more than one step. */
  repointMerged(db: Db, workspaceId: string, from: string, to: string) {
    return db
      .updateTable('contacts')
      .set({ merged_into_id: to })
      .where('workspace_id', '=', workspaceId)
      .where('merged_into_id', '=', from)
      .execute();
  }
}
