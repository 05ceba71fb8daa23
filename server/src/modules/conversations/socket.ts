// Socket handlers of conversations for both namespaces. Each event is parsed with its protocol
// schema; a bad event gets an error ack (never a thrown exception that would drop the socket).
import type { FastifyBaseLogger as Logger } from 'fastify';
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import {
  LIMITS,
  ReadEvent,
  SendMessageEvent,
  SyncEvent,
  TypingEvent,
  type ClientToServerEvents,
  type ErrorBody,
  type ServerToClientEvents,
} from '@frontline/protocol';
import { AppError } from '../../errors.js';
import { refuseNul } from '../../nul-guard.js';
import type { RealtimeHub } from '../../realtime/hub.js';
import { rooms } from '../../realtime/rooms.js';
import { principalOf } from '../auth/socket-auth.js';
import type { OperatorPrincipal, VisitorPrincipal } from '../auth/principal.js';
import type { ConversationService } from './service.js';

type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
type Ack<T> = (result: T) => void;

export function handleOperatorConnection(
  socket: AppSocket,
  service: ConversationService,
  hub: RealtimeHub,
  log: Logger,
): void {
  const operator = principalOf<OperatorPrincipal>(socket);
  void socket.join(rooms.workspaceOperators(operator.workspaceId));
  registerCommonHandlers(socket, operator, service, hub, log, (conversationId) =>
    socket.join(rooms.conversationOperators(conversationId)),
  );
}

export async function handleVisitorConnection(
  socket: AppSocket,
  service: ConversationService,
  hub: RealtimeHub,
  log: Logger,
  clientIp: string,
): Promise<void> {
  const visitor = principalOf<VisitorPrincipal>(socket);
  void socket.join([rooms.contact(visitor.contactId), rooms.workspaceVisitors(visitor.workspaceId)]);
  const joinConversation = (conversationId: string) => socket.join(rooms.conversationVisitor(conversationId));
  registerCommonHandlers(socket, visitor, service, hub, log, joinConversation);
  socket.on('conversation:open', (ack) => {
    if (typeof ack !== 'function') return;
    respond(hub, log, ack, async () => {
      const conversation = await service.openForVisitor(visitor, clientIp);
      // Every tab of this visitor follows the conversation, not only the one that opened it.
      socket.nsp.in(rooms.contact(visitor.contactId)).socketsJoin(rooms.conversationVisitor(conversation.id));
      await joinConversation(conversation.id);
      if (conversation.status === 'queued')
        retellPlaceInLine(service, visitor.workspaceId, [conversation.id]);
      return { ok: true as const, conversation };
    });
  });
  for (const id of await service.recentConversationIds(visitor)) await joinConversation(id);
}

function registerCommonHandlers(
  socket: AppSocket,
  principal: OperatorPrincipal | VisitorPrincipal,
  service: ConversationService,
  hub: RealtimeHub,
  log: Logger,
  joinConversation: (conversationId: string) => void | Promise<void>,
): void {
  socket.on('message:send', (raw, ack) => {
    if (typeof ack !== 'function') return;
    respond(hub, log, ack, async () => {
      const event = parse(SendMessageEvent, raw);
      const { message } = await service.sendMessage(principal, event.conversationId, event);
      return { ok: true as const, message };
    });
  });

  socket.on('sync', (raw, ack) => {
    if (typeof ack !== 'function') return;
    respond(hub, log, ack, async () => {
      const event = parse(SyncEvent, raw);
      const conversations = [];
      for (const entry of event.conversations) {
        conversations.push(
          await service.catchUp(principal, entry.id, entry.afterSeq, () => joinConversation(entry.id)),
        );
      }
      const queued = conversations.filter((c) => c.conversation.status === 'queued');
      if (principal.kind === 'visitor' && queued.length > 0)
        retellPlaceInLine(
          service,
          principal.workspaceId,
          queued.map((c) => c.conversation.id),
        );
      return { ok: true as const, conversations };
    });
  });

  socket.on('read', (raw, ack) => {
    respond(hub, log, typeof ack === 'function' ? ack : () => undefined, async () => {
      const event = parse(ReadEvent, raw);
      await service.markRead(principal, event.conversationId, event.seq);
      return { ok: true as const };
    });
  });

  // A socket follows only conversations it was allowed to see (it joined their room after the
  // check), so for the frequent typing and read events the room stands in for a database look-up.
  const room = principal.kind === 'operator' ? rooms.conversationOperators : rooms.conversationVisitor;
  const follows = (conversationId: string) => socket.rooms.has(room(conversationId));

  const lastTypingAt = new Map<string, number>();
  socket.on('typing', (raw) => {
    const parsed = TypingEvent.safeParse(raw);
    if (!parsed.success) return;
    const { conversationId, typing } = parsed.data;
    // Relay "started typing" at most once per throttle window; "stopped" always goes through.
    const now = Date.now();
    if (typing && now - (lastTypingAt.get(conversationId) ?? 0) < LIMITS.typingThrottleMs) return;
    lastTypingAt.set(conversationId, typing ? now : 0);
    const relay = () => {
      const author =
        principal.kind === 'operator'
          ? { type: 'operator' as const, name: principal.name }
          : { type: 'visitor' as const, name: null };
      hub.typingChanged({ conversationId, author, typing }, socket.id);
    };
    if (follows(conversationId)) relay();
    else void service.get(principal, conversationId).then(relay, () => undefined);
  });
}

/**
 * The routing pass that queued a conversation may have announced the place in line before the
 * visitor's socket joined its room (the widget opens over HTTP, then syncs): ask for another pass
 * once the ack is out, so the notice reaches the visitor after they know the conversation.
 */
function retellPlaceInLine(
  service: ConversationService,
  workspaceId: string,
  conversationIds: string[],
): void {
  setImmediate(() => service.retellPlaceInLine(workspaceId, conversationIds));
}

function parse<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  refuseNul(raw);
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new AppError(
    'validation_failed',
    issue?.message ?? 'Invalid event',
    issue?.path.join('.') || undefined,
  );
}

/** Runs a handler and acks its result, or the error body a client can show. */
function respond<T>(
  hub: RealtimeHub,
  log: Logger,
  ack: Ack<T | ({ ok: false } & ErrorBody)>,
  run: () => Promise<T>,
): void {
  void hub.inFlight.track(run()).then(ack, (error: unknown) => {
    if (error instanceof AppError) {
      ack({ ok: false, ...error.toBody() });
      return;
    }
    log.error({ err: error }, 'socket handler failed');
    ack({ ok: false, error: { code: 'internal', message: 'Something went wrong on the server; try again' } });
  });
}
