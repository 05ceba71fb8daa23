// The realtime hub: one Socket.IO server with an /operator and a /visitor namespace. On one node
// rooms live in memory; with REDIS_URL the Redis streams adapter fans events out to every node.
// Delivery never depends on it: clients catch up from the database (see docs/delivery.md).
import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { Server, type Namespace } from 'socket.io';
import {
  NAMESPACES,
  type ClientToServerEvents,
  type Conversation,
  type LocalisedText,
  type Message,
  type ReadNotice,
  type ServerToClientEvents,
  type Presence,
  type QueueNotice,
  type TypingNotice,
} from '@frontline/protocol';
import type { Metrics } from '../modules/ops/metrics.js';
import type { CacheNotices } from '../workspace-cache.js';
import { InFlight } from './in-flight.js';
import { rooms } from './rooms.js';

export type RealtimeNamespace = Namespace<ClientToServerEvents, ServerToClientEvents>;

/** Often enough for a list preview to look live, rare enough not to flood operators. */
const CONVERSATION_UPDATE_INTERVAL_MS = 250;

/** What the domain services tell the hub after a change is committed. */
export interface Announcer {
  messageCreated(message: Message): void;
  conversationChanged(workspaceId: string, conversation: Conversation): void;
  readChanged(notice: ReadNotice): void;
}

/** What the nodes of a cluster tell each other (never clients). */
interface NodeEvents {
  'cache:changed': (cache: string, workspaceId: string) => void;
}

export class RealtimeHub implements Announcer {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents, NodeEvents>;
  /** Null on a single node: nobody else to tell. */
  readonly cacheNotices: CacheNotices | null;
  readonly operators: RealtimeNamespace;
  readonly visitors: RealtimeNamespace;
  readonly inFlight = new InFlight();
  /** Per workspace: the window of conversation updates under way (see conversationChanged). */
  private readonly updateWindows = new Map<
    string,
    { changed: Map<string, Conversation>; timer: ReturnType<typeof setTimeout> }
  >();

  constructor(
    httpServer: HttpServer,
    private readonly metrics: Metrics,
    options: { redis?: Redis | undefined; redisKeyPrefix: string; maxMessageBytes: number },
  ) {
    this.io = new Server(httpServer, {
      serveClient: false,
      maxHttpBufferSize: options.maxMessageBytes,
      // Same-origin and widget-origin checks happen in each namespace's middleware, where the
      // workspace is known; CORS headers only matter for the polling transport of the widget.
      cors: { origin: true, credentials: true },
      ...(options.redis
        ? { adapter: createAdapter(options.redis, { streamName: `${options.redisKeyPrefix}socket.io` }) }
        : {}),
    });
    this.operators = this.io.of(NAMESPACES.operator);
    this.visitors = this.io.of(NAMESPACES.visitor);
    this.cacheNotices = options.redis
      ? {
          send: (cache, workspaceId) => this.io.serverSideEmit('cache:changed', cache, workspaceId),
          listen: (receiver) => this.io.on('cache:changed', receiver),
        }
      : null;
  }

  messageCreated(message: Message): void {
    this.metrics.messagesStored.inc({ author: message.author.type });
    this.operators.to(rooms.conversationOperators(message.conversationId)).emit('message:new', message);
    if (message.kind !== 'note') {
      this.visitors.to(rooms.conversationVisitor(message.conversationId)).emit('message:new', message);
    }
  }

  /**
   * Conversation updates go to every operator of the workspace, and a busy workspace changes some
   * conversation with every message. So they go out in windows: a change in a quiet workspace at
   * once, and the changes of the next CONVERSATION_UPDATE_INTERVAL_MS together, each conversation
   * in its latest state, as one event per operator socket instead of one per change (messages
   * themselves are never held).
   */
  conversationChanged(workspaceId: string, conversation: Conversation): void {
    const window = this.updateWindows.get(workspaceId);
    if (window) {
      window.changed.set(conversation.id, conversation);
      return;
    }
    this.emitConversations(workspaceId, [conversation]);
    this.openUpdateWindow(workspaceId);
  }

  private openUpdateWindow(workspaceId: string): void {
    this.updateWindows.set(workspaceId, {
      changed: new Map(),
      timer: setTimeout(() => this.closeUpdateWindow(workspaceId), CONVERSATION_UPDATE_INTERVAL_MS),
    });
  }

  private closeUpdateWindow(workspaceId: string): void {
    const window = this.updateWindows.get(workspaceId);
    this.updateWindows.delete(workspaceId);
    if (!window || window.changed.size === 0) return;
    this.emitConversations(workspaceId, [...window.changed.values()]);
    this.openUpdateWindow(workspaceId);
  }

  private emitConversations(workspaceId: string, conversations: Conversation[]): void {
    this.operators.to(rooms.workspaceOperators(workspaceId)).emit('conversations:updated', conversations);
    for (const conversation of conversations)
      this.visitors.to(rooms.conversationVisitor(conversation.id)).emit('conversation:updated', conversation);
  }

  /** Typing goes to everyone in the conversation but the typist's own socket. */
  typingChanged(notice: TypingNotice, senderSocketId: string): void {
    this.operators
      .to(rooms.conversationOperators(notice.conversationId))
      .except(senderSocketId)
      .emit('typing', notice);
    if (notice.author.type !== 'visitor') {
      this.visitors.to(rooms.conversationVisitor(notice.conversationId)).emit('typing', notice);
    }
  }

  /** Every open widget of the workspace shows the new greeting at once. */
  greetingChanged(workspaceId: string, greeting: LocalisedText): void {
    this.visitors.to(rooms.workspaceVisitors(workspaceId)).emit('widget:greeting', greeting);
  }

  queueChanged(notice: QueueNotice): void {
    this.visitors.to(rooms.conversationVisitor(notice.conversationId)).emit('queue:position', notice);
  }

  operatorPresenceChanged(workspaceId: string, userId: string, presence: Presence): void {
    this.operators.to(rooms.workspaceOperators(workspaceId)).emit('operator:presence', { userId, presence });
  }

  readChanged(notice: ReadNotice): void {
    this.operators.to(rooms.conversationOperators(notice.conversationId)).emit('read', notice);
    this.visitors.to(rooms.conversationVisitor(notice.conversationId)).emit('read', notice);
  }

  /**
   * Disconnects this node's sockets only (with the Redis adapter, a plain disconnectSockets would
   * reach every node). The HTTP server itself is closed by Fastify.
   */
  close(): void {
    for (const window of this.updateWindows.values()) clearTimeout(window.timer);
    this.updateWindows.clear();
    this.operators.local.disconnectSockets(true);
    this.visitors.local.disconnectSockets(true);
    this.io.engine.close();
  }
}
