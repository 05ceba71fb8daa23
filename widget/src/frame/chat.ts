// The visitor's side of a conversation: session, socket, the message stream and the outbox
// (docs/delivery.md), plus what surrounds it: the widget settings, the pre-chat and offline forms,
// uploads, ratings, proactive invitations, the page trail and the host page's identify() and
// setAttributes(). Decisions live in pure functions (./delivery, ./invitations); this class does
// the I/O and keeps one state object that the views subscribe to.
import { io, type Socket } from 'socket.io-client';
import { LIMITS, NAMESPACES, emptyStream, mergeMessages, newestSeq } from '@frontline/protocol/client';
import type {
  ClientToServerEvents,
  Contact,
  Conversation,
  ConversationRating,
  Invitation,
  Message,
  MessageButton,
  MessageStream,
  OfflineRequestBody,
  QueueNotice,
  Rating,
  ServerToClientEvents,
  SyncAck,
  VisitorMetadata,
  WidgetConfig,
} from '@frontline/protocol';
import type { AttributesInput, FrameToLoader, IdentityInput } from '../bridge.js';
import type { Lang } from '../locale.js';
import {
  ApiError,
  fetchConfig,
  fetchMessages,
  fetchRating,
  openConversation,
  reportPageView,
  sendAttributes,
  sendIdentity,
  sendOfflineRequest,
  sendPreChat,
  sendRating,
  serverMessageOf,
  startSession,
} from './api.js';
import { confirmedThrough, hasOpenGap } from './delivery/catch-up.js';
import { actionOnConnectError, mustReconnectByHand, type ConnectionState } from './delivery/connection.js';
import {
  discard,
  enqueue,
  markConnectionLost,
  markFailed,
  markSending,
  newClientMsgId,
  nextToSend,
  requeue,
  restore,
  retryDelayMs,
  settleDelivered,
  type FailedAttempt,
  type OutgoingMessage,
  type Outbox,
} from './delivery/outbox.js';
import { candidates, dueInvitation, secondsUntilNext } from './invitations.js';
import { visitorMetadata } from './metadata.js';
import { playChime } from './sound.js';
import { readStored, storageKeys, writeStored } from './storage.js';
import { isTooBig, newUpload, uploadFile, type Upload } from './uploads.js';

/** An ack later than this counts as lost; the send is retried with the same clientMsgId. */
const ACK_TIMEOUT_MS = 8_000;
/** An operator's "typing" with no "stopped" after it (their tab closed) fades after this. */
const OPERATOR_TYPING_SHOWN_MS = 6_000;
/** The visitor paused this long: tell the operator they stopped typing. */
const VISITOR_TYPING_IDLE_MS = 5_000;
const PAGE_SIZE = 50;
/** Catch-up reads as much as the server allows in one page. */
const CATCH_UP_PAGE_SIZE = LIMITS.syncMaxMessagesPerConversation;

export interface ChatState {
  /** loading: config and session; failed: they could not be fetched (notice says why). */
  phase: 'loading' | 'ready' | 'failed';
  lang: Lang;
  connection: ConnectionState;
  /** The server's words on the latest thing that went wrong, shown until the next success. */
  notice: string | null;
  workspaceName: string;
  /** The visitor's conversation; null until the first message opens one. */
  conversation: Conversation | null;
  stream: MessageStream;
  outbox: Outbox;
  /** Name of the operator typing now ('' when the server sent none); null when nobody is. */
  operatorTyping: string | null;
  hasOlder: boolean;
  loadingOlder: boolean;
  /**
   * The last place in line and expected wait the server sent; shown through placeInLine() only
   * while the conversation it is for is queued (it can arrive before the widget knows it is).
   */
  queue: QueueNotice | null;
  config: WidgetConfig | null;
  contact: Contact | null;
  /** The pre-chat form was answered in this browser (by this contact). */
  preChatDone: boolean;
  /** The visitor's rating of the resolution `resolvedAt` (null: not rated yet); null while unknown. */
  rating: { resolvedAt: number; value: ConversationRating | null } | null;
  /** The proactive invitation shown now; the first message answers it. */
  invitation: Invitation | null;
  /** Files picked for the next message: uploading, uploaded or failed. */
  uploads: readonly Upload[];
  muted: boolean;
}

/** The outcome of a form or request: null when it worked, else what to tell the visitor. */
export type Outcome = string | null;

function withGreeting(config: WidgetConfig, greeting: WidgetConfig['appearance']['greeting']): WidgetConfig {
  return { ...config, appearance: { ...config.appearance, greeting } };
}

/** The visitor's place in line, while the conversation held is waiting for an operator. */
export function placeInLine(state: ChatState): QueueNotice | null {
  const { queue, conversation } = state;
  return queue && conversation?.status === 'queued' && queue.conversationId === conversation.id
    ? queue
    : null;
}

export interface ChatOptions {
  widgetKey: string;
  /** Origin of the page embedding the widget; the server checks it against the allowed sites. */
  hostOrigin: string;
  /**
   * forced: the host page's data-lang; page: the page's or browser's language. Between them the
   * admin's choice; after them the workspace's default.
   */
  lang: { forced: Lang | null; page: Lang | null };
  metadata: VisitorMetadata;
  /** Visits to the site from this browser (the loader counts them), for invitation rules. */
  visits: number;
  /** Tells the loader in the host page (invitations, new messages for the page's listeners). */
  post: (message: FrameToLoader) => void;
}

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class WidgetChat {
  private state: ChatState;
  private readonly listeners = new Set<(state: ChatState) => void>();
  private readonly keys: ReturnType<typeof storageKeys>;
  private metadata: VisitorMetadata;
  private socket: AppSocket | null = null;
  private token = '';
  /** Renewals since the last good connection: a new token refused again is not retried forever. */
  private renewals = 0;
  private reconnectAttempts = 0;
  private pumping = false;
  private fillingGap = false;
  private following = false;
  private typingSentAt = 0;
  /** Greetings pushed so far: a config fetched while one arrived keeps the pushed greeting. */
  private greetingPushes = 0;
  private readonly timers: Record<
    'retry' | 'reconnect' | 'operatorTyping' | 'visitorTyping' | 'invitation',
    number
  > = {
    retry: 0,
    reconnect: 0,
    operatorTyping: 0,
    visitorTyping: 0,
    invitation: 0,
  };
  /** Resolves once the session is there: identify() and setAttributes() wait for it. */
  private started: Promise<boolean> = Promise.resolve(false);
  private open = false;
  private page = { url: '', openedAt: Date.now(), exitIntent: false };
  private readonly uploadsInFlight = new Map<string, () => void>();

  constructor(private readonly options: ChatOptions) {
    this.keys = storageKeys(options.widgetKey);
    this.metadata = options.metadata;
    this.page.url = options.metadata.pageUrl ?? '';
    this.state = {
      phase: 'loading',
      lang: options.lang.forced ?? options.lang.page ?? 'ru',
      connection: 'connecting',
      notice: null,
      workspaceName: '',
      conversation: null,
      stream: emptyStream(),
      outbox: restore(parseJson(readStored(this.keys.outbox))),
      operatorTyping: null,
      hasOlder: false,
      loadingOlder: false,
      queue: null,
      config: null,
      contact: null,
      preChatDone: false,
      rating: null,
      invitation: null,
      uploads: [],
      muted: readStored(this.keys.muted) === '1',
    };
  }

  subscribe(listener: (state: ChatState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  private update(patch: Partial<ChatState>): void {
    const before = this.state;
    this.state = { ...before, ...patch };
    // Kept across reloads: a message written while offline still goes out on the next visit. Tabs
    // share it and the last to write wins; a message resent from two tabs is stored once anyway.
    if (this.state.outbox !== before.outbox)
      writeStored(this.keys.outbox, this.state.outbox.length ? JSON.stringify(this.state.outbox) : null);
    for (const listener of this.listeners) listener(this.state);
  }

  /** Adds messages from any source; the outbox drops what the server turns out to have stored. */
  private merge(messages: readonly Message[], confirmed = 0, patch: Partial<ChatState> = {}): void {
    this.update({
      ...patch,
      stream: mergeMessages(this.state.stream, messages, confirmed),
      outbox: settleDelivered(this.state.outbox, messages),
    });
  }

  /** Switching to another conversation starts its stream afresh; the same one just refreshes. */
  private showConversation(conversation: Conversation | null): void {
    if (conversation?.id === this.state.conversation?.id) {
      this.update({ conversation });
      return;
    }
    this.update({
      conversation,
      stream: emptyStream(),
      hasOlder: false,
      queue: null,
      operatorTyping: null,
      rating: null,
    });
  }

  // ---- start, session and history ----

  start(): Promise<boolean> {
    this.started = this.load();
    return this.started;
  }

  private async load(): Promise<boolean> {
    this.update({ phase: 'loading', notice: null });
    try {
      const [config] = await Promise.all([this.fetchConfig(), this.openSession()]);
      const { forced, page } = this.options.lang;
      const chosen = config.appearance.language === 'auto' ? null : config.appearance.language;
      this.update({
        config,
        workspaceName: config.workspaceName,
        lang: forced ?? chosen ?? page ?? config.defaultLocale,
      });
      const conversation = this.state.conversation;
      if (conversation) await this.loadLatest(conversation.id);
      this.update({ phase: 'ready' });
      this.connect();
      void this.loadRating();
      this.scheduleInvitation();
      return true;
    } catch (error) {
      this.update({ phase: 'failed', notice: serverMessageOf(error) });
      return false;
    }
  }

  /** Resumes the stored visitor (and their latest conversation), or becomes a new one. */
  private async openSession(): Promise<void> {
    const session = await startSession(
      this.options.widgetKey,
      readStored(this.keys.visitorToken),
      this.metadata,
    );
    this.useToken(session.visitorToken);
    this.update({
      contact: session.contact,
      preChatDone: readStored(this.keys.preChat) === session.contact.id,
    });
    this.showConversation(session.conversation);
  }

  private useToken(token: string): void {
    writeStored(this.keys.visitorToken, token);
    this.token = token;
  }

  /** The chat was opened or folded: who is online may have changed since the page loaded. */
  setOpen(open: boolean): void {
    this.open = open;
    if (!open) return;
    if (this.state.phase === 'ready' && !this.state.conversation) this.refreshConfig();
    this.options.post({ type: 'frontline:invite', invitation: null });
  }

  setLang(lang: Lang): void {
    this.update({ lang });
  }

  toggleMute(): void {
    const muted = !this.state.muted;
    writeStored(this.keys.muted, muted ? '1' : null);
    this.update({ muted });
  }

  private async loadLatest(conversationId: string): Promise<void> {
    const page = await fetchMessages(this.token, conversationId, { limit: PAGE_SIZE });
    if (conversationId !== this.state.conversation?.id) return;
    this.merge(page.items, confirmedThrough(page.items, page.hasMoreAfter, page.lastSeq), {
      hasOlder: page.hasMoreBefore,
    });
  }

  async loadOlder(): Promise<void> {
    const { conversation, stream, hasOlder, loadingOlder } = this.state;
    const oldest = stream.messages[0];
    if (!conversation || !oldest || !hasOlder || loadingOlder) return;
    this.update({ loadingOlder: true });
    try {
      const page = await fetchMessages(this.token, conversation.id, {
        beforeSeq: oldest.seq,
        limit: PAGE_SIZE,
      });
      if (conversation.id === this.state.conversation?.id)
        this.merge(page.items, 0, { hasOlder: page.hasMoreBefore });
    } catch (error) {
      this.update({ notice: serverMessageOf(error) });
    } finally {
      this.update({ loadingOlder: false });
    }
  }

  /** The host page moved (a single-page site changes its URL without reloading). */
  reportPage(url: string, title: string): void {
    this.metadata = { ...this.metadata, ...visitorMetadata({ pageUrl: url, pageTitle: title }) };
    if (url !== this.page.url) this.page = { url, openedAt: Date.now(), exitIntent: false };
    this.scheduleInvitation();
    // A failure only loses one page of the trail.
    if (this.token) reportPageView(this.token, url, title).catch(() => undefined);
  }

  // ---- the host page's calls ----

  /**
   * identify(): a proven user id may make the visitor another contact (the same user seen on
   * another device); then the token changes, and the chat shows that contact's conversation.
   */
  async identify(identity: IdentityInput): Promise<Outcome> {
    if (!(await this.started)) return this.state.notice ?? 'not loaded';
    try {
      const result = await sendIdentity(this.token, identity);
      const switched = result.visitorToken !== this.token;
      this.update({ contact: result.contact });
      if (switched) this.useToken(result.visitorToken);
      if (switched || result.conversation?.id !== this.state.conversation?.id) {
        this.showConversation(result.conversation);
        if (result.conversation) await this.loadLatest(result.conversation.id);
        void this.loadRating();
      }
      // The socket speaks for the old contact: reconnect as the new one.
      if (switched) this.socket?.disconnect().connect();
      return null;
    } catch (error) {
      return failureText(error);
    }
  }

  async setAttributes(attributes: AttributesInput): Promise<Outcome> {
    if (!(await this.started)) return this.state.notice ?? 'not loaded';
    try {
      this.update({ contact: await sendAttributes(this.token, { attributes }) });
      return null;
    } catch (error) {
      return failureText(error);
    }
  }

  // ---- forms ----

  async submitPreChat(values: Record<string, string>): Promise<Outcome> {
    try {
      const contact = await sendPreChat(this.token, { values });
      writeStored(this.keys.preChat, contact.id);
      this.update({ contact, preChatDone: true });
      return null;
    } catch (error) {
      return failureText(error);
    }
  }

  /** The offline form; its clientMsgId stays the same across retries, so it is stored once. */
  async submitOffline(request: OfflineRequestBody): Promise<Outcome> {
    try {
      const result = await sendOfflineRequest(this.token, { ...request, lang: this.state.lang });
      this.showConversation(result.conversation);
      this.merge([result.message], 0, {
        contact: { ...(this.state.contact as Contact), ...result.conversation.contact },
      });
      await this.syncHeld();
      return null;
    } catch (error) {
      return failureText(error);
    }
  }

  // ---- rating ----

  /** A resolved conversation asks for a rating unless this resolution has one. */
  private async loadRating(): Promise<void> {
    const conversation = this.state.conversation;
    const resolvedAt = conversation?.resolvedAt;
    if (!conversation || conversation.status !== 'resolved' || !resolvedAt) return;
    if (this.state.rating?.resolvedAt === resolvedAt) return;
    try {
      const { rating } = await fetchRating(this.token, conversation.id);
      if (this.state.conversation?.resolvedAt === resolvedAt)
        this.update({ rating: { resolvedAt, value: rating } });
    } catch {
      // No rating prompt this time; the next visit asks again.
    }
  }

  async rate(rating: Rating, comment: string): Promise<Outcome> {
    const conversation = this.state.conversation;
    if (!conversation?.resolvedAt) return null;
    try {
      const value = await sendRating(this.token, conversation.id, { rating, comment });
      this.update({ rating: { resolvedAt: conversation.resolvedAt, value } });
      return null;
    } catch (error) {
      return failureText(error);
    }
  }

  // ---- proactive invitations ----

  exitIntent(): void {
    this.page.exitIntent = true;
    this.scheduleInvitation();
  }

  /** The visitor closed the bubble: this invitation is not offered again during the visit. */
  dismissInvitation(): void {
    this.update({ invitation: null });
  }

  /** Shows the first invitation due, or waits for the next one's time on page. */
  private scheduleInvitation(): void {
    window.clearTimeout(this.timers.invitation);
    const { config, conversation, outbox, invitation, phase } = this.state;
    const busy = (conversation && conversation.status !== 'resolved') || outbox.length > 0;
    if (!config || phase !== 'ready' || invitation || busy || this.open) return;
    const seen = new Set(parseJson(readStored(this.keys.invitations, 'visit')) as string[] | null);
    const waiting = candidates(config.invitations, {
      pageUrl: this.page.url,
      visits: this.options.visits,
      seen,
    });
    const onPage = (Date.now() - this.page.openedAt) / 1000;
    const due = dueInvitation(waiting, onPage, this.page.exitIntent);
    if (due) {
      writeStored(this.keys.invitations, JSON.stringify([...seen, due.id]), 'visit');
      this.update({ invitation: due });
      const author = config.appearance.team[0];
      this.options.post({
        type: 'frontline:invite',
        invitation: {
          text: due.text[this.state.lang] || due.text.ru || due.text.en,
          author: author?.name ?? config.workspaceName,
          avatarUrl: author?.avatarUrl ?? null,
        },
      });
      return;
    }
    const wait = secondsUntilNext(waiting, onPage);
    if (wait !== null)
      this.timers.invitation = window.setTimeout(() => this.scheduleInvitation(), wait * 1000);
  }

  // ---- uploads ----

  attach(files: readonly File[]): void {
    for (const file of files) {
      const upload = newUpload(file, newClientMsgId());
      if (isTooBig(file)) {
        this.update({ uploads: [...this.state.uploads, { ...upload, error: 'too-big' }] });
        continue;
      }
      this.update({ uploads: [...this.state.uploads, upload] });
      const { done, abort } = uploadFile(this.token, file, (progress) =>
        this.patchUpload(upload.id, { progress }),
      );
      this.uploadsInFlight.set(upload.id, abort);
      done
        .then(
          (info) => this.patchUpload(upload.id, { fileId: info.id, progress: 1 }),
          (error: Error) => this.patchUpload(upload.id, { error: error.message || 'network' }),
        )
        .finally(() => this.uploadsInFlight.delete(upload.id));
    }
  }

  removeUpload(id: string): void {
    const upload = this.state.uploads.find((u) => u.id === id);
    if (upload?.previewUrl) URL.revokeObjectURL(upload.previewUrl);
    this.uploadsInFlight.get(id)?.();
    this.update({ uploads: this.state.uploads.filter((u) => u.id !== id) });
  }

  private patchUpload(id: string, patch: Partial<Upload>): void {
    this.update({ uploads: this.state.uploads.map((u) => (u.id === id ? { ...u, ...patch } : u)) });
  }

  private async fetchConfig(): Promise<WidgetConfig> {
    const pushesBefore = this.greetingPushes;
    const config = await fetchConfig(this.options.widgetKey);
    const current = this.state.config;
    // A greeting pushed while this was in flight is newer than the one the server read.
    return current && this.greetingPushes !== pushesBefore
      ? withGreeting(config, current.appearance.greeting)
      : config;
  }

  /** Who is online and the greeting may have changed: best effort, the old config stays on failure. */
  private refreshConfig(): void {
    this.fetchConfig().then(
      (config) => this.update({ config }),
      () => undefined,
    );
  }

  // ---- the socket ----

  private connect(): void {
    if (this.socket) return;
    const socket: AppSocket = io(NAMESPACES.visitor, {
      // A function, so reconnections carry the token of a renewed session.
      auth: (send) => send({ visitorToken: this.token, hostOrigin: this.options.hostOrigin }),
      transports: ['websocket', 'polling'],
    });
    this.socket = socket;
    socket.on('connect', () => void this.onConnect());
    socket.on('disconnect', (reason) => {
      this.update({
        connection: 'lost',
        outbox: markConnectionLost(this.state.outbox),
        operatorTyping: null,
      });
      if (mustReconnectByHand(reason)) this.reconnectLater();
    });
    socket.on('connect_error', (error) => void this.onConnectError(error, socket.active));
    socket.on('message:new', (message) => this.receive(message));
    socket.on('conversation:updated', (conversation) => this.onConversationUpdated(conversation));
    socket.on('widget:greeting', (greeting) => {
      this.greetingPushes += 1;
      const config = this.state.config;
      if (config) this.update({ config: withGreeting(config, greeting) });
    });
    socket.on('queue:position', (queue) => this.update({ queue }));
    socket.on('typing', (notice) => {
      if (notice.author.type === 'visitor' || notice.conversationId !== this.state.conversation?.id) return;
      window.clearTimeout(this.timers.operatorTyping);
      this.update({ operatorTyping: notice.typing ? (notice.author.name ?? '') : null });
      if (notice.typing)
        this.timers.operatorTyping = window.setTimeout(
          () => this.update({ operatorTyping: null }),
          OPERATOR_TYPING_SHOWN_MS,
        );
    });
    socket.on('read', (notice) => {
      const held = this.state.conversation;
      if (notice.by !== 'operator' || notice.conversationId !== held?.id) return;
      this.update({
        conversation: { ...held, operatorLastReadSeq: Math.max(held.operatorLastReadSeq, notice.seq) },
      });
    });
  }

  private async onConnect(): Promise<void> {
    this.renewals = 0;
    this.reconnectAttempts = 0;
    this.update({ connection: 'online', notice: null });
    // A greeting saved while this socket was away (or before it first joined) was never pushed to it.
    this.refreshConfig();
    await this.syncHeld();
    this.pump();
  }

  private async onConnectError(error: Error, socketWillRetry: boolean): Promise<void> {
    const serverMessage = (error as Error & { data?: { error?: { message?: string } } }).data?.error?.message;
    const action = actionOnConnectError(error.message, socketWillRetry);
    if (action === 'renew-session' && this.renewals === 0) {
      this.renewals += 1;
      try {
        await this.openSession();
        this.socket?.connect();
      } catch (sessionError) {
        this.update({ connection: 'lost', notice: serverMessageOf(sessionError) });
        this.reconnectLater();
      }
      return;
    }
    if (action === 'give-up' || action === 'renew-session') {
      this.update({ connection: 'refused', notice: serverMessage ?? error.message });
      return;
    }
    this.update({ connection: 'lost' });
    if (action === 'reconnect') this.reconnectLater();
  }

  private reconnectLater(): void {
    window.clearTimeout(this.timers.reconnect);
    this.reconnectAttempts += 1;
    this.timers.reconnect = window.setTimeout(
      () => this.socket?.connect(),
      retryDelayMs(this.reconnectAttempts),
    );
  }

  private onConversationUpdated(conversation: Conversation): void {
    if (conversation.id !== this.state.conversation?.id) {
      void this.follow(conversation.id);
      return;
    }
    this.update({ conversation, ...(conversation.status === 'queued' ? {} : { queue: null }) });
    void this.loadRating();
  }

  private receive(message: Message): void {
    if (message.conversationId !== this.state.conversation?.id) {
      void this.follow(message.conversationId);
      return;
    }
    const isNew = !this.state.stream.messages.some((m) => m.seq === message.seq);
    this.merge([message], 0, message.author.type === 'visitor' ? {} : { operatorTyping: null });
    if (hasOpenGap(this.state.stream)) void this.fillGap();
    if (isNew && message.kind === 'text' && message.author.type !== 'visitor') this.announce(message);
  }

  /** A reply arrived live: the host page's listeners hear of it, and a folded or hidden chat chimes. */
  private announce(message: Message): void {
    this.options.post({
      type: 'frontline:message',
      message: { text: message.text, author: { type: message.author.type, name: message.author.name } },
    });
    if (!this.state.muted && (!this.open || document.visibilityState !== 'visible')) playChime();
  }

  /**
   * Another of the visitor's conversations spoke: the visitor opened one in another tab. It
   * replaces the one shown only when there is none or it is resolved; the socket only hears
   * conversations of this visitor.
   */
  private async follow(conversationId: string): Promise<void> {
    const held = this.state.conversation;
    if ((held && held.status !== 'resolved') || this.following) return;
    this.following = true;
    try {
      const entry = await this.syncOne(conversationId, 0);
      if (!entry) return;
      this.showConversation(entry.conversation);
      this.merge(entry.messages, confirmedThrough(entry.messages, entry.hasMore, entry.conversation.lastSeq));
    } finally {
      this.following = false;
    }
  }

  private async syncOne(
    conversationId: string,
    afterSeq: number,
  ): Promise<Extract<SyncAck, { ok: true }>['conversations'][number] | null> {
    const socket = this.live;
    if (!socket) return null;
    const ack = await acked(
      socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('sync', { conversations: [{ id: conversationId, afterSeq }] }),
    );
    if (ack && !ack.ok) this.update({ notice: ack.error.message });
    return ack?.ok ? (ack.conversations[0] ?? null) : null;
  }

  /** On every (re)connect: replays what follows the held seq, while the server has more. */
  private async syncHeld(): Promise<void> {
    for (;;) {
      const conversation = this.state.conversation;
      if (!conversation) return;
      const entry = await this.syncOne(conversation.id, this.state.stream.heldThrough);
      if (!entry || entry.id !== this.state.conversation?.id) return;
      this.merge(
        entry.messages,
        confirmedThrough(entry.messages, entry.hasMore, entry.conversation.lastSeq),
        {
          conversation: entry.conversation,
        },
      );
      if (!entry.hasMore) return;
    }
  }

  /** A live message skipped seqs: read the range over REST, which works whatever the socket does. */
  private async fillGap(): Promise<void> {
    if (this.fillingGap) return;
    this.fillingGap = true;
    try {
      while (hasOpenGap(this.state.stream)) {
        const conversation = this.state.conversation;
        if (!conversation) return;
        const page = await fetchMessages(this.token, conversation.id, {
          afterSeq: this.state.stream.heldThrough,
          limit: CATCH_UP_PAGE_SIZE,
        });
        if (conversation.id !== this.state.conversation?.id) return;
        this.merge(page.items, confirmedThrough(page.items, page.hasMoreAfter, page.lastSeq));
      }
    } catch {
      // The next (re)connect syncs from the held seq and closes the gap then.
    } finally {
      this.fillingGap = false;
    }
  }

  /** The socket while it is connected: emits made without a connection would be buffered and sent twice. */
  private get live(): AppSocket | null {
    return this.socket?.connected ? this.socket : null;
  }

  // ---- sending ----

  /** Sends the text with the files uploaded for it; false while a file is still uploading. */
  send(text: string): boolean {
    const trimmed = text.trim();
    const { uploads } = this.state;
    if (uploads.some((u) => u.fileId === null && u.error === null)) return false;
    const files = uploads.flatMap((u) =>
      u.fileId ? [{ fileId: u.fileId, name: u.name, mime: u.mime }] : [],
    );
    if (!trimmed && files.length === 0) return false;
    for (const upload of uploads) if (upload.previewUrl) URL.revokeObjectURL(upload.previewUrl);
    this.update({
      outbox: enqueue(this.state.outbox, newClientMsgId(), trimmed, files.length ? { files } : {}),
      uploads: [],
    });
    this.setTyping(false);
    this.pump();
    return true;
  }

  /** A reply button: answers its message with the button's label (link buttons just open). */
  answer(message: Message, button: MessageButton): void {
    if (button.url) return;
    this.update({
      outbox: enqueue(this.state.outbox, newClientMsgId(), button.label, {
        replyTo: { messageId: message.id, buttonId: button.id },
      }),
    });
    this.pump();
  }

  retry(clientMsgId: string): void {
    this.update({ outbox: requeue(this.state.outbox, clientMsgId) });
    this.pump();
  }

  discard(clientMsgId: string): void {
    this.update({ outbox: discard(this.state.outbox, clientMsgId) });
  }

  /** Sends what waits in the outbox, one message at a time, while connected. */
  private pump(): void {
    window.clearTimeout(this.timers.retry);
    if (this.pumping) return;
    this.pumping = true;
    void this.drain().finally(() => {
      this.pumping = false;
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const next = nextToSend(this.state.outbox);
      if (!next || !this.socket?.connected || this.state.phase !== 'ready') return;
      const attempt = next.attempts + 1;
      this.update({ outbox: markSending(this.state.outbox, next.clientMsgId) });
      const failure = await this.deliver(next);
      if (failure === 'stored') continue;
      this.update({ outbox: markFailed(this.state.outbox, next.clientMsgId, attempt, failure) });
      const after = this.state.outbox.find((m) => m.clientMsgId === next.clientMsgId);
      if (after?.state !== 'waiting') continue;
      // Passing failure: try again later (a lost connection resends on connect instead).
      if (this.socket.connected)
        this.timers.retry = window.setTimeout(() => this.pump(), retryDelayMs(attempt));
      return;
    }
  }

  private async deliver(outgoing: OutgoingMessage): Promise<'stored' | FailedAttempt> {
    const opened = await this.ensureConversation();
    const socket = this.live;
    if ('failure' in opened || !socket) return 'failure' in opened ? opened.failure : null;
    const ack = await acked(
      socket.timeout(ACK_TIMEOUT_MS).emitWithAck('message:send', {
        conversationId: opened.conversation.id,
        clientMsgId: outgoing.clientMsgId,
        text: outgoing.text,
        kind: 'text',
        fileIds: (outgoing.files ?? []).map((f) => f.fileId),
        ...(outgoing.replyTo ? { replyTo: outgoing.replyTo } : {}),
      }),
    );
    if (!ack?.ok) return ack;
    this.update({ outbox: settleDelivered(this.state.outbox, [ack.message]) });
    this.receive(ack.message);
    return 'stored';
  }

  /**
   * The conversation to write into: the one held (writing into a resolved one reopens it, so the
   * visitor keeps the thread), or a new one the first time (`conversation:open`).
   */
  private async ensureConversation(): Promise<{ conversation: Conversation } | { failure: FailedAttempt }> {
    const { conversation: held, invitation, lang } = this.state;
    // Answering an invitation after an old, resolved conversation starts a new one.
    if (held && !(invitation && held.status === 'resolved')) return { conversation: held };
    try {
      const conversation = await openConversation(
        this.token,
        invitation ? { source: 'proactive', invitationId: invitation.id, lang } : { lang },
      );
      this.showConversation(conversation);
      this.update({ invitation: null });
      // The invitation's text opened the conversation before this socket was in its room.
      await this.syncHeld();
      return { conversation };
    } catch (error) {
      return {
        failure:
          error instanceof ApiError
            ? { ok: false, error: { code: error.code, message: error.message } }
            : null,
      };
    }
  }

  // ---- typing and read marks ----

  /** "Started" goes out at most once per throttle window; "stopped" once, after a send or a pause. */
  setTyping(typing: boolean): void {
    window.clearTimeout(this.timers.visitorTyping);
    const conversation = this.state.conversation;
    if (!conversation || !this.socket?.connected) return;
    if (typing) {
      this.timers.visitorTyping = window.setTimeout(() => this.setTyping(false), VISITOR_TYPING_IDLE_MS);
      if (Date.now() - this.typingSentAt < LIMITS.typingThrottleMs) return;
      this.typingSentAt = Date.now();
    } else {
      if (this.typingSentAt === 0) return;
      this.typingSentAt = 0;
    }
    this.socket.emit('typing', { conversationId: conversation.id, typing });
  }

  /** Marks everything shown as read; the view calls it only while the chat is open and visible. */
  markRead(): void {
    const conversation = this.state.conversation;
    const seq = newestSeq(this.state.stream);
    if (!conversation || !this.socket?.connected || seq <= conversation.visitorLastReadSeq) return;
    this.update({ conversation: { ...conversation, visitorLastReadSeq: seq } });
    this.socket.emit('read', { conversationId: conversation.id, seq });
  }
}

function parseJson(text: string | null): unknown {
  try {
    return text === null ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

/** An ack, or null when none came in time or the connection dropped meanwhile. */
async function acked<T>(pending: Promise<T>): Promise<T | null> {
  try {
    return await pending;
  } catch {
    return null;
  }
}

/** What to tell the visitor about a failed call: the server's words, or that it was not reached. */
function failureText(error: unknown): string {
  return serverMessageOf(error) ?? 'network';
}
