// Inbound mail read from IMAP mailboxes, for e-mail channels whose `inbound` is "imap". Every node
// runs a sweep: for each such channel it takes or renews the mailbox's lease (imap-repo.ts), so in
// cluster mode one node at a time holds a mailbox's session, and a node that dies loses it when the
// lease runs out. A session logs in, opens the mailbox and takes in every message past the last UID
// stored for the channel, through the same path as the SMTP listener (mail.ts, then the service's
// ingest: dedupe by Message-ID, threading, attachments), marks it \Seen and stores its UID. It then
// waits for the server's word of new mail (IDLE, or imapflow's polling where the server has none)
// or the channel's poll interval, whichever comes first. A failure is logged, shown as the
// channel's error, and retried with back-off. Why a lease of its own and not a durable job per
// mailbox: a session is held for hours, and each would take a job runner slot for all that time.
//
// The mailbox's UIDs are trusted only under the UIDVALIDITY they were read with. On the first read
// (and if the server ever renumbers the mailbox) the unread messages are taken in and the rest is
// left as history; mail already taken in is known by its Message-ID and not stored again.
import type { FastifyBaseLogger } from 'fastify';
import type { ImapFlow, MailboxObject } from 'imapflow';
import { newId } from '../../../storage/ids.js';
import type { AccountRow, ChannelRepo } from '../core/repo.js';
import type { ChannelService } from '../core/service.js';
import { imapSettings, type ImapSettings } from './adapter.js';
import { describeImapError, imapClient } from './imap-client.js';
import type { ImapMailboxRepo } from './imap-repo.js';
import { MAX_MAIL_BYTES, mailToEvent } from './mail.js';

/** How long a stopping session may take to finish the message in hand and log out. */
const STOP_GRACE_MS = 3000;

export interface ImapPollerOptions {
  /** How long a node's hold on a mailbox lasts without renewal; the sweep renews it three times as often. */
  leaseMs: number;
  /** Wait before the first reconnect after a failure; doubles with each failure after it. */
  retryBaseMs: number;
  retryMaxMs: number;
}

interface PollerDeps {
  channels: ChannelRepo;
  mailboxes: ImapMailboxRepo;
  service: ChannelService;
  log: FastifyBaseLogger;
}

export class ImapPoller {
  /** This process, as a lease owner: a restarted node is a new owner. */
  private readonly owner = newId();
  private readonly sessions = new Map<string, MailboxSession>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = true;

  constructor(
    private readonly deps: PollerDeps,
    private readonly options: ImapPollerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** A channel was created, changed or removed: look again now rather than at the next sweep. */
  wake(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.schedule(0);
  }

  /** Ends every session and gives its lease up, so another node (or this one restarted) takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.sweeping;
    await Promise.all([...this.sessions.keys()].map((id) => this.endSession(id)));
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const previous = this.sweeping ?? Promise.resolve();
      this.sweeping = previous
        .then(() => this.sweep())
        .catch((error: unknown) => this.deps.log.warn({ err: error }, 'IMAP mailbox sweep failed'))
        .finally(() => this.schedule(Math.max(250, Math.floor(this.options.leaseMs / 3))));
    }, delay);
  }

  private async sweep(): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map<string, { row: AccountRow; settings: ImapSettings }>();
    for (const row of await this.deps.channels.enabledAccountsOfKind('email')) {
      const settings = this.settingsOf(row);
      if (settings) wanted.set(row.id, { row, settings });
    }
    for (const [id, session] of this.sessions) {
      const want = wanted.get(id);
      // Removed, disconnected, switched to SMTP, or its settings changed: this session is over.
      if (!want || want.row.updated_at !== session.row.updated_at) await this.endSession(id);
      else if (!(await this.deps.mailboxes.renew(id, this.owner, Date.now(), this.options.leaseMs))) {
        this.deps.log.warn({ accountId: id }, 'IMAP mailbox lease lost; another node reads it now');
        await this.endSession(id, false);
      }
    }
    for (const [id, { row, settings }] of wanted) {
      if (this.stopped || this.sessions.has(id)) continue;
      if (!(await this.deps.mailboxes.claim(id, this.owner, Date.now(), this.options.leaseMs))) continue;
      this.sessions.set(id, new MailboxSession(row, settings, this.deps, this.options));
    }
  }

  private settingsOf(row: AccountRow): ImapSettings | undefined {
    try {
      return imapSettings(this.deps.service.context(row));
    } catch (error) {
      this.deps.log.warn({ err: error, accountId: row.id }, 'e-mail channel settings unreadable');
      return undefined;
    }
  }

  private async endSession(id: string, release = true): Promise<void> {
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    await session?.stop();
    if (release) await this.deps.mailboxes.release(id, this.owner);
  }
}

/** One mailbox, read by this node for as long as it holds the lease: reconnects with back-off. */
class MailboxSession {
  private client: ImapFlow | undefined;
  private stopped = false;
  /** Set by the server's word of new mail; cleared when a catch-up starts. */
  private changed = false;
  private wakeUp: (() => void) | undefined;
  private readonly done: Promise<void>;

  constructor(
    readonly row: AccountRow,
    private readonly settings: ImapSettings,
    private readonly deps: PollerDeps,
    private readonly options: ImapPollerOptions,
  ) {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeUp?.();
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
        await this.deps.mailboxes.setError(this.row.id, reason).catch(() => undefined);
        await this.pause(Math.min(this.options.retryMaxMs, this.options.retryBaseMs * 2 ** (failures - 1)));
      }
    }
  }

  /** One connection: log in, catch up, then wait for news and catch up again until it ends. */
  private async session(connected: () => void): Promise<void> {
    const client = imapClient(this.settings);
    this.client = client;
    const connection = { closed: false };
    client.on('error', (error: Error) =>
      this.deps.log.debug({ err: error, accountId: this.row.id }, 'IMAP connection error'),
    );
    client.on('close', () => {
      connection.closed = true;
      this.wakeUp?.();
    });
    client.on('exists', () => {
      this.changed = true;
      this.wakeUp?.();
    });
    try {
      await client.connect();
      await client.mailboxOpen(this.settings.mailbox);
      await this.deps.mailboxes.clearError(this.row.id);
      connected();
      while (!this.stopped) {
        if (connection.closed)
          throw Object.assign(new Error('The IMAP connection was closed'), { code: 'EConnectionClosed' });
        this.changed = false;
        await this.catchUp(client);
        if (!this.changed && !this.stopped && !connection.closed) await this.pause(this.settings.pollMs);
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

  /** Sleeps up to `ms`, cut short by new mail, a closed connection or stop(). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
