// Storage of IMAP mailbox reading: how far each mailbox has been read. Which node reads it is the
// channel readers' lease (core/reader-repo.ts).
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../../storage/schema.js';
import type { ChannelImapMailboxesTable } from '../core/tables.js';

export type ImapMailboxRow = Selectable<ChannelImapMailboxesTable>;

export class ImapMailboxRepo {
  constructor(private readonly db: Kysely<Database>) {}

  /** Starts keeping the mailbox's position (none yet: the first read sets it). */
  ensure(accountId: string, now: number): Promise<unknown> {
    return this.db
      .insertInto('channel_imap_mailboxes')
      .values({ account_id: accountId, uid_validity: null, last_uid: 0, updated_at: now })
      .onConflict((oc) => oc.column('account_id').doNothing())
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
}
