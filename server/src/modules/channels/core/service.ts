// The channel service: one path for every provider. Inbound: the webhook is checked (signature or
// secret) before anything is parsed, each event is claimed once by its provider id and queued as
// a durable job, and the provider gets its answer at once; the job then finds or creates the
// contact, stores files, and writes the message as the contact (client_msg_id from the provider's
// id, so a retried job stores it once). Outbound: an operator's or bot's message in a channel
// conversation gets a delivery row and a job in the transaction that stored it; the job sends it
// with back-off on provider failures and keeps the delivery state operators see.
import { createHash, randomBytes } from 'node:crypto';
import { setTimeout } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import {
  CHANNEL_DELIVERY_STATUSES,
  LIMITS,
  type ChannelAccount,
  type ChannelAccountInput,
  type ChannelAccountPatch,
  type ChannelDelivery,
  type ChannelDeliveryStatus,
  type ChannelKind,
  type ChannelTestResult,
  type SendMessageBody,
} from '@frontline/protocol';
import { AppError, notFound } from '../../../errors.js';
import type { JobRepo } from '../../../jobs/repo.js';
import type { JobRow } from '../../../jobs/repo.js';
import type { RealtimeHub } from '../../../realtime/hub.js';
import { rooms } from '../../../realtime/rooms.js';
import { newId } from '../../../storage/ids.js';
import { parseJsonColumn } from '../../../storage/json.js';
import type { VisitorPrincipal } from '../../auth/principal.js';
import { normalisePhone, type ContactService } from '../../contacts/service.js';
import { parseContent } from '../../conversations/content.js';
import type { RecordObserver } from '../../conversations/repo.js';
import type { ConversationService } from '../../conversations/service.js';
import type { FileService } from '../../files/service.js';
import {
  ProviderError,
  type AccountContext,
  type ChannelAdapter,
  type InboundEvent,
  type InboundMessage,
  type InboundStatus,
  type InboundWatermark,
  type OutboundFile,
  type RawWebhook,
} from './adapter.js';
import type { SendThrottle } from './throttle.js';
import { parseButtonPayload } from './fallback.js';
import type { AccountRow, ChannelRepo, OutboundRow } from './repo.js';
import type { OutboundHttp } from '../../../outbound-http.js';
import { SecretBox } from '../../../secrets.js';
import { z } from 'zod';

export const CHANNEL_INBOUND_JOB = 'channel.inbound';
export const CHANNEL_SEND_JOB = 'channel.send';
/** Attempts to match a status to a message whose send has not recorded the provider's id yet. */
const STATUS_ATTEMPTS = 3;

const STATUS_RANK: Record<ChannelDeliveryStatus, number> = {
  pending: 0,
  sent: 1,
  failed: 1,
  delivered: 2,
  read: 3,
};
const Thread = z.object({
  messageId: z.string().optional(),
  references: z.array(z.string()).optional(),
  subject: z.string().optional(),
});
const Config = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/** The longest wait between attempts, even where a provider asks for more (it rarely means hours). */
const MAX_RETRY_WAIT_MS = 15 * 60_000;
/** A send over the rate waits this long in its job at most; longer waits run the job again later. */
const MAX_IN_PLACE_WAIT_MS = 2_000;
/** How soon a reply waiting behind an earlier one to the same chat looks again. */
const BEHIND_WAIT_MS = 1_000;

export interface ChannelServiceDeps {
  repo: ChannelRepo;
  adapters: ChannelAdapter[];
  conversations: ConversationService;
  contacts: ContactService;
  files: FileService;
  jobs: JobRepo;
  hub: RealtimeHub;
  log: FastifyBaseLogger;
  secretKey: string;
  http: OutboundHttp;
  publicUrl: string;
  fileMaxBytes: number;
  retryBaseMs: number;
  maxAttempts: number;
  throttle: SendThrottle;
}

export class ChannelService {
  private readonly adapters: Map<ChannelKind, ChannelAdapter>;
  private readonly secrets: SecretBox;
  private readonly changeListeners: Array<() => void> = [];

  constructor(private readonly deps: ChannelServiceDeps) {
    this.adapters = new Map(deps.adapters.map((a) => [a.kind, a]));
    this.secrets = new SecretBox(deps.secretKey, 'channels');
  }

  adapter(kind: string): ChannelAdapter {
    const adapter = this.adapters.get(kind as ChannelKind);
    if (!adapter) throw notFound('Channel type');
    return adapter;
  }

  webhookUrl(row: Pick<AccountRow, 'kind' | 'webhook_key'>): string {
    return `${this.deps.publicUrl}/channels/${row.kind}/${row.webhook_key}`;
  }

  context(row: AccountRow): AccountContext {
    return {
      id: row.id,
      workspaceId: row.workspace_id,
      kind: row.kind as ChannelKind,
      config: parseJsonColumn(Config, row.config, {}),
      secrets: this.secrets.openJson(row.secrets),
      http: this.deps.http,
    };
  }

  // ---- admin ----

  /** Called after a channel is created, changed or removed (the IMAP poller looks again at once). */
  onAccountsChanged(listener: () => void): void {
    this.changeListeners.push(listener);
  }

  private accountsChanged(): void {
    for (const listener of this.changeListeners) listener();
  }

  toAccount(row: AccountRow): ChannelAccount {
    const adapter = this.adapter(row.kind);
    let secretsSet: string[] = [];
    try {
      secretsSet = Object.keys(this.secrets.openJson(row.secrets)).sort();
    } catch {
      secretsSet = [];
    }
    return {
      id: row.id,
      kind: row.kind as ChannelKind,
      name: row.name,
      enabled: row.enabled === 1,
      config: parseJsonColumn(Config, row.config, {}),
      secretsSet,
      webhookUrl: this.webhookUrl(row),
      capabilities: adapter.capabilities,
      lastError: row.last_error,
      lastInboundAt: row.last_inbound_at,
      createdAt: row.created_at,
    };
  }

  async list(workspaceId: string): Promise<ChannelAccount[]> {
    return (await this.deps.repo.listAccounts(workspaceId)).map((row) => this.toAccount(row));
  }

  async get(workspaceId: string, id: string): Promise<AccountRow> {
    const row = await this.deps.repo.findAccount(workspaceId, id);
    if (!row) throw notFound('Channel');
    return row;
  }

  async create(workspaceId: string, input: ChannelAccountInput): Promise<ChannelAccount> {
    const adapter = this.adapter(input.kind);
    const config = validated(adapter.configSchema, input.config, 'config');
    const secrets = validated(adapter.secretsSchema, input.secrets, 'secrets');
    const now = Date.now();
    const row: AccountRow = {
      id: newId(),
      workspace_id: workspaceId,
      kind: input.kind,
      name: input.name,
      config: JSON.stringify(config),
      secrets: this.secrets.sealJson(secrets),
      webhook_key: randomBytes(18).toString('base64url'),
      enabled: 1,
      last_error: null,
      last_inbound_at: null,
      created_at: now,
      updated_at: now,
    };
    await this.deps.repo.insertAccount(row);
    this.accountsChanged();
    return this.toAccount(row);
  }

  async update(workspaceId: string, id: string, patch: ChannelAccountPatch): Promise<ChannelAccount> {
    const row = await this.get(workspaceId, id);
    const adapter = this.adapter(row.kind);
    const changes: Partial<AccountRow> = { updated_at: Date.now() };
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.enabled !== undefined) changes.enabled = patch.enabled ? 1 : 0;
    if (patch.config !== undefined)
      changes.config = JSON.stringify(validated(adapter.configSchema, patch.config, 'config'));
    if (patch.secrets !== undefined) {
      const merged = { ...this.secrets.openJson(row.secrets) };
      for (const [name, value] of Object.entries(patch.secrets)) {
        if (value === '') delete merged[name];
        else merged[name] = value;
      }
      changes.secrets = this.secrets.sealJson(validated(adapter.secretsSchema, merged, 'secrets'));
    }
    await this.deps.repo.updateAccount(id, changes);
    this.accountsChanged();
    return this.toAccount({ ...row, ...changes });
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    if (!(await this.deps.repo.deleteAccount(workspaceId, id))) throw notFound('Channel');
    this.accountsChanged();
  }

  async test(workspaceId: string, id: string): Promise<ChannelTestResult> {
    const row = await this.get(workspaceId, id);
    try {
      const detail = await this.adapter(row.kind).test(this.context(row), this.webhookUrl(row));
      await this.deps.repo.updateAccount(id, { last_error: null });
      return { ok: true, detail };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      await this.deps.repo.updateAccount(id, { last_error: detail });
      return { ok: false, detail };
    }
  }

  async deliveries(workspaceId: string, conversationId: string): Promise<ChannelDelivery[]> {
    return (await this.deps.repo.deliveries(workspaceId, conversationId)).map(toDelivery);
  }

  // ---- inbound ----

  /** A provider's webhook request: handshake, or checked and queued events. */
  async webhook(
    kind: string,
    key: string,
    request: RawWebhook,
  ): Promise<{ status: number; body: string; contentType?: string }> {
    const adapter = this.adapters.get(kind as ChannelKind);
    const row = adapter ? await this.deps.repo.accountByKey(kind, key) : undefined;
    if (!adapter || !row || row.enabled !== 1)
      return { status: 404, body: 'No such channel: check the webhook URL on the Channels page' };
    const account = this.context(row);
    const handshake = adapter.handshake?.(account, request);
    if (handshake) return handshake;
    if (request.method !== 'POST') return { status: 405, body: 'POST only' };
    if (!adapter.verify(account, request)) {
      this.deps.log.warn(
        { channel: kind, accountId: row.id },
        'channel webhook refused: bad signature or secret',
      );
      return { status: 401, body: 'Signature check failed' };
    }
    let outcome;
    try {
      outcome = adapter.parse(account, request);
    } catch (error) {
      this.deps.log.warn({ err: error, channel: kind, accountId: row.id }, 'channel webhook unreadable');
      return { status: 400, body: 'Unreadable payload' };
    }
    await this.ingest(row, outcome.events);
    return outcome.reply ?? { status: 200, body: 'ok' };
  }

  /** Claims each event once (by provider id) and queues it, in one transaction. */
  async ingest(row: AccountRow, events: InboundEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const now = Date.now();
    let queued = 0;
    await this.deps.repo.db.transaction().execute(async (trx) => {
      for (const event of events) {
        if (!(await this.deps.repo.claimInbound(trx, row.id, event.providerId, now))) continue;
        await this.deps.jobs.enqueue(
          {
            workspaceId: row.workspace_id,
            kind: CHANNEL_INBOUND_JOB,
            payload: { accountId: row.id, event },
            runAt: now,
          },
          trx,
        );
        queued++;
      }
    });
    if (queued > 0) await this.deps.repo.updateAccount(row.id, { last_inbound_at: now });
    return queued;
  }

  /** The inbound job. */
  async processInbound(payload: Record<string, unknown>, attempts = 1): Promise<void> {
    const row = await this.deps.repo.accountById(String(payload.accountId));
    if (!row) return; // the channel was removed meanwhile
    const event = payload.event as InboundEvent;
    if (event.type === 'status') return this.applyStatus(row, event, attempts);
    if (event.type === 'watermark') return this.applyWatermark(row, event);
    return this.receiveMessage(row, event);
  }

  /** One inbound message at a time per person on this node, so two quick messages open one conversation. */
  private readonly personQueues = new Map<string, Promise<unknown>>();

  private receiveMessage(row: AccountRow, event: InboundMessage): Promise<void> {
    const key = `${row.id}\n${event.user.externalId}`;
    const previous = this.personQueues.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.receiveMessageNow(row, event));
    this.personQueues.set(key, run);
    void run
      .catch(() => undefined)
      .finally(() => {
        if (this.personQueues.get(key) === run) this.personQueues.delete(key);
      });
    return run;
  }

  private async receiveMessageNow(row: AccountRow, event: InboundMessage): Promise<void> {
    const adapter = this.adapter(row.kind);
    const account = this.context(row);
    const now = Date.now();
    const contactId = await this.channelContact(row, event, now);
    const visitor: VisitorPrincipal = { kind: 'visitor', workspaceId: row.workspace_id, contactId };
    const conversationId = await this.conversationFor(row, visitor, event);

    const fileIds: string[] = [];
    const notes: string[] = [];
    for (const file of event.files) {
      try {
        const fetched = await adapter.download(account, file);
        if (fetched.bytes.length > this.deps.fileMaxBytes) {
          notes.push(
            `[${fetched.name}: larger than ${Math.round(this.deps.fileMaxBytes / 1048576)} MB, not kept]`,
          );
          continue;
        }
        const info = await this.deps.files.upload(visitor, {
          bytes: fetched.bytes,
          filename: fetched.name,
          declaredMime: fetched.mime,
        });
        fileIds.push(info.id);
      } catch (error) {
        if (error instanceof ProviderError && error.retryable) throw error;
        notes.push(`[${file.name ?? 'file'}: could not be fetched from ${row.kind}]`);
        this.deps.log.warn({ err: error, channel: row.kind }, 'channel file not fetched');
      }
    }
    const replyTo = event.buttonPayload
      ? await this.buttonReply(row.workspace_id, conversationId, event.buttonPayload)
      : undefined;
    const text = [event.text, ...notes]
      .filter((t) => t.trim())
      .join('\n')
      .slice(0, LIMITS.messageTextMaxChars);
    const body: SendMessageBody = {
      clientMsgId: `ch:${createHash('sha256').update(`${row.id}\n${event.providerId}`).digest('hex').slice(0, 48)}`,
      kind: 'text',
      text:
        replyTo && !text ? '' : text || (fileIds.length || event.location || event.sharedContact ? '' : '…'),
      fileIds,
      buttons: [],
      replyTo,
      location: event.location,
      sharedContact: event.sharedContact,
    };
    await this.deps.conversations.sendMessage(visitor, conversationId, body);
    if (event.ack)
      await adapter
        .acknowledge?.(account, event.ack)
        .catch((error: unknown) =>
          this.deps.log.warn({ err: error, channel: row.kind }, 'channel button acknowledgement failed'),
        );
  }

  /** The contact behind a provider user: known, matched by phone or e-mail, or new. */
  private async channelContact(row: AccountRow, event: InboundMessage, now: number): Promise<string> {
    const { user } = event;
    const thread = event.thread
      ? JSON.stringify({
          subject: event.thread.subject,
          messageId: event.thread.messageId,
          references: [...event.thread.references, event.thread.messageId].slice(-20),
        })
      : undefined;
    const known = await this.deps.repo.findChannelContact(row.id, user.externalId);
    if (known) {
      const contact = await this.deps.repo.db
        .selectFrom('contacts')
        .select(['id', 'merged_into_id'])
        .where('id', '=', known.contact_id)
        .executeTakeFirst();
      await this.deps.repo.touchChannelContact(row.id, user.externalId, {
        address: user.address,
        last_inbound_at: now,
        ...(thread ? { thread } : {}),
      });
      return contact?.merged_into_id ?? known.contact_id;
    }
    const email = user.email?.toLowerCase() ?? null;
    const phone = normalisePhone(user.phone ?? null);
    let contactId: string | undefined;
    if (email || phone) {
      const match = await this.deps.repo.db
        .selectFrom('contacts')
        .select('id')
        .where('workspace_id', '=', row.workspace_id)
        .where('merged_into_id', 'is', null)
        .where('erased_at', 'is', null)
        .where((eb) => {
          const ors = [];
          if (email) ors.push(eb('email', '=', email));
          if (phone) ors.push(eb('phone_normalized', '=', phone));
          return eb.or(ors);
        })
        .orderBy('created_at')
        .executeTakeFirst();
      contactId = match?.id;
    }
    if (!contactId) {
      const created = await this.deps.contacts.insert(this.deps.repo.db, row.workspace_id, {
        name: user.name,
        email,
        phone: user.phone ?? null,
        phone_normalized: phone,
        metadata: JSON.stringify({ channel: row.kind }),
      });
      contactId = created.id;
    }
    await this.deps.repo.insertChannelContact(this.deps.repo.db, {
      account_id: row.id,
      external_id: user.externalId,
      workspace_id: row.workspace_id,
      contact_id: contactId,
      address: user.address,
      last_inbound_at: now,
      thread: thread ?? '{}',
      created_at: now,
    });
    // A concurrent job may have won the insert: use whichever row is stored.
    const stored = await this.deps.repo.findChannelContact(row.id, user.externalId);
    return stored?.contact_id ?? contactId;
  }

  private async conversationFor(
    row: AccountRow,
    visitor: VisitorPrincipal,
    event: InboundMessage,
  ): Promise<string> {
    // E-mail: a reply to one of our messages goes back into that conversation (reopening it).
    if (event.thread) {
      const threaded = await this.deps.repo.conversationOfProviderIds(row.id, event.thread.references);
      if (threaded) {
        const conversation = await this.deps.conversations.get(visitor, threaded).catch(() => undefined);
        if (conversation) return conversation.id;
      }
    }
    const open = await this.deps.conversations.findOpenForVisitor(visitor);
    if (open) return open.id;
    const opened = await this.deps.conversations.openForVisitor(
      visitor,
      `channel:${row.id}:${event.user.externalId}`,
      {
        source: 'channel',
        channel: row.kind as ChannelKind,
      },
    );
    return opened.id;
  }

  private async buttonReply(
    workspaceId: string,
    conversationId: string,
    payload: string,
  ): Promise<SendMessageBody['replyTo']> {
    const parsed = parseButtonPayload(payload);
    if (!parsed) return undefined;
    const message = await this.deps.repo.db
      .selectFrom('messages')
      .select('content')
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('id', '=', parsed.messageId)
      .executeTakeFirst()
      .catch(() => undefined);
    if (!message) return undefined;
    const buttons = parseContent(message.content).buttons;
    // Our payloads carry the button's index; Viber brings back the label the person tapped.
    const button = /^\d+$/.test(parsed.buttonId)
      ? buttons[Number(parsed.buttonId)]
      : buttons.find((b) => b.label === parsed.buttonId);
    return button && !button.url ? { messageId: parsed.messageId, buttonId: button.id } : undefined;
  }

  private async applyStatus(row: AccountRow, event: InboundStatus, attempts: number): Promise<void> {
    const outbound = await this.deps.repo.outboundByProviderId(row.id, event.providerMessageId);
    // A status can overtake the send's own answer: try again a little later, a few times.
    if (!outbound && attempts < STATUS_ATTEMPTS)
      throw new Error(`No sent message ${event.providerMessageId} yet`);
    if (!outbound) return;
    // Statuses arrive out of order and their jobs run concurrently: move only forwards, in one
    // conditional update; a failure only replaces pending or sent.
    const from =
      event.status === 'failed'
        ? ['pending', 'sent']
        : CHANNEL_DELIVERY_STATUSES.filter(
            (s) => s !== 'failed' && STATUS_RANK[s] < STATUS_RANK[event.status],
          );
    const updatedAt = Date.now();
    const changed = await this.deps.repo.updateOutboundFrom(outbound.message_id, from, {
      status: event.status,
      error: event.error ?? null,
      updated_at: updatedAt,
    });
    if (changed)
      this.announce({ ...outbound, status: event.status, error: event.error ?? null, updated_at: updatedAt });
  }

  private async applyWatermark(row: AccountRow, event: InboundWatermark): Promise<void> {
    const below = event.status === 'read' ? ['sent', 'delivered'] : ['sent'];
    for (const outbound of await this.deps.repo.outboundUpTo(row.id, event.address, event.upTo, below)) {
      const updatedAt = Date.now();
      const changed = await this.deps.repo.updateOutboundFrom(outbound.message_id, below, {
        status: event.status,
        updated_at: updatedAt,
      });
      if (changed) this.announce({ ...outbound, status: event.status, updated_at: updatedAt });
    }
  }

  // ---- outbound ----

  /** Runs in the transaction that stores each message: queues channel replies. */
  observer(): RecordObserver {
    return async (db, recorded) => {
      if (recorded.kind !== 'message') return;
      const message = recorded.row;
      if (message.kind !== 'text' || (message.author_type !== 'operator' && message.author_type !== 'bot'))
        return;
      const conversation = await db
        .selectFrom('conversations')
        .select(['channel', 'contact_id'])
        .where('id', '=', message.conversation_id)
        .executeTakeFirst();
      if (!conversation || !this.adapters.has(conversation.channel as ChannelKind)) return;
      const target = await this.deps.repo.replyTarget(
        db,
        message.workspace_id,
        conversation.contact_id,
        conversation.channel,
      );
      if (!target) return;
      const now = Date.now();
      await this.deps.repo.insertOutbound(db, {
        message_id: message.id,
        workspace_id: message.workspace_id,
        conversation_id: message.conversation_id,
        account_id: target.account_id,
        address: target.address,
        status: 'pending',
        provider_message_id: null,
        error: null,
        attempts: 0,
        created_at: now,
        updated_at: now,
      });
      await this.deps.jobs.enqueue(
        {
          workspaceId: message.workspace_id,
          kind: CHANNEL_SEND_JOB,
          // The chat, so the send can take its turn before it reads anything (throttle.ts).
          payload: { messageId: message.id, chat: `${target.account_id}:${target.address}` },
          runAt: now,
        },
        db,
      );
    };
  }

  /**
   * The send job: one attempt; a retryable failure throws so the job runner backs off. Over the
   * provider's send rate, the job waits its turn (briefly in place, longer by running again later).
   */
  send(payload: Record<string, unknown>, job: JobRow): Promise<void | { rescheduleAt: number }> {
    const messageId = String(payload.messageId);
    const chat = typeof payload.chat === 'string' ? payload.chat : messageId;
    return this.deps.throttle.inTurn(chat, () => this.sendNow(messageId, job));
  }

  private async sendNow(messageId: string, job: JobRow): Promise<void | { rescheduleAt: number }> {
    const outbound = await this.deps.repo.outbound(messageId);
    if (!outbound || outbound.status !== 'pending') return; // sent already (a lease ran out mid-send)
    // A chat's replies leave in order on every node: behind one the provider held back (429) or
    // one still on its way, this one waits its turn.
    if (await this.deps.repo.pendingBefore(outbound)) return { rescheduleAt: Date.now() + BEHIND_WAIT_MS };
    const row = await this.deps.repo.accountById(outbound.account_id);
    if (!row) return;
    await this.deps.repo.updateOutbound(outbound.message_id, {
      attempts: job.attempts,
      updated_at: Date.now(),
    });
    if (row.enabled !== 1) {
      await this.setDelivery(outbound, {
        status: 'failed',
        error: 'The channel is disconnected; connect it again on the Channels page',
      });
      return;
    }
    const message = await this.deps.repo.db
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', outbound.message_id)
      .executeTakeFirst();
    if (!message) {
      // Erased meanwhile (data protection): nothing to send, and later replies must not wait on it.
      await this.setDelivery(outbound, {
        status: 'failed',
        error: 'The message was erased before it was sent',
      });
      return;
    }
    const content = parseContent(message.content);
    const target = await this.deps.repo.db
      .selectFrom('channel_contacts')
      .select(['last_inbound_at', 'thread'])
      .where('account_id', '=', row.id)
      .where('address', '=', outbound.address)
      .orderBy('last_inbound_at', 'desc')
      .executeTakeFirst();
    const stored = z
      .array(z.object({ fileId: z.string(), name: z.string(), mime: z.string(), size: z.number() }))
      .catch([])
      .parse(JSON.parse(message.attachments));
    const files: OutboundFile[] = stored.map((file) => ({
      name: file.name,
      mime: file.mime,
      size: file.size,
      bytes: () => this.fileBytes(file.fileId, file.name),
      url: this.deps.publicUrl + this.deps.files.signedUrl(file.fileId, file.name),
    }));
    const adapter = this.adapter(row.kind);
    for (;;) {
      const waitMs = await this.deps.throttle.reserve(row.id, outbound.address, adapter.sendRate);
      if (waitMs === 0) break;
      if (waitMs > MAX_IN_PLACE_WAIT_MS) return { rescheduleAt: Date.now() + waitMs };
      await setTimeout(waitMs);
    }
    try {
      const sent = await adapter.send(
        this.context(row),
        {
          address: outbound.address,
          lastInboundAt: target?.last_inbound_at ?? 0,
          thread: parseJsonColumn(Thread, target?.thread ?? '{}', {}),
        },
        {
          id: message.id,
          conversationId: message.conversation_id,
          text: message.text,
          buttons: content.buttons,
          files,
          location: content.location,
          sharedContact: content.sharedContact,
          authorName: message.author_name,
        },
      );
      await this.setDelivery(
        { ...outbound, attempts: job.attempts },
        { status: 'sent', error: null, provider_message_id: sent.providerMessageId },
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (error instanceof ProviderError && error.retryable) {
        await this.deps.repo.updateOutbound(outbound.message_id, { error: reason, updated_at: Date.now() });
        throw error;
      }
      await this.setDelivery({ ...outbound, attempts: job.attempts }, { status: 'failed', error: reason });
    }
  }

  /** The send job ran out of attempts. */
  async sendDied(payload: Record<string, unknown>, error: string): Promise<void> {
    const outbound = await this.deps.repo.outbound(String(payload.messageId));
    if (outbound?.status === 'pending') await this.setDelivery(outbound, { status: 'failed', error });
  }

  /** Doubling from the base, but never sooner than the provider asked (Retry-After, retry_after). */
  retryBackoff = (attempts: number, error?: unknown): number => {
    const ours = this.deps.retryBaseMs * 2 ** Math.max(0, attempts - 1);
    const asked = error instanceof ProviderError ? (error.details.retryAfterMs ?? 0) : 0;
    return Math.min(MAX_RETRY_WAIT_MS, Math.max(ours, asked));
  };

  get maxAttempts(): number {
    return this.deps.maxAttempts;
  }

  private async setDelivery(
    outbound: OutboundRow,
    change: { status: ChannelDeliveryStatus; error: string | null; provider_message_id?: string },
  ): Promise<void> {
    const updated: OutboundRow = { ...outbound, ...change, updated_at: Date.now() };
    await this.deps.repo.updateOutbound(outbound.message_id, {
      status: updated.status,
      error: updated.error,
      provider_message_id: updated.provider_message_id,
      attempts: updated.attempts,
      updated_at: updated.updated_at,
    });
    this.announce(updated);
  }

  private announce(row: OutboundRow): void {
    this.deps.hub.operators
      .to(rooms.workspaceOperators(row.workspace_id))
      .emit('channel:delivery', toDelivery(row));
  }

  private async fileBytes(fileId: string, name: string): Promise<Buffer> {
    const url = new URL(this.deps.files.signedUrl(fileId, name), 'http://local');
    const opened = await this.deps.files.openSigned(
      fileId,
      Number(url.searchParams.get('exp')),
      url.searchParams.get('sig') ?? '',
    );
    const chunks: Buffer[] = [];
    for await (const chunk of opened.body)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
    return Buffer.concat(chunks);
  }
}

function toDelivery(row: OutboundRow): ChannelDelivery {
  return {
    messageId: row.message_id,
    conversationId: row.conversation_id,
    accountId: row.account_id,
    status: row.status as ChannelDeliveryStatus,
    error: row.error,
    attempts: row.attempts,
    updatedAt: row.updated_at,
  };
}

function validated<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = [field, ...(issue?.path ?? [])].join('.');
    throw new AppError('validation_failed', `${path}: ${issue?.message ?? 'invalid'}`, path);
  }
  return parsed.data;
}
