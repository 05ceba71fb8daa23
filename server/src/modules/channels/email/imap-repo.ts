// Storage of IMAP mailbox reading: how far each mailbox has been read, and the lease that lets one
// node at a time hold its session. The lease is taken the way durable jobs are (jobs/repo.ts): one
// conditional UPDATE that only succeeds while nobody else holds an unexpired lease.
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../../storage/schema.js';
import type { ChannelImapMailboxesTable } from '../core/tables.js';
import { IMAP_ERROR_PREFIX } from './imap-client.js';

export type ImapMailboxRow = Selectable<ChannelImapMailboxesTable>;

export class ImapMailboxRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Takes (or keeps) the mailbox's lease for `owner` until now + leaseMs; false while another node holds it. */
  async claim(accountId: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
    await this.db
      .insertInto('channel_imap_mailboxes')
      .values({
        account_id: accountId,
        uid_validity: null,
        last_uid: 0,
        owner: null,
        lease_until: 0,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    const result = await this.db
      .updateTable('channel_imap_mailboxes')
      .set({ owner, lease_until: now + leaseMs })
      .where('account_id', '=', accountId)
      .where((eb) => eb.or([eb('owner', 'is', null), eb('owner', '=', owner), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Extends a lease this owner still holds; false when it was lost (expired and taken by another node). */
  async renew(accountId: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable('channel_imap_mailboxes')
      .set({ lease_until: now + leaseMs })
      .where('account_id', '=', accountId)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Gives the lease up at once (a graceful stop), so another node need not wait for it to expire. */
  release(accountId: string, owner: string): Promise<unknown> {
    return this.db
      .updateTable('channel_imap_mailboxes')
      .set({ owner: null, lease_until: 0 })
      .where('account_id', '=', accountId)
      .where('owner', '=', owner)
      .execute();
  }

  position(accountId: string): Promise<Pick<ImapMailboxRow, 'uid_validity' | 'last_uid'> | undefined> {
    return this.db
      .selectFrom('channel_imap_mailboxes')
      .select(['uid_validity', 'last_uid'])
      .where('account_id', '=', accountId)
      .executeTakeFirst();
  }

  /** Starts counting UIDs of a (new or rebuilt) mailbox from `lastUid`. */
  restart(accountId: string, uidValidity: number, lastUid: number, now: number): Promise<unknown> {
    return this.db
      .updateTable('channel_imap_mailboxes')
      .set({ uid_validity: uidValidity, last_uid: lastUid, updated_at: now })
      .where('account_id', '=', accountId)
      .execute();
  }

  /** Moves the read position forwards only: a node that lost its lease mid-mail cannot move it back. */
  advance(accountId: string, uidValidity: number, uid: number, now: number): Promise<unknown> {
    return this.db
      .updateTable('channel_imap_mailboxes')
      .set({ last_uid: uid, updated_at: now })
      .where('account_id', '=', accountId)
      .where('uid_validity', '=', uidValidity)
      .where('last_uid', '<', uid)
      .execute();
  }

  /** The channel's error the admin sees; only this side's errors are ever cleared by it. */
  setError(accountId: string, error: string): Promise<unknown> {
    return this.db
      .updateTable('channel_accounts')
      .set({ last_error: error.slice(0, 2000) })
      .where('id', '=', accountId)
      .execute();
  }

  clearError(accountId: string): Promise<unknown> {
    return this.db
      .updateTable('channel_accounts')
      .set({ last_error: null })
      .where('id', '=', accountId)
      .where('last_error', 'like', `${IMAP_ERROR_PREFIX}%`)
      .execute();
  }
}
