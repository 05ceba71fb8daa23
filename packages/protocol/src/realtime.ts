// Socket.IO events, both directions, for the operator (/operator) and visitor (/visitor) namespaces.
import { z } from 'zod';
import { ErrorBody, Id } from './common.js';
import { Conversation } from './conversations.js';
import { AuthorType } from './enums.js';
import { LIMITS } from './limits.js';
import { Message, SendMessageBody } from './messages.js';
import type { ChannelDelivery } from './channels.js';
import type { Presence, QueueNotice } from './routing.js';
import type { ConversationInsight } from './nlu.js';
import type { LiveAlert } from './analytics.js';
import type { LocalisedText } from './widget.js';

export { NAMESPACES } from './constants.js';

export const SendMessageEvent = SendMessageBody.and(z.object({ conversationId: Id }));
export type SendMessageEvent = z.infer<typeof SendMessageEvent>;
/** What a client may send: kind and fileIds have defaults. */
export type SendMessageInput = z.input<typeof SendMessageEvent>;

/** Ack of a send: only after the message is committed, carrying its id and seq. */
export type SendAck = { ok: true; message: Message } | ({ ok: false } & ErrorBody);

/** Reconnect catch-up: the last seq the client holds per conversation; the server replays what follows. */
export const SyncEvent = z.object({
  conversations: z.array(z.object({ id: Id, afterSeq: z.number().int().nonnegative() })).max(100),
});
export type SyncEvent = z.infer<typeof SyncEvent>;

export type SyncAck =
  | {
      ok: true;
      conversations: { id: string; messages: Message[]; hasMore: boolean; conversation: Conversation }[];
    }
  | ({ ok: false } & ErrorBody);

export const TypingEvent = z.object({ conversationId: Id, typing: z.boolean() });
export type TypingEvent = z.infer<typeof TypingEvent>;

export const ReadEvent = z.object({ conversationId: Id, seq: z.number().int().nonnegative() });
export type ReadEvent = z.infer<typeof ReadEvent>;

/** Visitor opens (or resumes) their conversation; idempotent: one open conversation per visitor. */
export type OpenConversationAck = { ok: true; conversation: Conversation } | ({ ok: false } & ErrorBody);

export type SimpleAck = { ok: true } | ({ ok: false } & ErrorBody);

export interface TypingNotice {
  conversationId: string;
  author: { type: z.infer<typeof AuthorType>; name: string | null };
  typing: boolean;
}

export interface ReadNotice {
  conversationId: string;
  by: 'visitor' | 'operator';
  seq: number;
}

export interface ServerToClientEvents {
  'message:new': (message: Message) => void;
  /** Visitors only: place in the queue and expected wait, while queued. */
  'queue:position': (notice: QueueNotice) => void;
  /** Operators only: someone's presence changed (by hand, or away after missed offers). */
  'operator:presence': (change: { userId: string; presence: Presence }) => void;
  /** Visitors only: their conversation changed. */
  'conversation:updated': (conversation: Conversation) => void;
  /**
   * Operators only: conversations of the workspace that changed, each in its latest state. A quiet
   * workspace's change comes at once; a busy one's every quarter second, together.
   */
  'conversations:updated': (conversations: Conversation[]) => void;
  typing: (notice: TypingNotice) => void;
  read: (notice: ReadNotice) => void;
  /** Operators only: a conversation's tags changed. */
  'conversation:tags': (tags: { conversationId: string; tags: string[] }) => void;
  /** Operators only: language understanding's view of a conversation changed (intent, upset). */
  'conversation:insight': (insight: ConversationInsight) => void;
  /** Supervisors and admins only: a live-monitoring threshold was crossed (docs/analytics.md). */
  'analytics:alert': (alert: LiveAlert) => void;
  /** Operators only: a reply's delivery through a messenger channel changed. */
  'channel:delivery': (delivery: ChannelDelivery) => void;
  /** Visitors only: the widget's greeting changed (a supervisor wrote the current incident). */
  'widget:greeting': (greeting: LocalisedText) => void;
}

export interface ClientToServerEvents {
  'message:send': (event: SendMessageInput, ack: (result: SendAck) => void) => void;
  sync: (event: SyncEvent, ack: (result: SyncAck) => void) => void;
  typing: (event: TypingEvent) => void;
  read: (event: ReadEvent, ack?: (result: SimpleAck) => void) => void;
  /** Visitor only. */
  'conversation:open': (ack: (result: OpenConversationAck) => void) => void;
}

export const TYPING_THROTTLE_MS = LIMITS.typingThrottleMs;
