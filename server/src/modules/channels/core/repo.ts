// Storage of the channels tables. Every write that belongs to a conversation write takes the
// caller's transaction.
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../../storage/schema.js';
import type { ChannelAccountsTable, ChannelContactsTable, ChannelOutboundTable } from './tables.js';

export type Db = Kysely<Database> | Transaction<Database>;
export type AccountRow = Selectable<ChannelAccountsTable>;
export type ChannelContactRow = Selectable<ChannelContactsTable>;
export type OutboundRow = Selectable<ChannelOutboundTable>;

export class ChannelRepo {
  constructor(readonly db: Kysely<Database>) {}

  listAccounts(workspaceId: string): Promise<AccountRow[]> {
    return this.db
      .selectFrom('channel_accounts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .execute();
  }

  findAccount(workspaceId: string, id: string): Promise<AccountRow | undefined> {
    return this.db
      .selectFrom('channel_accounts')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  accountById(id: string): Promise<AccountRow | undefined> {
    return this.db.selectFrom('channel_accounts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  accountByKey(kind: string, key: string): Promise<AccountRow | undefined> {
    return this.db
      .selectFrom('channel_accounts')
      .selectAll()
      .where('kind', '=', kind)
      .where('webhook_key', '=', key)
      .executeTakeFirst();
  }

  enabledAccountsOfKind(kind: string): Promise<AccountRow[]> {
    return this.db
      .selectFrom('channel_accounts')
      .selectAll()
      .where('kind', '=', kind)
      .where('enabled', '=', 1)
      .execute();
  }

  insertAccount(row: Insertable<ChannelAccountsTable>): Promise<unknown> {
    return this.db.insertInto('channel_accounts').values(row).execute();
  }

  updateAccount(id: string, patch: Partial<ChannelAccountsTable>): Promise<unknown> {
    return this.db.updateTable('channel_accounts').set(patch).where('id', '=', id).execute();
  }

  async deleteAccount(workspaceId: string, id: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      for (const table of [
        'channel_outbound',
        'channel_inbound',
        'channel_contacts',
        'channel_imap_mailboxes',
        'channel_telegram_polls',
        'channel_readers',
      ] as const)
        await trx.deleteFrom(table).where('account_id', '=', id).execute();
      const result = await trx
        .deleteFrom('channel_accounts')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  /** True the first time this provider event is seen. */
  async claimInbound(db: Db, accountId: string, providerId: string, now: number): Promise<boolean> {
    const result = await db
      .insertInto('channel_inbound')
      .values({ account_id: accountId, provider_id: providerId, received_at: now })
      .onConflict((oc) => oc.columns(['account_id', 'provider_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  findChannelContact(accountId: string, externalId: string): Promise<ChannelContactRow | undefined> {
    return this.db
      .selectFrom('channel_contacts')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
  }

  insertChannelContact(db: Db, row: ChannelContactRow): Promise<unknown> {
    return db
      .insertInto('channel_contacts')
      .values(row)
      .onConflict((oc) => oc.columns(['account_id', 'external_id']).doNothing())
      .execute();
  }

  touchChannelContact(
    accountId: string,
    externalId: string,
    patch: Partial<Pick<ChannelContactRow, 'address' | 'last_inbound_at' | 'thread'>>,
  ): Promise<unknown> {
    return this.db
      .updateTable('channel_contacts')
      .set(patch)
      .where('account_id', '=', accountId)
      .where('external_id', '=', externalId)
      .execute();
  }

  /** The channel identity a reply to this contact goes to: the one they last wrote from on this channel. */
  replyTarget(
    db: Db,
    workspaceId: string,
    contactId: string,
    kind: string,
  ): Promise<(ChannelContactRow & { enabled: number }) | undefined> {
    return db
      .selectFrom('channel_contacts')
      .innerJoin('channel_accounts', 'channel_accounts.id', 'channel_contacts.account_id')
      .selectAll('channel_contacts')
      .select('channel_accounts.enabled')
      .where('channel_contacts.workspace_id', '=', workspaceId)
      .where('channel_contacts.contact_id', '=', contactId)
      .where('channel_accounts.kind', '=', kind)
      .orderBy('channel_contacts.last_inbound_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  insertOutbound(db: Db, row: OutboundRow): Promise<unknown> {
    return db.insertInto('channel_outbound').values(row).execute();
  }

  outbound(messageId: string): Promise<OutboundRow | undefined> {
    return this.db
      .selectFrom('channel_outbound')
      .selectAll()
      .where('message_id', '=', messageId)
      .executeTakeFirst();
  }

  outboundByProviderId(accountId: string, providerMessageId: string): Promise<OutboundRow | undefined> {
    return this.db
      .selectFrom('channel_outbound')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('provider_message_id', '=', providerMessageId)
      .executeTakeFirst();
  }

  async conversationOfProviderIds(
    accountId: string,
    providerMessageIds: string[],
  ): Promise<string | undefined> {
    if (providerMessageIds.length === 0) return undefined;
    const row = await this.db
      .selectFrom('channel_outbound')
      .select('conversation_id')
      .where('account_id', '=', accountId)
      .where('provider_message_id', 'in', providerMessageIds)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    return row?.conversation_id;
  }

  /** Changes the row only while its status is one of `from` (concurrent status jobs cannot go backwards). */
  async updateOutboundFrom(messageId: string, from: string[], patch: Partial<OutboundRow>): Promise<boolean> {
    const result = await this.db
      .updateTable('channel_outbound')
      .set(patch)
      .where('message_id', '=', messageId)
      .where('status', 'in', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Whether an earlier reply to the same chat is still waiting to be sent. */
  async pendingBefore(
    outbound: Pick<OutboundRow, 'account_id' | 'address' | 'message_id'>,
  ): Promise<boolean> {
    const earlier = await this.db
      .selectFrom('channel_outbound')
      .select('message_id')
      .where('account_id', '=', outbound.account_id)
      .where('address', '=', outbound.address)
      .where('status', '=', 'pending')
      // Message ids are UUIDv7: they sort in the order the replies were written.
      .where('message_id', '<', outbound.message_id)
      .limit(1)
      .executeTakeFirst();
    return earlier !== undefined;
  }

  updateOutbound(messageId: string, patch: Partial<OutboundRow>): Promise<unknown> {
    return this.db.updateTable('channel_outbound').set(patch).where('message_id', '=', messageId).execute();
  }

  /** Replies to one address, sent up to a time, still below `status`. */
  outboundUpTo(accountId: string, address: string, upTo: number, below: string[]): Promise<OutboundRow[]> {
    return this.db
      .selectFrom('channel_outbound')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('address', '=', address)
      .where('created_at', '<=', upTo)
      .where('status', 'in', below)
      .execute();
  }

  deliveries(workspaceId: string, conversationId: string): Promise<OutboundRow[]> {
    return this.db
      .selectFrom('channel_outbound')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .orderBy('created_at')
      .execute();
  }
}
