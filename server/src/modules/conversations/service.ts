// Conversations and the delivery of their messages. The rules of docs/delivery.md live here:
// a message is committed (with the next per-conversation seq) before anyone hears of it; a retried
// send returns the stored message; the same client id with other content is a conflict.
import { z } from 'zod';
import type {
  Conversation,
  ConversationListQuery,
  ConversationStatus,
  Message,
  MessageAuthor,
  MessagePage,
  MessagePageQuery,
  SendMessageBody,
} from '@frontline/protocol';
import {
  ConversationEventType,
  INBOX_QUEUES,
  LIMITS,
  PRIORITIES,
  RECENT_WINDOW_MS,
  SystemEvent,
  type Channel,
  type ConversationSource,
  type InboxCounts,
  type InboxQueue,
  type Priority,
} from '@frontline/protocol';
import { AppError, forbidden, notFound } from '../../errors.js';
import type { Announcer } from '../../realtime/hub.js';
import type { RateLimits } from '../../rate-limits.js';
import { decodeCursor, encodeCursor } from '../../storage/cursor.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { newId } from '../../storage/ids.js';
import { parseJsonColumn } from '../../storage/json.js';
import { normaliseForSearch } from '../../storage/search.js';
import type { OperatorPrincipal, Principal, StaffPrincipal, VisitorPrincipal } from '../auth/principal.js';
import type { FileService, StoredAttachment } from '../files/service.js';
import { HISTORY_EVENT_TYPES, type HistoryEvent } from '../routing/history.js';
import type { Selectable } from 'kysely';
import type { ConversationsTable, Database } from '../../storage/schema.js';
import type { Transaction } from 'kysely';
import {
  answeredButtonLabel,
  contentOfSend,
  contentPreview,
  NO_CONTENT,
  parseContent,
  serializeContent,
  type MessageContent,
} from './content.js';
import type {
  ConversationFilter,
  ConversationRepo,
  ConversationRow,
  ExpectedState,
  MessageRow,
  QueueScope,
  WaitChange,
  RecordObserver,
} from './repo.js';

type Db = Parameters<ConversationRepo['insertEvent']>[0];

/**
 * Operators' slots (concurrent conversations), kept by the operators module and changed in the
 * same transaction as the conversation, so the count is exact whichever node changes it.
 */
export interface SlotLedger {
  /** With enforceCapacity, false when the operator is full or not online. */
  reserve(
    db: Db,
    workspaceId: string,
    userId: string,
    now: number,
    enforceCapacity: boolean,
  ): Promise<boolean>;
  release(db: Db, workspaceId: string, userId: string): Promise<unknown>;
}

/** Told after commit when routing has something to do: a conversation queued or a slot freed. */
/** Asks for a routing pass; `retell` names waiting conversations whose visitor must hear their place again. */
export type RoutingTrigger = (workspaceId: string, retell?: readonly string[]) => void;

/** Runs in the transaction that stores a sent message (e.g. to enqueue a job for it). */
/** How a visitor's conversation starts (the widget's entry path). */
export interface VisitorOpening {
  /** Kept on the `created` event. */
  source?: ConversationSource;
  /** The channel the conversation runs on (the widget when absent); messenger channels set theirs. */
  channel?: Channel;
  /** Nobody can answer now: the conversation becomes an offline request instead of queuing. */
  offlineReason?: 'no_operators' | 'after_hours';
  /** A bot message that opens the conversation (a proactive invitation's text). */
  intro?: { authorName: string | null; text: string };
  /** Runs in the opening transaction. */
  alongside?: (trx: Transaction<Database>, conversationId: string) => Promise<unknown>;
  /** The widget's proactive invitation that opened it (a bot flow may be triggered by it). */
  invitationId?: string;
  /** The visitor's language, when the channel knows it. */
  language?: 'ru' | 'en';
}

/**
 * The bots module decides whether a bot takes a new conversation (status `bot`, not offered to
 * operators); when it does, `start` runs in the opening transaction and `started` after commit.
 */
export type BotGate = (
  workspaceId: string,
  opening: { channel: string; source: ConversationSource; invitationId?: string; language?: 'ru' | 'en' },
) => Promise<BotStart | null>;
export interface BotStart {
  flowId: string;
  version: number;
  start(trx: Transaction<Database>, conversationId: string): Promise<unknown>;
  started(conversationId: string): void;
}

/** A bot message, named before it is stored (the step's run state may point at it). */
export interface BotSay {
  id: string;
  clientMsgId: string;
  authorName: string | null;
  text: string;
  buttons: MessageContent['buttons'];
  /** Files the bot already stored (an HTTP action's answer). */
  attachments: StoredAttachment[];
}

/** What a bot step's transaction changed, to announce after its commit (announceBotStep). */
export interface BotStepChanges {
  messages: MessageRow[];
  conversationChanged: boolean;
  routingNeeded: boolean;
}

export function noBotStepChanges(): BotStepChanges {
  return { messages: [], conversationChanged: false, routingNeeded: false };
}

const PREVIEW_CHARS = 140;
const TransferData = z.object({ assignee_id: z.string().nullable().optional() });
const SYSTEM_ACTOR = { type: 'system', id: null };
/** Built once: routing reads it for every waiting conversation of a pass, and zod schemas are costly to build. */
const MissedBy = z.array(z.string());
const StoredAttachments = z.array(
  z.object({ fileId: z.string(), name: z.string(), mime: z.string(), size: z.number() }),
);

interface MessageDraft {
  /** Chosen by the caller when it must name the message before it is stored (a bot's menu). */
  id?: string;
  clientMsgId: string;
  author: MessageAuthor;
  kind: Message['kind'];
  text: string;
  attachments: StoredAttachment[];
  event: SystemEvent | null;
  content: MessageContent;
}

interface StateChange {
  status: ConversationStatus;
  assigneeId?: string | null;
  departmentId?: string;
  eventType: ConversationEventType;
  /** Shown in the message stream to both sides. */
  systemEvent: SystemEvent;
  expected: ExpectedState;
  conflictMessage: string;
  /** An internal note by the actor, stored with the change (a handover's note to the colleague). */
  note?: string;
}

export class ConversationService {
  constructor(
    private readonly repo: ConversationRepo,
    private readonly files: FileService,
    private readonly announcer: Announcer,
    private readonly rateLimits: RateLimits,
    private readonly slots: SlotLedger,
    /** The time source; the routing simulation runs on a virtual clock. */
    private readonly clock: () => number = Date.now,
  ) {}

  private routingTrigger: RoutingTrigger = () => undefined;
  /**
   * Conversations a keyword flow claimed in a transaction under way, keyed by the transaction so a
   * claim is forgotten with it. The claim happens while the visitor's message is being stored (bots
   * observe it), so the send announces the claimed row, not the queued one its own UPDATE returned.
   */
  private readonly claimedInTransaction = new WeakMap<object, Map<string, ConversationRow>>();
  /** How long after its resolution a visitor's message reopens a conversation (routing's setting). */
  private reopenWindowMs: (workspaceId: string) => Promise<number> = () => Promise.resolve(Infinity);

  /** Routing sets the reopen window; later messages start a new conversation. */
  onReopenWindow(window: (workspaceId: string) => Promise<number>): void {
    this.reopenWindowMs = window;
  }

  private botGate: BotGate = async () => null;
  private botInputCommitted: () => void = () => undefined;

  /** The bots module registers here (it is built after this service, and depends on it). */
  holdForBot(gate: BotGate): void {
    this.botGate = gate;
  }

  /** Told when a visitor's message to a bot is committed: the step it makes waits to be run. */
  onBotInput(listener: () => void): void {
    this.botInputCommitted = listener;
  }

  /** Routing subscribes here (it is built after this service, and depends on it). */
  onRoutingNeeded(trigger: RoutingTrigger): void {
    this.routingTrigger = trigger;
  }

  /**
   * A visitor's socket (re)joined these waiting conversations: a routing pass tells them their place
   * in line even where it has not changed since the last notice (which that socket missed).
   */
  retellPlaceInLine(workspaceId: string, conversationIds: readonly string[]): void {
    this.routingTrigger(workspaceId, conversationIds);
  }

  /** Integrations (the webhook outbox) write in the same transaction as every event and message. */
  onRecorded(observer: RecordObserver): void {
    this.repo.observe(observer);
  }

  // ---- reading ----

  /** The conversation, if the principal may see it: staff of its workspace, or the visitor it belongs to. */
  async get(principal: Principal, id: string): Promise<ConversationRow> {
    const row = await this.repo.findById(principal.workspaceId, id);
    if (!row || (principal.kind === 'visitor' && row.contact_id !== principal.contactId))
      throw notFound('Conversation');
    return row;
  }

  async list(
    staff: StaffPrincipal,
    query: ConversationListQuery,
    /** The caller's departments, for the inbox queues (`query.queue`). */
    myDepartmentIds: string[] = [],
  ): Promise<{ items: Conversation[]; nextCursor: string | null }> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const filter: ConversationFilter = {
      status: query.status,
      assignee: assigneeFilter(staff, query.assignee),
      departmentId: query.departmentId,
      contactId: query.contactId,
      q: query.q,
      channel: query.channel,
      tag: query.tag,
      queue: query.queue ? queueScope(staff, query.queue, myDepartmentIds) : undefined,
      after: after ? { activityAt: after.time, id: after.id } : undefined,
      limit: query.limit + 1,
    };
    const rows = await this.repo.list(staff.workspaceId, filter);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toConversation),
      nextCursor:
        rows.length > query.limit && last ? encodeCursor({ time: last.activity_at, id: last.id }) : null,
    };
  }

  /** The inbox sidebar's counters, one per queue, for this operator. */
  async inboxCounts(operator: OperatorPrincipal, myDepartmentIds: string[]): Promise<InboxCounts> {
    const counts = await Promise.all(
      INBOX_QUEUES.map((queue) =>
        this.repo.count(operator.workspaceId, { queue: queueScope(operator, queue, myDepartmentIds) }),
      ),
    );
    return Object.fromEntries(INBOX_QUEUES.map((queue, i) => [queue, counts[i] ?? 0])) as InboxCounts;
  }

  async messages(
    principal: Principal,
    conversationId: string,
    query: MessagePageQuery,
  ): Promise<MessagePage> {
    const conversation = await this.get(principal, conversationId);
    const includeNotes = principal.kind !== 'visitor';
    const rows = await this.repo.listMessages(principal.workspaceId, conversationId, {
      afterSeq: query.afterSeq,
      beforeSeq: query.afterSeq === undefined ? query.beforeSeq : undefined,
      limit: query.limit + 1,
      includeNotes,
    });
    const forwards = query.afterSeq !== undefined;
    const page = forwards ? rows.slice(0, query.limit) : rows.slice(-query.limit);
    const hasExtra = rows.length > query.limit;
    const first = page[0];
    const last = page.at(-1);
    return {
      items: page.map((r) => this.toMessage(r)),
      hasMoreBefore: forwards ? (first ? first.seq > 1 : (query.afterSeq ?? 0) > 0) : hasExtra,
      hasMoreAfter: forwards
        ? hasExtra
        : query.beforeSeq !== undefined && (last?.seq ?? 0) < conversation.last_seq,
      lastSeq: conversation.last_seq,
    };
  }

  /**
   * Reconnect catch-up for one conversation. `onAuthorised` runs after the access check and before
   * the read: the socket joins the conversation's room there, so a message committed during the
   * read is either in the result or delivered live (the client drops the duplicate by seq).
   * The conversation returned is the one read BEFORE the messages: clients take its lastSeq as
   * "I hold everything up to here", so it must never name a seq the page could have missed.
   */
  async catchUp(principal: Principal, conversationId: string, afterSeq: number, onAuthorised: () => void) {
    const conversation = toConversation(await this.get(principal, conversationId));
    onAuthorised();
    const page = await this.messages(principal, conversationId, {
      afterSeq,
      limit: LIMITS.syncMaxMessagesPerConversation,
    });
    return { id: conversationId, messages: page.items, hasMore: page.hasMoreAfter, conversation };
  }

  async findOpenForVisitor(visitor: VisitorPrincipal): Promise<Conversation | null> {
    const row = await this.repo.findOpenForContact(visitor.workspaceId, visitor.contactId);
    return row ? toConversation(row) : null;
  }

  recentConversationIds(visitor: VisitorPrincipal, limit = 20): Promise<string[]> {
    return this.repo.recentIdsForContact(visitor.workspaceId, visitor.contactId, limit);
  }

  // ---- visitor lifecycle ----

  /** The visitor's open conversation, or a new one (one open conversation per visitor). */
  async openForVisitor(
    visitor: VisitorPrincipal,
    clientIp: string,
    opening: VisitorOpening = {},
  ): Promise<Conversation> {
    const existing = await this.repo.findOpenForContact(visitor.workspaceId, visitor.contactId);
    if (existing) return toConversation(existing);
    await this.rateLimits.consume('conversation', `ip:${clientIp}`);
    const now = this.clock();
    const id = newId();
    const offline = opening.offlineReason !== undefined;
    const bot = offline
      ? null
      : await this.botGate(visitor.workspaceId, {
          channel: 'widget',
          source: opening.source ?? 'visitor',
          ...(opening.invitationId ? { invitationId: opening.invitationId } : {}),
          ...(opening.language ? { language: opening.language } : {}),
        });
    const opened = await this.repo.db.transaction().execute(async (trx) => {
      await this.repo.insertConversation(trx, {
        id,
        workspace_id: visitor.workspaceId,
        contact_id: visitor.contactId,
        channel: opening.channel ?? 'widget',
        status: offline ? 'offline' : bot ? 'bot' : 'queued',
        department_id: null,
        assignee_id: null,
        last_seq: 0,
        last_message_at: null,
        last_message_preview: null,
        visitor_last_read_seq: 0,
        operator_last_read_seq: 0,
        activity_at: now,
        created_at: now,
        updated_at: now,
        resolved_at: null,
        queued_at: offline || bot ? null : now,
      });
      const actor = { type: 'visitor', id: visitor.contactId };
      const created = { source: opening.source ?? 'visitor' };
      await this.repo.insertEvent(trx, eventRow(visitor.workspaceId, id, 'created', actor, created, now));
      const next = offline
        ? { type: 'went_offline' as const, data: { reason: opening.offlineReason } }
        : bot
          ? { type: 'bot_started' as const, data: { flowId: bot.flowId, version: bot.version } }
          : { type: 'queued' as const, data: {} };
      await this.repo.insertEvent(trx, eventRow(visitor.workspaceId, id, next.type, actor, next.data, now));
      const messages: MessageRow[] = [];
      if (opening.intro) {
        const intro: MessageDraft = {
          clientMsgId: `intro:${id}`,
          author: { type: 'bot', id: null, name: opening.intro.authorName },
          kind: 'text',
          text: opening.intro.text,
          attachments: [],
          event: null,
          content: NO_CONTENT,
        };
        messages.push((await this.append(trx, visitor.workspaceId, id, intro)).message);
      }
      if (offline)
        messages.push((await this.append(trx, visitor.workspaceId, id, systemDraft(next))).message);
      await opening.alongside?.(trx, id);
      await bot?.start(trx, id);
      return messages;
    });
    for (const message of opened) this.announcer.messageCreated(this.toMessage(message));
    const conversation = toConversation(await this.get(visitor, id));
    this.announcer.conversationChanged(visitor.workspaceId, conversation);
    if (bot) bot.started(id);
    else if (!offline) this.routingTrigger(visitor.workspaceId);
    return conversation;
  }

  /**
   * Records something that happened in a conversation without changing its state: an event row
   * (analytics), a system message in the stream, or both, plus the caller's own rows, in one
   * transaction. Returns the stream message, if any.
   */
  async recordEvent(
    principal: Principal,
    conversationId: string,
    record: {
      event?: { type: ConversationEventType; data: Record<string, unknown> };
      stream?: SystemEvent;
      alongside?: (trx: Transaction<Database>) => Promise<unknown>;
    },
  ): Promise<Message | null> {
    await this.get(principal, conversationId);
    const now = this.clock();
    const stored = await this.repo.db.transaction().execute(async (trx) => {
      await record.alongside?.(trx);
      if (record.event) {
        const { type, data } = record.event;
        await this.repo.insertEvent(
          trx,
          eventRow(principal.workspaceId, conversationId, type, actorOf(principal), data, now),
        );
      }
      if (!record.stream) return null;
      return (await this.append(trx, principal.workspaceId, conversationId, systemDraft(record.stream)))
        .message;
    });
    if (!stored) return null;
    const message = this.toMessage(stored);
    this.announcer.messageCreated(message);
    return message;
  }

  /**
   * A visitor proved to be a known contact, or two contacts merged: the conversations move, each
   * with a contact_updated event (the history says why, and webhooks hear of it). Runs in `within`
   * when given, else in a transaction of its own. Returns the moved conversations.
   */
  async moveToContact(
    workspaceId: string,
    fromContactId: string,
    toContactId: string,
    actor: { type: string; id: string | null },
    within?: Db,
  ): Promise<string[]> {
    const move = async (trx: Db) => {
      const moved = await this.repo.moveToContact(trx, workspaceId, fromContactId, toContactId);
      const now = Date.now();
      for (const conversationId of moved) {
        await this.repo.insertEvent(trx, {
          id: newId(),
          workspace_id: workspaceId,
          conversation_id: conversationId,
          type: 'contact_updated',
          actor_type: actor.type,
          actor_id: actor.id,
          data: JSON.stringify({ mergedFrom: fromContactId, contactId: toContactId }),
          created_at: now,
        });
      }
      return moved;
    };
    return within ? move(within) : this.repo.db.transaction().execute(move);
  }

  // ---- sending ----

  async sendMessage(
    principal: Principal,
    conversationId: string,
    body: SendMessageBody,
  ): Promise<{ message: Message; replayed: boolean }> {
    if (principal.kind === 'visitor' && body.kind === 'note')
      throw forbidden('Visitors cannot write internal notes');
    const conversation = await this.get(principal, conversationId);
    const stored = await this.repo.findMessageByClientId(
      principal.workspaceId,
      conversationId,
      body.clientMsgId,
    );
    if (stored) return { message: this.replay(stored, body), replayed: true };

    // Too long after the close, the visitor's message starts a new conversation (a retry finds it open).
    if (principal.kind === 'visitor' && conversation.status === 'resolved') {
      const closedFor = this.clock() - (conversation.resolved_at ?? conversation.updated_at);
      if (closedFor > (await this.reopenWindowMs(principal.workspaceId))) {
        const fresh = await this.openForVisitor(principal, `contact:${principal.contactId}`);
        if (fresh.id !== conversationId) return this.sendMessage(principal, fresh.id, body);
      }
    }
    await this.rateLimits.consume('message', rateKey(principal));
    const content = contentOfSend(principal, body);
    const text =
      body.replyTo && body.text.trim() === ''
        ? await this.buttonLabel(principal, conversationId, body.replyTo)
        : body.text;
    const attachments = await this.files.attachmentsFor(principal, body.fileIds);
    await this.beforeSend(principal, conversation, body.kind);
    const draft: MessageDraft = {
      clientMsgId: body.clientMsgId,
      author: authorOf(principal),
      kind: body.kind,
      text,
      attachments,
      event: null,
      content,
    };
    try {
      const appended = await this.repo.writeGrouped(conversationId, (trx) =>
        this.append(trx, principal.workspaceId, conversationId, draft),
      );
      const message = this.toMessage(appended.message);
      this.announcer.messageCreated(message);
      // The row as the send's own UPDATE left it (fresh, no second read); the contact is unchanged.
      const updated = {
        ...appended.conversation,
        contact_name: conversation.contact_name,
        contact_email: conversation.contact_email,
      };
      this.announcer.conversationChanged(principal.workspaceId, toConversation(updated));
      if (principal.kind === 'visitor' && updated.status === 'bot') this.botInputCommitted();
      return { message, replayed: false };
    } catch (error) {
      // Two concurrent sends with one client id: the loser's transaction rolled back; answer with the winner's.
      if (!isUniqueViolation(error)) throw error;
      const winner = await this.repo.findMessageByClientId(
        principal.workspaceId,
        conversationId,
        body.clientMsgId,
      );
      if (!winner) throw error;
      return { message: this.replay(winner, body), replayed: true };
    }
  }

  private async buttonLabel(
    principal: Principal,
    conversationId: string,
    reply: NonNullable<SendMessageBody['replyTo']>,
  ): Promise<string> {
    const answered = await this.repo.findMessageContent(
      principal.workspaceId,
      conversationId,
      reply.messageId,
    );
    return answeredButtonLabel(answered === undefined ? undefined : parseContent(answered), reply);
  }

  /** A visitor writing into a resolved conversation reopens it; an operator's reply takes it if free. */
  private async beforeSend(
    principal: Principal,
    conversation: ConversationRow,
    kind: SendMessageBody['kind'],
  ): Promise<void> {
    if (principal.kind === 'visitor' && conversation.status === 'resolved') {
      await this.changeState(principal, conversation.id, reopenChange()).catch(ignoreConflict);
    }
    // Replying to an offered conversation accepts the offer; to an unassigned one, takes it.
    const offeredToMe =
      conversation.status === 'offered' &&
      principal.kind === 'operator' &&
      conversation.assignee_id === principal.userId;
    if (
      principal.kind === 'operator' &&
      kind === 'text' &&
      (conversation.assignee_id === null || offeredToMe)
    ) {
      await this.changeState(principal, conversation.id, takeChange(principal)).catch(ignoreConflict);
    }
  }

  private replay(stored: MessageRow, body: SendMessageBody): Message {
    const sameFiles =
      attachmentsOf(stored)
        .map((a) => a.fileId)
        .join() === [...new Set(body.fileIds)].join();
    const sameContent =
      stored.content ===
      serializeContent({
        buttons: body.buttons,
        replyTo: body.replyTo ?? null,
        location: body.location ?? null,
        sharedContact: body.sharedContact ?? null,
      });
    const sameText = stored.text === body.text || (body.replyTo !== undefined && body.text.trim() === '');
    if (!sameText || stored.kind !== body.kind || !sameFiles || !sameContent) {
      throw new AppError(
        'conflict',
        'This clientMsgId was already used for a different message; send new content with a new id',
        'clientMsgId',
      );
    }
    return this.toMessage(stored);
  }

  private async append(
    trx: Parameters<ConversationRepo['insertMessage']>[0],
    workspaceId: string,
    conversationId: string,
    draft: MessageDraft,
  ): Promise<{ message: MessageRow; conversation: Selectable<ConversationsTable> }> {
    const now = this.clock();
    const preview = draft.kind === 'text' ? previewOf(draft) : null;
    const conversation = await this.repo.claimNextSeq(
      trx,
      workspaceId,
      conversationId,
      now,
      preview,
      waitChangeOf(draft),
    );
    if (!conversation) throw notFound('Conversation');
    const seq = conversation.last_seq;
    const row: MessageRow = {
      id: draft.id ?? newId(),
      workspace_id: workspaceId,
      conversation_id: conversationId,
      seq,
      client_msg_id: draft.clientMsgId,
      author_type: draft.author.type,
      author_id: draft.author.id,
      author_name: draft.author.name,
      kind: draft.kind,
      text: draft.text,
      attachments: JSON.stringify(draft.attachments),
      event: draft.event ? JSON.stringify(draft.event) : null,
      content: serializeContent(draft.content),
      search_text:
        draft.kind === 'event' ? '' : normaliseForSearch(draft.text, ...draft.attachments.map((a) => a.name)),
      created_at: now,
    };
    // A write undone earlier in this batch may have left its claim behind.
    this.claimedInTransaction.get(trx)?.delete(conversationId);
    await this.repo.insertMessage(trx, row, conversation);
    const claimed = this.claimedInTransaction.get(trx)?.get(conversationId);
    return { message: row, conversation: claimed ?? conversation };
  }

  // ---- state changes ----

  take(operator: OperatorPrincipal, id: string): Promise<Conversation> {
    return this.changeState(operator, id, takeChange(operator));
  }

  /** A supervisor hands the conversation to a chosen operator (over capacity if they decide so). */
  assign(staff: StaffPrincipal, id: string, assignee: { id: string; name: string }): Promise<Conversation> {
    return this.changeState(staff, id, {
      status: 'assigned',
      assigneeId: assignee.id,
      eventType: 'assigned',
      systemEvent: { type: 'assigned', data: { operatorName: assignee.name, by: actorName(staff) } },
      expected: { statusNot: 'resolved' },
      conflictMessage: 'The conversation is resolved, or changed at this moment; reload it',
    });
  }

  /**
   * Hands the conversation to a colleague, who gets it at once (over capacity if need be: a person
   * decided). An operator may hand over only what is theirs or nobody's; supervisors anything.
   */
  async handover(
    staff: StaffPrincipal,
    id: string,
    assignee: { id: string; name: string },
    note: string,
  ): Promise<Conversation> {
    const before = await this.get(staff, id);
    const ownsIt = staff.kind === 'operator' && [null, staff.userId].includes(before.assignee_id);
    if (staff.kind === 'operator' && staff.role === 'operator' && !ownsIt)
      throw forbidden('Only the assigned operator or a supervisor can hand this conversation over');
    if (before.assignee_id === assignee.id && before.status === 'assigned')
      throw new AppError('conflict', `${assignee.name} already has this conversation`, 'assigneeId');
    return this.changeState(staff, id, {
      status: 'assigned',
      assigneeId: assignee.id,
      eventType: 'transferred',
      systemEvent: {
        type: 'transferred',
        data: { toOperatorId: assignee.id, operatorName: assignee.name, by: actorName(staff) },
      },
      expected: { statusNot: 'resolved' },
      conflictMessage: 'A resolved conversation cannot be handed over; reopen it first',
      ...(note ? { note } : {}),
    });
  }

  resolve(staff: StaffPrincipal, id: string): Promise<Conversation> {
    return this.changeState(staff, id, {
      status: 'resolved',
      eventType: 'resolved',
      systemEvent: { type: 'resolved', data: { by: actorName(staff) } },
      expected: { statusNot: 'resolved' },
      conflictMessage: 'The conversation is already resolved, or changed at this moment; reload it',
    });
  }

  /**
   * Moves the conversation to a department's queue, freeing its operator; the reason is kept.
   * Escalation is a transfer to the next line, recorded as such.
   */
  async transfer(
    staff: StaffPrincipal,
    id: string,
    departmentId: string,
    reason: string,
    kind: 'transferred' | 'escalated' = 'transferred',
  ): Promise<Conversation> {
    return this.changeState(staff, id, {
      status: 'queued',
      assigneeId: null,
      departmentId,
      eventType: kind,
      systemEvent: { type: 'transferred', data: { reason, departmentId } },
      expected: { statusNot: 'resolved' },
      conflictMessage: 'A resolved conversation cannot be transferred; reopen it first',
    });
  }

  /** Priority orders the queue (vip, urgent, high, normal; then longest waiting). */
  async setPriority(staff: StaffPrincipal, id: string, priority: Priority): Promise<Conversation> {
    const before = await this.get(staff, id);
    const level = PRIORITIES.indexOf(priority);
    await this.repo.db.transaction().execute(async (trx) => {
      await this.repo.updateConversation(trx, staff.workspaceId, id, { priority: level });
      await this.repo.insertEvent(
        trx,
        eventRow(
          staff.workspaceId,
          id,
          'priority_changed',
          actorOf(staff),
          { from: PRIORITIES[before.priority], to: priority },
          this.clock(),
        ),
      );
    });
    const conversation = await this.announceConversation(staff.workspaceId, id);
    if (conversation.status === 'queued') this.routingTrigger(staff.workspaceId);
    return conversation;
  }

  reopen(staff: StaffPrincipal, id: string): Promise<Conversation> {
    return this.changeState(staff, id, reopenChange());
  }

  /**
   * One state change: a conditional update (so two operators cannot both take a conversation),
   * its event row and the system message in the stream, all in one transaction; announced after.
   */
  private async changeState(principal: Principal, id: string, change: StateChange): Promise<Conversation> {
    const before = await this.get(principal, id);
    const now = this.clock();
    const assignee = change.assigneeId === undefined ? {} : { assignee_id: change.assigneeId };
    const holdsSlot =
      before.assignee_id !== null && (before.status === 'offered' || before.status === 'assigned');
    const messages = await this.repo.db.transaction().execute(async (trx) => {
      const changed = await this.repo.updateConversation(
        trx,
        principal.workspaceId,
        id,
        {
          status: change.status,
          resolved_at: change.status === 'resolved' ? now : null,
          ...(change.status === 'resolved' ? { waiting_since: null } : {}),
          ...assignee,
          ...(change.status === 'queued' ? { queued_at: now, missed_by: '[]' } : {}),
          ...(change.departmentId ? { department_id: change.departmentId } : {}),
          offered_to: null,
          offer_expires_at: null,
        },
        // The row must still be as read, so the slot bookkeeping below matches it.
        { ...change.expected, assigneeIs: change.expected.takeableBy ? undefined : before.assignee_id },
      );
      if (!changed) throw new AppError('conflict', change.conflictMessage);
      await this.moveSlots(trx, principal.workspaceId, before, holdsSlot, change, now);
      await this.repo.insertEvent(
        trx,
        eventRow(
          principal.workspaceId,
          id,
          change.eventType,
          actorOf(principal),
          {
            from: before.status,
            fromDepartmentId: before.department_id,
            ...assignee,
            ...change.systemEvent.data,
          },
          now,
        ),
      );
      const event = (await this.append(trx, principal.workspaceId, id, systemDraft(change.systemEvent)))
        .message;
      if (!change.note) return [event];
      const note = noteDraft(principal, change.note);
      return [event, (await this.append(trx, principal.workspaceId, id, note)).message];
    });
    for (const stored of messages) this.announcer.messageCreated(this.toMessage(stored));
    const conversation = await this.announceConversation(principal.workspaceId, id);
    if (change.status === 'queued' || holdsSlot) this.routingTrigger(principal.workspaceId);
    return conversation;
  }

  /**
   * A change another module makes to a conversation (tags), recorded as the conversation's event in
   * that module's transaction, so the change and its event commit together.
   */
  recordEventIn(
    trx: Db,
    principal: StaffPrincipal,
    conversationId: string,
    type: ConversationEventType,
    data: Record<string, unknown>,
    now: number,
  ): Promise<unknown> {
    return this.repo.insertEvent(
      trx,
      eventRow(principal.workspaceId, conversationId, type, actorOf(principal), data, now),
    );
  }

  /** Keeps operators' slot counts in step with who holds the conversation. */
  private async moveSlots(
    trx: Db,
    workspaceId: string,
    before: ConversationRow,
    holdsSlot: boolean,
    change: StateChange,
    now: number,
  ) {
    const newAssignee = change.assigneeId;
    const keeps = holdsSlot && newAssignee === before.assignee_id && change.status === 'assigned';
    if (holdsSlot && !keeps && before.assignee_id)
      await this.slots.release(trx, workspaceId, before.assignee_id);
    // Taking by hand is allowed above capacity: the operator decided; only routing respects the limit.
    if (change.status === 'assigned' && newAssignee && !keeps)
      await this.slots.reserve(trx, workspaceId, newAssignee, now, false);
  }

  // ---- the bot's side of conversations (server/src/modules/bots) ----
  // A bot step writes in one transaction of its own (its messages, the hand-off or close, and its
  // run state, which the bots module saves beside them), so it waits for one commit, not one per
  // message. These methods write in the caller's transaction and note what to announce; the
  // caller announces (announceBotStep) after the commit, so nothing is told before it is stored.

  /**
   * The bot's messages, in order. One already stored under its clientMsgId (a step retried after
   * part of it committed) is not stored again: its stored id stands in for the one proposed.
   */
  async appendBotMessages(
    trx: Transaction<Database>,
    changes: BotStepChanges,
    workspaceId: string,
    conversationId: string,
    says: BotSay[],
  ): Promise<Map<string, string>> {
    const storedIds = new Map<string, string>();
    if (says.length === 0) return storedIds;
    const stored = await this.repo.messageIdsByClientId(
      trx,
      workspaceId,
      conversationId,
      says.map((say) => say.clientMsgId),
    );
    for (const say of says) {
      const storedId = stored.get(say.clientMsgId);
      if (storedId) {
        storedIds.set(say.id, storedId);
        continue;
      }
      const draft: MessageDraft = {
        id: say.id,
        clientMsgId: say.clientMsgId,
        author: { type: 'bot', id: null, name: say.authorName },
        kind: 'text',
        text: say.text,
        attachments: say.attachments,
        event: null,
        content: { ...NO_CONTENT, buttons: say.buttons },
      };
      changes.messages.push((await this.append(trx, workspaceId, conversationId, draft)).message);
    }
    return storedIds;
  }

  /**
   * The bot lets go: `bot` → `queued` (with the department and priority it chose), events
   * bot_handed_over{reason} and queued, and a note showing operators what the bot collected.
   * Nothing happens when the conversation is no longer the bot's.
   */
  async handOverFromBot(
    trx: Transaction<Database>,
    changes: BotStepChanges,
    workspaceId: string,
    id: string,
    handoff: {
      flowId: string;
      departmentId: string | null;
      priority: Priority | null;
      reason: string;
      note: string;
    },
  ): Promise<void> {
    const now = Date.now();
    const actor = { type: 'bot', id: handoff.flowId };
    const changed = await this.repo.updateConversation(
      trx,
      workspaceId,
      id,
      {
        status: 'queued',
        queued_at: now,
        ...(handoff.departmentId ? { department_id: handoff.departmentId } : {}),
        ...(handoff.priority ? { priority: PRIORITIES.indexOf(handoff.priority) } : {}),
      },
      { statusIn: ['bot'] },
    );
    if (!changed) return;
    const data = { reason: handoff.reason, departmentId: handoff.departmentId };
    await this.repo.insertEvent(trx, eventRow(workspaceId, id, 'bot_handed_over', actor, data, now));
    await this.repo.insertEvent(trx, eventRow(workspaceId, id, 'queued', actor, {}, now));
    const event = systemDraft({ type: 'bot_handed_over', data });
    changes.messages.push((await this.append(trx, workspaceId, id, event)).message);
    if (handoff.note) {
      const note: MessageDraft = {
        clientMsgId: `note:${newId()}`,
        author: { type: 'bot', id: null, name: null },
        kind: 'note',
        text: handoff.note,
        attachments: [],
        event: null,
        content: NO_CONTENT,
      };
      changes.messages.push((await this.append(trx, workspaceId, id, note)).message);
    }
    changes.conversationChanged = true;
    changes.routingNeeded = true;
  }

  /**
   * A keyword or after-hours flow takes a conversation still waiting in the queue (nobody offered
   * or assigned), inside the caller's transaction. Returns its channel and last seq, or null when
   * it is no longer waiting.
   */
  async claimForBot(
    trx: Db,
    workspaceId: string,
    id: string,
    flowId: string,
    version: number,
    trigger: 'keyword' | 'after_hours',
  ): Promise<{ channel: string; lastSeq: number } | null> {
    const now = Date.now();
    const changed = await this.repo.updateConversation(
      trx,
      workspaceId,
      id,
      { status: 'bot', queued_at: null },
      { statusIn: ['queued'], assigneeIsNull: true },
    );
    if (!changed) return null;
    const data = { flowId, version, trigger };
    await this.repo.insertEvent(
      trx,
      eventRow(workspaceId, id, 'bot_started', { type: 'bot', id: flowId }, data, now),
    );
    const row = await this.repo.findById(workspaceId, id, trx);
    if (!row) return null;
    let claimed = this.claimedInTransaction.get(trx);
    if (!claimed) this.claimedInTransaction.set(trx, (claimed = new Map()));
    claimed.set(id, row);
    return { channel: row.channel, lastSeq: row.last_seq };
  }

  /** The flow ended the conversation (a close node): resolved, with bot_finished for the figures. */
  async closeByBot(
    trx: Transaction<Database>,
    changes: BotStepChanges,
    workspaceId: string,
    id: string,
    flowId: string,
  ): Promise<void> {
    const now = Date.now();
    const actor = { type: 'bot', id: flowId };
    const changed = await this.repo.updateConversation(
      trx,
      workspaceId,
      id,
      { status: 'resolved', resolved_at: now, waiting_since: null },
      { statusIn: ['bot'] },
    );
    if (!changed) return;
    await this.repo.insertEvent(
      trx,
      eventRow(workspaceId, id, 'bot_finished', actor, { reason: 'closed' }, now),
    );
    await this.repo.insertEvent(trx, eventRow(workspaceId, id, 'resolved', actor, { from: 'bot' }, now));
    const resolved = systemDraft({ type: 'resolved', data: { by: null } });
    changes.messages.push((await this.append(trx, workspaceId, id, resolved)).message);
    changes.conversationChanged = true;
  }

  /**
   * After the bot step's commit: its messages go out at once (in seq order); the conversation's
   * new state is announced and routing asked for a pass only when the step changed it. The
   * step does not wait for routing: the pass runs on its own.
   */
  async announceBotStep(workspaceId: string, conversationId: string, changes: BotStepChanges): Promise<void> {
    for (const message of changes.messages) this.announcer.messageCreated(this.toMessage(message));
    if (!changes.conversationChanged) return;
    await this.announceConversation(workspaceId, conversationId);
    if (changes.routingNeeded) this.routingTrigger(workspaceId);
  }

  // ---- routing's side of conversations ----

  queued(workspaceId: string): Promise<ConversationRow[]> {
    return this.repo.queued(workspaceId);
  }

  held(workspaceId: string, limit: number): Promise<ConversationRow[]> {
    return this.repo.held(workspaceId, limit);
  }

  /** The recent event log routing estimates handle time and patience from. */
  async history(workspaceId: string, since: number): Promise<HistoryEvent[]> {
    const rows = await this.repo.eventsSince(workspaceId, HISTORY_EVENT_TYPES, since);
    return rows.map((row) => ({
      conversationId: row.conversation_id,
      type: row.type,
      at: row.created_at,
      ...(row.type === 'transferred'
        ? { toOperator: parseJsonColumn(TransferData, row.data, {}).assignee_id != null }
        : {}),
    }));
  }

  previousAssignee(conversation: ConversationRow): Promise<string | null> {
    return this.repo.previousAssignee(conversation.workspace_id, conversation.contact_id, conversation.id);
  }

  /**
   * Offers a queued conversation to an operator: takes one of their slots (refused at capacity)
   * and moves the conversation from queued to offered, both or neither. False if either lost a race.
   */
  async offer(
    workspaceId: string,
    conversationId: string,
    operatorId: string,
    expiresAt: number,
    /** Runs in the offer's transaction: the offer's timeout job commits with it or not at all. */
    alongside: (trx: Db) => Promise<unknown>,
  ): Promise<boolean> {
    const now = this.clock();
    const offered = await this.repo.db
      .transaction()
      .execute(async (trx) => {
        // The conversation row first, then the operator's slots: every transaction that touches
        // both takes them in this order, so none waits on another in a cycle.
        const changed = await this.repo.updateConversationReturning(
          trx,
          workspaceId,
          conversationId,
          { status: 'offered', assignee_id: operatorId, offered_to: operatorId, offer_expires_at: expiresAt },
          { statusIn: ['queued'], assigneeIsNull: true },
        );
        if (!changed) throw new OfferLost();
        if (!(await this.slots.reserve(trx, workspaceId, operatorId, now, true))) throw new OfferLost();
        await this.repo.insertEvent(
          trx,
          eventRow(
            workspaceId,
            conversationId,
            'offered',
            { type: 'system', id: null },
            { to: operatorId },
            now,
          ),
        );
        await alongside(trx);
        return changed;
      })
      .catch((error: unknown) => {
        if (error instanceof OfferLost) return null;
        throw error;
      });
    // The row as the offer wrote it: routing makes an offer per waiting conversation, and reading
    // each back after commit cost every decision one more query.
    if (offered) this.announcer.conversationChanged(workspaceId, toConversation(offered));
    return offered !== null;
  }

  /**
   * The offer ran out (stage `offered`), or the operator accepted but sent no first reply since
   * `since` (stage `assigned`): count it as missed and put the conversation back in line, keeping
   * its place. False if it was taken, answered or changed meanwhile.
   */
  async missOffer(
    workspaceId: string,
    conversationId: string,
    operatorId: string,
    stage: { status: 'offered' } | { status: 'assigned'; since: number } = { status: 'offered' },
  ): Promise<boolean> {
    const row = await this.repo.findById(workspaceId, conversationId);
    if (!row || row.status !== stage.status || row.assignee_id !== operatorId) return false;
    if (
      stage.status === 'assigned' &&
      (await this.repo.teamRepliedSince(workspaceId, conversationId, stage.since))
    )
      return false;
    const now = this.clock();
    const missedBy = [...new Set([...missedByOf(row), operatorId])];
    const missed = await this.repo.db.transaction().execute(async (trx) => {
      const changed = await this.repo.updateConversation(
        trx,
        workspaceId,
        conversationId,
        {
          status: 'queued',
          assignee_id: null,
          offered_to: null,
          offer_expires_at: null,
          missed_by: JSON.stringify(missedBy),
        },
        // A first-reply miss must not race the reply itself: any new message cancels it.
        {
          statusIn: [stage.status],
          assigneeIs: operatorId,
          ...(stage.status === 'assigned' ? { lastSeqIs: row.last_seq } : {}),
        },
      );
      if (!changed) return false;
      await this.slots.release(trx, workspaceId, operatorId);
      const reason = stage.status === 'offered' ? 'offer_timeout' : 'no_first_reply';
      await this.repo.insertEvent(
        trx,
        eventRow(
          workspaceId,
          conversationId,
          'missed',
          { type: 'system', id: null },
          { operatorId, reason },
          now,
        ),
      );
      return true;
    });
    if (missed) await this.announceConversation(workspaceId, conversationId);
    return missed;
  }

  /**
   * A queued conversation nobody can take now (its department is outside business hours) becomes
   * an offline request: status offline, event went_offline, and the notice in the stream. Answered
   * later by an operator's reply, like any offline request. False if it left the line meanwhile.
   */
  async goOffline(
    workspaceId: string,
    conversationId: string,
    data: { reason: 'after_hours'; departmentId: string; opensAt: number | null },
  ): Promise<boolean> {
    const now = this.clock();
    const event: SystemEvent = { type: 'went_offline', data };
    const stored = await this.repo.db.transaction().execute(async (trx) => {
      const changed = await this.repo.updateConversation(
        trx,
        workspaceId,
        conversationId,
        { status: 'offline', queued_at: null },
        { statusIn: ['queued'], assigneeIsNull: true },
      );
      if (!changed) return null;
      await this.repo.insertEvent(
        trx,
        eventRow(workspaceId, conversationId, 'went_offline', { type: 'system', id: null }, data, now),
      );
      return (await this.append(trx, workspaceId, conversationId, systemDraft(event))).message;
    });
    if (!stored) return false;
    this.announcer.messageCreated(this.toMessage(stored));
    await this.announceConversation(workspaceId, conversationId);
    return true;
  }

  /**
   * Auto-close: a conversation quiet since its last message is resolved (event closed_idle), its
   * operator's slot freed. Conditional on no message having arrived since the row was read.
   */
  async closeIdle(workspaceId: string, row: ConversationRow, idleMinutes: number): Promise<boolean> {
    const now = this.clock();
    const event: SystemEvent = { type: 'resolved', data: { reason: 'idle' } };
    const holdsSlot = row.assignee_id !== null && (row.status === 'offered' || row.status === 'assigned');
    const stored = await this.repo.db.transaction().execute(async (trx) => {
      const changed = await this.repo.updateConversation(
        trx,
        workspaceId,
        row.id,
        {
          status: 'resolved',
          resolved_at: now,
          waiting_since: null,
          offered_to: null,
          offer_expires_at: null,
        },
        {
          statusIn: [row.status as ConversationStatus],
          assigneeIs: row.assignee_id,
          lastSeqIs: row.last_seq,
        },
      );
      if (!changed) return null;
      if (holdsSlot && row.assignee_id) await this.slots.release(trx, workspaceId, row.assignee_id);
      await this.repo.insertEvent(
        trx,
        eventRow(workspaceId, row.id, 'closed_idle', { type: 'system', id: null }, { idleMinutes }, now),
      );
      return (await this.append(trx, workspaceId, row.id, systemDraft(event))).message;
    });
    if (!stored) return false;
    this.announcer.messageCreated(this.toMessage(stored));
    await this.announceConversation(workspaceId, row.id);
    if (holdsSlot) this.routingTrigger(workspaceId);
    return true;
  }

  /** The conversation as stored, for routing's timers (no principal: the system acts). */
  findForRouting(workspaceId: string, id: string): Promise<ConversationRow | undefined> {
    return this.repo.findById(workspaceId, id);
  }

  async markRead(principal: Principal, id: string, seq: number): Promise<void> {
    const by = principal.kind === 'visitor' ? 'visitor' : 'operator';
    // The update is scoped to what the principal may see, so the common case is one statement; only
    // when nothing moved is it worth telling "not yours" (404) from "already read" (no-op).
    const visitorContactId = principal.kind === 'visitor' ? principal.contactId : undefined;
    if (await this.repo.advanceReadSeq(principal.workspaceId, id, by, seq, visitorContactId)) {
      this.announcer.readChanged({ conversationId: id, by, seq });
      return;
    }
    await this.get(principal, id);
  }

  /** Tells the workspace how a conversation looks now (also for changes made in a caller's transaction). */
  async announceConversation(workspaceId: string, id: string): Promise<Conversation> {
    const row = await this.repo.findById(workspaceId, id);
    if (!row) throw notFound('Conversation');
    const conversation = toConversation(row);
    this.announcer.conversationChanged(workspaceId, conversation);
    return conversation;
  }

  // ---- the assistant's side (language understanding, docs/nlu.md): acts as the system, after commit ----

  /** Records an event by the system (intent_detected, sentiment_negative) without changing the state. */
  async recordSystemEvent(
    workspaceId: string,
    conversationId: string,
    type: ConversationEventType,
    data: Record<string, unknown>,
  ): Promise<void> {
    await this.repo.db
      .transaction()
      .execute((trx) =>
        this.repo.insertEvent(
          trx,
          eventRow(workspaceId, conversationId, type, SYSTEM_ACTOR, data, Date.now()),
        ),
      );
  }

  /**
   * The first message's intent names the department: a conversation nobody has answered yet
   * (queued, or offered and not accepted) moves to that department's queue, the offer withdrawn.
   * False when it was already taken or has its department.
   */
  /** The conversation's status now, or null when it is gone: for modules acting after a commit. */
  async statusOf(workspaceId: string, id: string): Promise<ConversationStatus | null> {
    const row = await this.repo.findById(workspaceId, id);
    return row ? (row.status as ConversationStatus) : null;
  }

  async routeToDepartment(
    workspaceId: string,
    id: string,
    departmentId: string,
    reason: string,
  ): Promise<boolean> {
    const before = await this.repo.findById(workspaceId, id);
    if (!before || before.department_id !== null || !['queued', 'offered'].includes(before.status))
      return false;
    const now = Date.now();
    const moved = await this.repo.db.transaction().execute(async (trx) => {
      const changed = await this.repo.updateConversation(
        trx,
        workspaceId,
        id,
        {
          status: 'queued',
          assignee_id: null,
          department_id: departmentId,
          offered_to: null,
          offer_expires_at: null,
        },
        { statusIn: [before.status as ConversationStatus], assigneeIs: before.assignee_id },
      );
      if (!changed) return false;
      if (before.status === 'offered' && before.assignee_id)
        await this.slots.release(trx, workspaceId, before.assignee_id);
      await this.repo.insertEvent(
        trx,
        eventRow(
          workspaceId,
          id,
          'transferred',
          SYSTEM_ACTOR,
          { from: before.status, fromDepartmentId: null, departmentId, reason },
          now,
        ),
      );
      return true;
    });
    if (!moved) return false;
    await this.announceConversation(workspaceId, id);
    this.routingTrigger(workspaceId);
    return true;
  }

  /** A bot message in the conversation (the non-target explanation, a knowledge answer). */
  async botReply(
    workspaceId: string,
    conversationId: string,
    text: string,
    authorName: string,
    buttons: MessageContent['buttons'] = [],
  ): Promise<Message> {
    const draft: MessageDraft = {
      clientMsgId: `bot:${newId()}`,
      author: { type: 'bot', id: null, name: authorName },
      kind: 'text',
      text,
      attachments: [],
      event: null,
      content: { ...NO_CONTENT, buttons },
    };
    const stored = await this.repo.db
      .transaction()
      .execute((trx) => this.append(trx, workspaceId, conversationId, draft));
    const message = this.toMessage(stored.message);
    this.announcer.messageCreated(message);
    return message;
  }

  /** The bot closes a conversation that is not for this business (its operator's slot freed). */
  async resolveBySystem(workspaceId: string, id: string): Promise<boolean> {
    const before = await this.repo.findById(workspaceId, id);
    if (!before || before.status === 'resolved') return false;
    const holdsSlot =
      before.assignee_id !== null && (before.status === 'offered' || before.status === 'assigned');
    const now = Date.now();
    const stored = await this.repo.db.transaction().execute(async (trx) => {
      const changed = await this.repo.updateConversation(
        trx,
        workspaceId,
        id,
        {
          status: 'resolved',
          resolved_at: now,
          waiting_since: null,
          offered_to: null,
          offer_expires_at: null,
        },
        { statusIn: [before.status as ConversationStatus], assigneeIs: before.assignee_id },
      );
      if (!changed) return null;
      if (holdsSlot && before.assignee_id) await this.slots.release(trx, workspaceId, before.assignee_id);
      await this.repo.insertEvent(
        trx,
        eventRow(workspaceId, id, 'resolved', SYSTEM_ACTOR, { from: before.status, by: 'bot' }, now),
      );
      const event: SystemEvent = { type: 'resolved', data: { by: null } };
      return (await this.append(trx, workspaceId, id, systemDraft(event))).message;
    });
    if (!stored) return false;
    this.announcer.messageCreated(this.toMessage(stored));
    await this.announceConversation(workspaceId, id);
    if (holdsSlot) this.routingTrigger(workspaceId);
    return true;
  }

  toMessage(row: MessageRow): Message {
    return {
      id: row.id,
      conversationId: row.conversation_id,
      seq: row.seq,
      clientMsgId: row.client_msg_id,
      author: { type: row.author_type as MessageAuthor['type'], id: row.author_id, name: row.author_name },
      kind: row.kind as Message['kind'],
      text: row.text,
      attachments: attachmentsOf(row).map((a) => ({ ...a, url: this.files.signedUrl(a.fileId, a.name) })),
      event:
        row.event === null ? null : parseJsonColumn(SystemEvent, row.event, { type: 'unknown', data: {} }),
      ...parseContent(row.content),
      createdAt: row.created_at,
    };
  }
}

class OfferLost extends Error {}

function systemDraft(event: SystemEvent): MessageDraft {
  return {
    clientMsgId: `system:${newId()}`,
    author: { type: 'system', id: null, name: null },
    kind: 'event',
    text: '',
    attachments: [],
    event,
    content: NO_CONTENT,
  };
}

function noteDraft(principal: Principal, text: string): MessageDraft {
  return {
    clientMsgId: `note:${newId()}`,
    author: authorOf(principal),
    kind: 'note',
    text,
    attachments: [],
    event: null,
    content: NO_CONTENT,
  };
}

function takeChange(operator: OperatorPrincipal): StateChange {
  return {
    status: 'assigned',
    assigneeId: operator.userId,
    eventType: 'assigned',
    systemEvent: { type: 'assigned', data: { operatorName: operator.name } },
    expected: { takeableBy: operator.userId, statusNot: 'resolved' },
    conflictMessage: 'Another operator has already taken this conversation, or it is resolved',
  };
}

function reopenChange(): StateChange {
  return {
    status: 'queued',
    assigneeId: null,
    eventType: 'reopened',
    systemEvent: { type: 'reopened', data: {} },
    expected: { statusIn: ['resolved'] },
    conflictMessage: 'Only a resolved conversation can be reopened',
  };
}

function ignoreConflict(error: unknown): void {
  if (!(error instanceof AppError && error.code === 'conflict')) throw error;
}

function assigneeFilter(
  staff: StaffPrincipal,
  assignee: ConversationListQuery['assignee'],
): ConversationFilter['assignee'] {
  if (assignee === undefined) return undefined;
  if (assignee === 'none') return { kind: 'none' };
  if (assignee === 'me') {
    if (staff.kind !== 'operator')
      throw new AppError('validation_failed', 'assignee=me needs an operator session', 'query.assignee');
    return { kind: 'user', userId: staff.userId };
  }
  return { kind: 'user', userId: assignee };
}

function queueScope(staff: StaffPrincipal, queue: InboxQueue, departmentIds: string[]): QueueScope {
  if (staff.kind !== 'operator')
    throw new AppError('validation_failed', 'queue needs an operator session', 'query.queue');
  return { queue, userId: staff.userId, departmentIds, resolvedSince: Date.now() - RECENT_WINDOW_MS };
}

/** A visitor's message starts a wait for the reply (if none runs); the team's reply ends it. */
function waitChangeOf(draft: MessageDraft): WaitChange {
  if (draft.kind !== 'text') return 'keep';
  if (draft.author.type === 'visitor') return 'start';
  return draft.author.type === 'operator' || draft.author.type === 'bot' ? 'stop' : 'keep';
}

function authorOf(principal: Principal): MessageAuthor {
  switch (principal.kind) {
    case 'operator':
      return { type: 'operator', id: principal.userId, name: principal.name };
    case 'api':
      return { type: 'operator', id: null, name: principal.name };
    case 'visitor':
      return { type: 'visitor', id: principal.contactId, name: null };
  }
}

function actorOf(principal: Principal): { type: string; id: string | null } {
  const author = authorOf(principal);
  return {
    type: principal.kind === 'api' ? 'api' : author.type,
    id: principal.kind === 'api' ? principal.tokenId : author.id,
  };
}

function actorName(principal: Principal): string | null {
  return principal.kind === 'visitor' ? null : principal.name;
}

function rateKey(principal: Principal): string {
  const actor = actorOf(principal);
  return `${actor.type}:${actor.id ?? ''}`;
}

function eventRow(
  workspaceId: string,
  conversationId: string,
  type: ConversationEventType,
  actor: { type: string; id: string | null },
  data: Record<string, unknown>,
  now: number,
) {
  return {
    id: newId(),
    workspace_id: workspaceId,
    conversation_id: conversationId,
    type,
    actor_type: actor.type,
    actor_id: actor.id,
    data: JSON.stringify(data),
    created_at: now,
  };
}

function previewOf(draft: MessageDraft): string {
  const text = draft.text.trim().replace(/\s+/g, ' ');
  if (text) return text.slice(0, PREVIEW_CHARS);
  const preview = contentPreview(draft.content);
  if (preview) return preview.slice(0, PREVIEW_CHARS);
  return draft.attachments
    .map((a) => a.name)
    .join(', ')
    .slice(0, PREVIEW_CHARS);
}

function attachmentsOf(row: MessageRow): StoredAttachment[] {
  return parseJsonColumn(StoredAttachments, row.attachments, []);
}

/** Operators who let this conversation's offer run out: routing offers it to someone else. */
export function missedByOf(row: Pick<ConversationRow, 'missed_by'>): string[] {
  return parseJsonColumn(MissedBy, row.missed_by, []);
}

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    channel: row.channel as Conversation['channel'],
    status: row.status as ConversationStatus,
    contact: { id: row.contact_id, name: row.contact_name, email: row.contact_email },
    departmentId: row.department_id,
    assigneeId: row.assignee_id,
    priority: PRIORITIES[row.priority] ?? 'normal',
    lastSeq: row.last_seq,
    lastMessageAt: row.last_message_at,
    lastMessagePreview: row.last_message_preview,
    visitorLastReadSeq: row.visitor_last_read_seq,
    operatorLastReadSeq: row.operator_last_read_seq,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    resolvedAt: row.resolved_at,
    waitingSince: row.waiting_since,
  };
}
