// Customer-card settings per workspace and the cache of cards per contact.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CustomerCardSettingsTable, CustomerCardsTable, Database } from '../../storage/schema.js';

export type CardSettingsRow = Selectable<CustomerCardSettingsTable>;
export type CardRow = Selectable<CustomerCardsTable>;
export type Db = Kysely<Database> | Transaction<Database>;

export class CustomerCardRepo {
  constructor(readonly db: Kysely<Database>) {}

  settings(workspaceId: string, db: Db = this.db): Promise<CardSettingsRow | undefined> {
    return db
      .selectFrom('customer_card_settings')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
  }

  /** New settings make every cached card of the workspace stale. */
  saveSettings(row: CardSettingsRow): Promise<void> {
    return this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('customer_card_settings')
        .values(row)
        .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ ...row }))
        .execute();
      await trx.deleteFrom('customer_cards').where('workspace_id', '=', row.workspace_id).execute();
    });
  }

  card(workspaceId: string, contactId: string): Promise<CardRow | undefined> {
    return this.db
      .selectFrom('customer_cards')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', '=', contactId)
      .executeTakeFirst();
  }

  /**
   * Marks the card as being fetched, unless it is fresh (and not forced) or already being fetched
   * since `stuckBefore`. True when the caller should start the lookup: one lookup at a time per card.
   */
  async claimLookup(
    db: Db,
    workspaceId: string,
    contactId: string,
    now: number,
    options: { force: boolean; stuckBefore: number },
  ): Promise<boolean> {
    const result = await db
      .insertInto('customer_cards')
      .values({
        contact_id: contactId,
        workspace_id: workspaceId,
        status: 'pending',
        card: null,
        error: null,
        fetched_at: null,
        expires_at: 0,
        requested_at: now,
      })
      .onConflict((oc) =>
        oc
          .column('contact_id')
          .doUpdateSet({ status: 'pending', requested_at: now })
          .where((eb) =>
            eb.and([
              eb('customer_cards.workspace_id', '=', workspaceId),
              ...(options.force ? [] : [eb('customer_cards.expires_at', '<=', now)]),
              eb.or([
                eb('customer_cards.status', '!=', 'pending'),
                eb('customer_cards.requested_at', '<', options.stuckBefore),
              ]),
            ]),
          ),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  saveResult(
    workspaceId: string,
    contactId: string,
    result: Pick<CardRow, 'status' | 'error' | 'fetched_at' | 'expires_at'> & { card?: string | null },
  ) {
    return this.db
      .updateTable('customer_cards')
      .set(result)
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', '=', contactId)
      .execute();
  }

  deleteForContacts(db: Db, workspaceId: string, contactIds: string[]) {
    if (contactIds.length === 0) return Promise.resolve();
    return db
      .deleteFrom('customer_cards')
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', 'in', contactIds)
      .execute();
  }
}
