// Storage of the readers of pulled channels (IMAP mailboxes, Telegram long polling): the lease that
// lets one node at a time read a channel, and the channel error a reader shows. The lease is taken
// the way durable jobs are (jobs/repo.ts): one conditional UPDATE that only succeeds while nobody
// else holds an unexpired lease.
import type { Kysely } from 'kysely';
import type { Database } from '../../../storage/schema.js';

export class ReaderLeaseRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Takes (or keeps) the channel's lease for `owner` until now + leaseMs; false while another node holds it. */
  async claim(accountId: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
    await this.db
      .insertInto('channel_readers')
      .values({ account_id: accountId, owner: null, lease_until: 0 })
      .onConflict((oc) => oc.column('account_id').doNothing())
      .execute();
    const result = await this.db
      .updateTable('channel_readers')
      .set({ owner, lease_until: now + leaseMs })
      .where('account_id', '=', accountId)
      .where((eb) => eb.or([eb('owner', 'is', null), eb('owner', '=', owner), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Extends a lease this owner still holds; false when it was lost (expired and taken by another node). */
  async renew(accountId: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable('channel_readers')
      .set({ lease_until: now + leaseMs })
      .where('account_id', '=', accountId)
      .where('owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Gives the lease up at once (a graceful stop), so another node need not wait for it to expire. */
  release(accountId: string, owner: string): Promise<unknown> {
    return this.db
      .updateTable('channel_readers')
      .set({ owner: null, lease_until: 0 })
      .where('account_id', '=', accountId)
      .where('owner', '=', owner)
      .execute();
  }

  /** The channel's error the admin sees. */
  setError(accountId: string, error: string): Promise<unknown> {
    return this.db
      .updateTable('channel_accounts')
      .set({ last_error: error.slice(0, 2000) })
      .where('id', '=', accountId)
      .execute();
  }

  /** Clears the channel's error only when it is the reader's own (starts with `prefix`). */
  clearError(accountId: string, prefix: string): Promise<unknown> {
    return this.db
      .updateTable('channel_accounts')
      .set({ last_error: null })
      .where('id', '=', accountId)
      .where('last_error', 'like', `${prefix}%`)
      .execute();
  }
}
