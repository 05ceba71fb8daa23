// Inbound mail read from IMAP mailboxes, for e-mail channels whose `inbound` is "imap". The
// channel readers (core/readers.ts) give each such mailbox to one node at a time, by a lease. A
// session logs in, opens the mailbox and takes in every message past the last UID stored for the
// channel, through the same path as the SMTP listener (mail.ts, then the service's ingest: dedupe
// by Message-ID, threading, attachments), marks it \Seen and stores its UID. It then waits for the
// server's word of new mail (IDLE, or imapflow's polling where the server has none) or the
// channel's poll interval, whichever comes first. A failure is logged, shown as the channel's
// error, and retried with back-off.
//
// The mailbox's UIDs are trusted only under the UIDVALIDITY they were read with. On the first read
// (and if the server ever renumbers the mailbox) the unread messages are taken in and the rest is
// left as history; mail already taken in is known by its Message-ID and not stored again.
import type { FastifyBaseLogger } from 'fastify';
import type { ImapFlow, MailboxObject } from 'imapflow';
import type { ReaderLeaseRepo } from '../core/reader-repo.js';
import { ReaderPause, readerBackoffMs, type ReaderKind, type ReaderSession } from '../core/readers.js';
import type { AccountRow, ChannelRepo } from '../core/repo.js';
import type { ChannelService } from '../core/service.js';
import { imapSettings, type ImapSettings } from './adapter.js';
import { IMAP_ERROR_PREFIX, describeImapError, imapClient } from './imap-client.js';
import type { ImapMailboxRepo } from './imap-repo.js';
import { MAX_MAIL_BYTES, mailToEvent } from './mail.js';

/** How long a stopping session may take to finish the message in hand and log out. */
const STOP_GRACE_MS = 3000;

export interface ImapReaderOptions {
  /** Wait before the first reconnect after a failure; doubles with each failure after it. */
  retryBaseMs: number;
  retryMaxMs: number;
}

interface ImapDeps {
  channels: ChannelRepo;
  mailboxes: ImapMailboxRepo;
  leases: ReaderLeaseRepo;
  service: ChannelService;
  log: FastifyBaseLogger;
}

/** E-mail channels that read a mailbox, for the channel readers. */
export function imapReaderKind(deps: ImapDeps, options: ImapReaderOptions): ReaderKind {
  const settingsOf = (row: AccountRow): ImapSettings | undefined => {
    try {
      return imapSettings(deps.service.context(row));
    } catch (error) {
      deps.log.warn({ err: error, accountId: row.id }, 'e-mail channel settings unreadable');
      return undefined;
    }
  };
  return {
    name: 'IMAP mailbox',
    wanted: async () =>
      (await deps.channels.enabledAccountsOfKind('email')).filter((row) => settingsOf(row) !== undefined),
    open: (row) => new MailboxSession(row, settingsOf(row)!, deps, options),
  };
}

/** One mailbox, read by this node for as long as it holds the lease: reconnects with back-off. */
class MailboxSession implements ReaderSession {
  private client: ImapFlow | undefined;
  private stopped = false;
  /** Set by the server's word of new mail; cleared when a catch-up starts. */
  private changed = false;
  private readonly pause = new ReaderPause();
  private readonly done: Promise<void>;

  constructor(
    readonly row: AccountRow,
    private readonly settings: ImapSettings,
    private readonly deps: ImapDeps,
    private readonly options: ImapReaderOptions,
  ) {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pause.wake();
    // A session still logging in (or stuck on a dead connection) is cut off rather than waited for.
    const cutOff = setTimeout(() => this.client?.close(), STOP_GRACE_MS);
    await this.done;
    clearTimeout(cutOff);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.session(() => (failures = 0));
      } catch (error) {
        if (this.stopped) break;
        failures++;
        const reason = describeImapError(error, this.settings);
        this.deps.log.warn({ err: error, accountId: this.row.id, failures }, reason);
        await this.deps.leases.setError(this.row.id, reason).catch(() => undefined);
        await this.pause.sleep(readerBackoffMs(failures, this.options.retryBaseMs, this.options.retryMaxMs));
      }
    }
  }

  /** One connection: log in, catch up, then wait for news and catch up again until it ends. */
  private async session(connected: () => void): Promise<void> {
    const client = await imapClient(this.settings);
    this.client = client;
    const connection = { closed: false };
    client.on('error', (error: Error) =>
      this.deps.log.debug({ err: error, accountId: this.row.id }, 'IMAP connection error'),
    );
    client.on('close', () => {
      connection.closed = true;
      this.pause.wake();
    });
    client.on('exists', () => {
      this.changed = true;
      this.pause.wake();
    });
    try {
      await client.connect();
      await client.mailboxOpen(this.settings.mailbox);
      await this.deps.mailboxes.ensure(this.row.id, Date.now());
      await this.deps.leases.clearError(this.row.id, IMAP_ERROR_PREFIX);
      connected();
      while (!this.stopped) {
        if (connection.closed)
          throw Object.assign(new Error('The IMAP connection was closed'), { code: 'EConnectionClosed' });
        this.changed = false;
        await this.catchUp(client);
        if (!this.changed && !this.stopped && !connection.closed)
          await this.pause.sleep(this.settings.pollMs);
      }
    } finally {
      this.client = undefined;
      if (connection.closed) client.close();
      else await client.logout().catch(() => client.close());
    }
  }

  /** Takes in every message past the stored position, oldest first, storing the position after each. */
  private async catchUp(client: ImapFlow): Promise<void> {
    const mailbox = client.mailbox as MailboxObject;
    const uidValidity = Number(mailbox.uidValidity);
    let position = await this.deps.mailboxes.position(this.row.id);
    if (position && position.uid_validity !== uidValidity) {
      await this.firstRead(client, uidValidity);
      // Stopped half-way, the position is still unset: reading on from UID 1 would take in history.
      if (this.stopped) return;
      position = await this.deps.mailboxes.position(this.row.id);
    }
    if (!position || position.uid_validity !== uidValidity) return; // the channel was removed meanwhile
    const lastUid = position.last_uid;
    const fresh = await client.fetchAll(`${lastUid + 1}:*`, { uid: true, size: true }, { uid: true });
    // "n:*" names the last message even when its UID is below n: only what is really new counts.
    const uids = fresh.filter((m) => m.uid > lastUid).sort((a, b) => a.uid - b.uid);
    for (const { uid, size } of uids) {
      if (this.stopped) return;
      await this.takeIn(client, uid, size ?? 0);
      await this.deps.mailboxes.advance(this.row.id, uidValidity, uid, Date.now());
    }
  }

  /** A mailbox not read before (or renumbered): its unread mail is taken in, the rest is history. */
  private async firstRead(client: ImapFlow, uidValidity: number): Promise<void> {
    // The newest UID first, then the search: mail arriving in between is above it and read next.
    const newest =
      client.mailbox && client.mailbox.exists > 0 ? await client.fetchOne('*', { uid: true }) : false;
    const top = newest ? newest.uid : 0;
    const unread =
      top > 0 ? (await client.search({ seen: false, uid: `1:${top}` }, { uid: true })) || [] : [];
    for (const uid of [...unread].sort((a, b) => a - b)) {
      if (this.stopped) return;
      const [meta] = await client.fetchAll(String(uid), { uid: true, size: true }, { uid: true });
      if (meta) await this.takeIn(client, uid, meta.size ?? 0);
    }
    await this.deps.mailboxes.restart(this.row.id, uidValidity, top, Date.now());
    this.deps.log.info(
      { accountId: this.row.id, unread: unread.length, top },
      'IMAP mailbox read for the first time',
    );
  }

  private async takeIn(client: ImapFlow, uid: number, size: number): Promise<void> {
    if (size > MAX_MAIL_BYTES) {
      this.deps.log.warn(
        { accountId: this.row.id, uid, size },
        'IMAP message larger than the mail limit; left unread',
      );
      return;
    }
    const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    if (!message || !message.source) return; // expunged meanwhile
    let event;
    try {
      event = await mailToEvent(message.source);
    } catch (error) {
      this.deps.log.warn({ err: error, accountId: this.row.id, uid }, 'IMAP message unreadable; skipped');
      return;
    }
    if (event) await this.deps.service.ingest(this.row, [event]);
    await client
      .messageFlagsAdd(String(uid), ['\\Seen'], { uid: true })
      .catch((error: unknown) => this.deps.log.debug({ err: error, uid }, 'IMAP \\Seen not set'));
  }
}
