// The operator's socket (namespace /operator) feeding the TanStack Query cache: conversation
// updates into the lists, message streams kept by seq with catch-up on every (re)connect and on
// gaps, read marks, typing, and an outbox resent with the same clientMsgId until acked
// (docs/delivery.md). The decisions are pure functions in this folder; this class does the I/O.
import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import { io, type Socket } from 'socket.io-client';
import { NAMESPACES } from '@frontline/protocol/client';
import type {
  ClientToServerEvents,
  Conversation,
  LiveAlert,
  Message,
  ReadNotice,
  SendAck,
  ServerToClientEvents,
  SyncAck,
  SyncEvent,
  TypingNotice,
} from '@frontline/protocol';
import { fetchMessagesAfter, type ConversationPage } from '../api/endpoints.js';
import { reportSessionEnded } from '../api/http.js';
import { keys } from '../api/keys.js';
import { applyUpdate, newerOf, withRead, type ListFilter, type Viewer } from './conversation-lists.js';
import { syncEvents, withLive, withNewerPage, withSynced, type History } from './message-history.js';
import {
  dueForResend,
  enqueue,
  isPassingError,
  markConnectionLost,
  markRefused,
  markSending,
  markUnacked,
  newClientMsgId,
  remove,
  requeue,
  retryDelayMs,
  sendEventOf,
  settleDelivered,
  type Draft,
  type Outbox,
} from './outbox.js';
import { loadOutbox, saveOutbox } from './outbox-storage.js';
import { Store } from './store.js';
import {
  TYPING_IDLE_MS,
  TYPING_SHOWN_MS,
  notTyping,
  typingInput,
  typingStopped,
  withTypingNotice,
  type OutgoingTyping,
  type TypingBoard,
} from './typing.js';
import { applyInsight } from '../nlu/insights.js';
import { applyChannelDelivery } from '../channels/deliveries.js';

/** Long enough for a commit on a busy server; an unacked send is then resent, never lost. */
const ACK_TIMEOUT_MS = 10_000;
/** Counters are read again at most this often while conversations change: a busy inbox stays cheap. */
const COUNTS_REFRESH_MS = 1_500;

/** Told of every fresh copy of a conversation and whether this page had seen it before. */
export type ConversationListener = (conversation: Conversation, seenBefore: boolean) => void;

export type ConnectionState = 'connecting' | 'online' | 'offline';

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Timer = ReturnType<typeof setTimeout>;

export class OperatorRealtime {
  readonly connection = new Store<ConnectionState>('connecting');
  readonly outbox: Store<Outbox>;
  readonly typists = new Store<TypingBoard>(new Map());

  private readonly socket: AppSocket;
  /** Conversations opened in this page: their messages arrive live and are resynced on reconnect. */
  private followed = new Set<string>();
  private readonly fillingGaps = new Set<string>();
  private readonly typingOut = new Map<string, OutgoingTyping>();
  private readonly typingIdleTimers = new Map<string, Timer>();
  private readonly typingShownTimers = new Map<string, Timer>();
  private readonly retryTimers = new Map<string, Timer>();
  private hasConnected = false;
  private viewer: Viewer;
  private readonly listeners = new Set<ConversationListener>();
  private readonly presenceListeners = new Set<() => void>();
  private readonly seen = new Set<string>();
  private countsTimer: Timer | undefined;

  constructor(
    private readonly queries: QueryClient,
    private readonly myId: string,
  ) {
    this.viewer = { me: myId, departmentIds: [] };
    this.outbox = new Store(loadOutbox(myId));
    this.outbox.subscribe(() => saveOutbox(myId, this.outbox.get()));
    this.socket = io(NAMESPACES.operator, { withCredentials: true, transports: ['websocket', 'polling'] });
    this.socket.on('connect', () => this.connected());
    this.socket.on('disconnect', (reason) => {
      this.connection.set('offline');
      this.outbox.update(markConnectionLost);
      this.typists.set(new Map());
      // The server let us go on purpose (a restart, a shutdown): Socket.IO waits for us to come back.
      if (reason === 'io server disconnect') this.socket.connect();
    });
    this.socket.on('connect_error', (error) => {
      if (error.message === 'unauthorized') return reportSessionEnded();
      this.connection.set('offline');
      // Socket.IO does not retry a handshake the server refused (say its database was down a
      // moment): try again ourselves, or the operator would stay offline until a reload.
      if (!this.socket.active) setTimeout(() => this.socket.connect(), 1_000 + Math.random() * 2_000);
    });
    this.socket.on('conversations:updated', (conversations) => {
      for (const conversation of conversations) this.applyConversation(conversation);
    });
    this.socket.on('message:new', (message) => this.receive(message));
    this.socket.on('typing', (notice) => this.typingNoticed(notice));
    this.socket.on('read', (notice) => this.readNoticed(notice));
    this.socket.on('conversation:tags', (changed) =>
      this.queries.setQueryData(keys.tags(changed.conversationId), changed.tags),
    );
    this.socket.on('conversation:insight', (insight) => applyInsight(this.queries, insight));
    this.socket.on('channel:delivery', (delivery) => applyChannelDelivery(this.queries, delivery));
    this.socket.on('operator:presence', (change) => {
      if (change.userId === myId) this.queries.setQueryData(keys.presence, change.presence);
      for (const listener of this.presenceListeners) listener();
    });
  }

  /** The operator's departments decide what their common queue holds. */
  setDepartments(departmentIds: readonly string[]): void {
    this.viewer = { me: this.myId, departmentIds };
  }

  /** Subscribes to anyone's presence changes (the supervisor's view); returns the unsubscribe. */
  onPresence(listener: () => void): () => void {
    this.presenceListeners.add(listener);
    return () => this.presenceListeners.delete(listener);
  }

  /** Subscribes to conversation updates (notifications); returns the unsubscribe. */
  onConversation(listener: ConversationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to the threshold alerts sent to supervisors and admins; returns the unsubscribe. */
  onAnalyticsAlert(listener: (alert: LiveAlert) => void): () => void {
    this.socket.on('analytics:alert', listener);
    return () => {
      this.socket.off('analytics:alert', listener);
    };
  }

  close(): void {
    clearTimeout(this.countsTimer);
    for (const timers of [this.typingIdleTimers, this.typingShownTimers, this.retryTimers])
      for (const timer of timers.values()) clearTimeout(timer);
    this.socket.disconnect();
  }

  /** Subscribes to a conversation whose history is loaded, catching up from the seq it holds. */
  follow(conversationId: string): void {
    if (this.followed.has(conversationId)) return;
    this.followed.add(conversationId);
    void this.sync([conversationId]);
  }

  send(draft: Omit<Draft, 'clientMsgId'>): void {
    const clientMsgId = newClientMsgId();
    this.outbox.update((o) => enqueue(o, { ...draft, clientMsgId }, Date.now()));
    this.stopTyping(draft.conversationId);
    this.deliver(clientMsgId);
  }

  retry(clientMsgId: string): void {
    this.outbox.update((o) => requeue(o, clientMsgId));
    this.deliver(clientMsgId);
  }

  discard(clientMsgId: string): void {
    clearTimeout(this.retryTimers.get(clientMsgId));
    this.outbox.update((o) => remove(o, clientMsgId));
  }

  /** The operator typed in the composer: "started" goes out throttled, "stopped" after a pause. */
  typing(conversationId: string): void {
    const { state, emit } = typingInput(this.typingOut.get(conversationId) ?? notTyping, Date.now());
    this.typingOut.set(conversationId, state);
    if (emit && this.socket.connected) this.socket.emit('typing', { conversationId, typing: true });
    clearTimeout(this.typingIdleTimers.get(conversationId));
    this.typingIdleTimers.set(
      conversationId,
      setTimeout(() => this.stopTyping(conversationId), TYPING_IDLE_MS),
    );
  }

  stopTyping(conversationId: string): void {
    clearTimeout(this.typingIdleTimers.get(conversationId));
    const { state, emit } = typingStopped(this.typingOut.get(conversationId) ?? notTyping);
    this.typingOut.set(conversationId, state);
    if (emit && this.socket.connected) this.socket.emit('typing', { conversationId, typing: false });
  }

  markRead(conversationId: string, seq: number): void {
    const held = this.queries.getQueryData<Conversation>(keys.conversation(conversationId));
    if (!this.socket.connected || (held && held.operatorLastReadSeq >= seq)) return;
    this.readNoticed({ conversationId, by: 'operator', seq });
    this.socket.emit('read', { conversationId, seq });
  }

  private connected(): void {
    this.connection.set('online');
    // Updates sent while we were away are lost to us: lists and presence are read again.
    if (this.hasConnected) {
      void this.queries.invalidateQueries({ queryKey: keys.lists });
      void this.queries.invalidateQueries({ queryKey: keys.counts });
      void this.queries.invalidateQueries({ queryKey: keys.presence });
    }
    this.hasConnected = true;
    void this.sync([...this.followed]);
    for (const message of dueForResend(this.outbox.get())) this.deliver(message.clientMsgId);
  }

  private historyOf(id: string): History | undefined {
    return this.queries.getQueryData<History>(keys.history(id));
  }

  private setHistory(id: string, change: (history: History) => History): void {
    this.queries.setQueryData<History>(keys.history(id), (history) => history && change(history));
  }

  /** Replays what followed the held seq for each conversation, again while the server has more. */
  private async sync(ids: string[]): Promise<void> {
    // A history the cache let go of is loaded afresh when its conversation opens again.
    let held = ids.flatMap((id) => {
      const history = this.historyOf(id);
      if (!history) this.followed.delete(id);
      return history ? [{ id, heldThrough: history.stream.heldThrough }] : [];
    });
    while (held.length > 0 && this.socket.connected) {
      const unfinished: string[] = [];
      for (const event of syncEvents(held)) {
        for (const entry of await this.syncBatch(event)) {
          this.setHistory(entry.id, (history) => withSynced(history, entry));
          // A send whose ack the dropped connection ate comes back here, stored once.
          this.outbox.update((o) => settleDelivered(o, entry.messages));
          this.applyConversation(entry.conversation);
          if (entry.hasMore) unfinished.push(entry.id);
        }
      }
      held = unfinished.flatMap((id) => {
        const history = this.historyOf(id);
        return history ? [{ id, heldThrough: history.stream.heldThrough }] : [];
      });
    }
  }

  /**
   * One sync call. The server refuses a whole batch when one conversation in it is no longer
   * ours (deleted, another workspace): then each is tried alone and the refused ones unfollowed.
   */
  private async syncBatch(event: SyncEvent): Promise<Extract<SyncAck, { ok: true }>['conversations']> {
    const ack = await this.emitSync(event);
    if (ack === null) return [];
    if (ack.ok) return ack.conversations;
    if (event.conversations.length === 1) {
      const [only] = event.conversations;
      if (only && ack.error.code !== 'rate_limited' && ack.error.code !== 'internal')
        this.followed.delete(only.id);
      return [];
    }
    const alone = await Promise.all(event.conversations.map((c) => this.syncBatch({ conversations: [c] })));
    return alone.flat();
  }

  private emitSync(event: SyncEvent): Promise<SyncAck | null> {
    return new Promise((resolve) =>
      this.socket
        .timeout(ACK_TIMEOUT_MS)
        .emit('sync', event, (error: Error | null, ack: SyncAck) => resolve(error ? null : ack)),
    );
  }

  private receive(message: Message): void {
    const id = message.conversationId;
    this.outbox.update((o) => settleDelivered(o, [message]));
    this.typingNoticed({ conversationId: id, author: message.author, typing: false });
    const history = this.historyOf(id);
    if (!history) return;
    const live = withLive(history, message);
    this.queries.setQueryData(keys.history(id), live.history);
    if (live.gap) void this.fillGap(id);
  }

  /** Fetches what was missed between the held seq and a live message that skipped ahead. */
  private async fillGap(id: string): Promise<void> {
    if (this.fillingGaps.has(id)) return;
    this.fillingGaps.add(id);
    try {
      for (;;) {
        const before = this.historyOf(id);
        if (!before) return;
        const page = await fetchMessagesAfter(id, before.stream.heldThrough);
        this.setHistory(id, (history) => withNewerPage(history, page));
        this.outbox.update((o) => settleDelivered(o, page.items));
        const after = this.historyOf(id);
        if (!page.hasMoreAfter || !after || after.stream.heldThrough === before.stream.heldThrough) return;
      }
    } catch (error) {
      // The next live message or reconnect finds the same gap and tries again.
      console.warn('Could not fetch missed messages', error);
    } finally {
      this.fillingGaps.delete(id);
    }
  }

  private deliver(clientMsgId: string): void {
    clearTimeout(this.retryTimers.get(clientMsgId));
    if (!this.socket.connected) return;
    this.outbox.update((o) => markSending(o, clientMsgId));
    const message = this.outbox.get().find((m) => m.clientMsgId === clientMsgId);
    if (!message) return;
    const attempt = message.attempts;
    this.socket
      .timeout(ACK_TIMEOUT_MS)
      .emit('message:send', sendEventOf(message), (error: Error | null, ack: SendAck) =>
        this.acked(clientMsgId, attempt, error ? null : ack),
      );
  }

  private acked(clientMsgId: string, attempt: number, ack: SendAck | null): void {
    if (ack?.ok) {
      this.receive(ack.message);
      return;
    }
    if (ack && !isPassingError(ack.error.code)) {
      this.outbox.update((o) => markRefused(o, clientMsgId, attempt, ack.error.message));
      return;
    }
    this.outbox.update((o) => markUnacked(o, clientMsgId, attempt, ack?.error.message ?? null));
    const message = this.outbox.get().find((m) => m.clientMsgId === clientMsgId);
    if (message?.state !== 'waiting') return;
    this.retryTimers.set(
      clientMsgId,
      setTimeout(() => this.deliver(clientMsgId), retryDelayMs(attempt)),
    );
  }

  private typingNoticed(notice: TypingNotice): void {
    const timerKey = `${notice.conversationId}/${notice.author.type}:${notice.author.name ?? ''}`;
    clearTimeout(this.typingShownTimers.get(timerKey));
    this.typists.update((board) => withTypingNotice(board, notice));
    if (!notice.typing) return;
    this.typingShownTimers.set(
      timerKey,
      setTimeout(() => this.typingNoticed({ ...notice, typing: false }), TYPING_SHOWN_MS),
    );
  }

  private readNoticed(notice: ReadNotice): void {
    this.patchConversation(notice.conversationId, (c) => withRead(c, notice));
  }

  /** A fresh copy of a conversation from the server: into its own query and every loaded list. */
  applyConversation(incoming: Conversation): void {
    const held = this.queries.getQueryData<Conversation>(keys.conversation(incoming.id));
    const conversation = held ? newerOf(held, incoming) : incoming;
    if (conversation === held) return;
    const seenBefore = this.seen.has(incoming.id) || held !== undefined;
    this.seen.add(incoming.id);
    for (const listener of this.listeners) listener(conversation, seenBefore);
    this.refreshCountsSoon();
    this.queries.setQueryData(keys.conversation(incoming.id), conversation);
    for (const query of this.queries.getQueryCache().findAll({ queryKey: keys.lists })) {
      const filter = query.queryKey[1] as ListFilter;
      this.queries.setQueryData<InfiniteData<ConversationPage>>(query.queryKey, (data) => {
        const [first, ...later] = data?.pages ?? [];
        if (!data || !first) return data;
        // Fresh activity moves a conversation to the top, so it leaves later pages for the first.
        return {
          ...data,
          pages: [
            { ...first, items: applyUpdate(first.items, conversation, filter, this.viewer) },
            ...later.map((p) => ({ ...p, items: p.items.filter((c) => c.id !== conversation.id) })),
          ],
        };
      });
    }
  }

  /** Lists loaded by this page are remembered, so a conversation they showed is not "new". */
  noteListed(conversations: readonly Conversation[]): void {
    for (const conversation of conversations) this.seen.add(conversation.id);
  }

  private refreshCountsSoon(): void {
    if (this.countsTimer !== undefined) return;
    this.countsTimer = setTimeout(() => {
      this.countsTimer = undefined;
      void this.queries.invalidateQueries({ queryKey: keys.counts });
    }, COUNTS_REFRESH_MS);
  }

  /** A change that keeps the conversation where it is in every list (read marks). */
  private patchConversation(id: string, change: (conversation: Conversation) => Conversation): void {
    this.queries.setQueryData<Conversation>(keys.conversation(id), (c) => c && change(c));
    this.queries.setQueriesData<InfiniteData<ConversationPage>>({ queryKey: keys.lists }, (data) =>
      data
        ? {
            ...data,
            pages: data.pages.map((p) => ({
              ...p,
              items: p.items.map((c) => (c.id === id ? change(c) : c)),
            })),
          }
        : data,
    );
  }
}
