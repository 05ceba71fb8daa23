// Messages the operator sent that the server has not acknowledged yet (docs/delivery.md). Each keeps
// its clientMsgId for life: however many times it is resent, the server stores it once. Pure; the
// socket side lives in operator-realtime.ts.
import type { ErrorCode, FileInfo, Message, SendMessageInput } from '@frontline/protocol';

/**
 * sending: emitted, waiting for the ack of attempt `attempts`.
 * waiting: no ack (timeout, lost connection, a passing server error); resent on its own.
 * refused: the server said no for a reason a resend cannot fix; the operator retries or discards.
 */
export type OutgoingState = 'sending' | 'waiting' | 'refused';

export interface OutgoingMessage {
  clientMsgId: string;
  conversationId: string;
  kind: 'text' | 'note';
  text: string;
  /** Uploaded already; shown while sending, their ids go into fileIds. */
  attachments: FileInfo[];
  createdAt: number;
  attempts: number;
  state: OutgoingState;
  /** The server's message from the last failed attempt, if it gave one. */
  error: string | null;
}

export type Outbox = readonly OutgoingMessage[];

export type Draft = Pick<OutgoingMessage, 'clientMsgId' | 'conversationId' | 'kind' | 'text' | 'attachments'>;

const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** Errors that pass: a resend later can succeed. Anything else needs the operator. */
const PASSING_ERRORS: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'unavailable', 'internal']);

export function isPassingError(code: ErrorCode): boolean {
  return PASSING_ERRORS.has(code);
}

/** Backs off so a struggling server is not hammered: 1 s, 2 s, 4 s … at most 30 s. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * A fresh clientMsgId (a UUID v4). crypto.randomUUID exists only on secure pages, and a self-hosted
 * server is often opened over plain http on a LAN address; getRandomValues works everywhere.
 */
export function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function enqueue(outbox: Outbox, draft: Draft, now: number): Outbox {
  return [...outbox, { ...draft, createdAt: now, attempts: 0, state: 'waiting', error: null }];
}

function update(
  outbox: Outbox,
  clientMsgId: string,
  change: (m: OutgoingMessage) => OutgoingMessage,
): Outbox {
  let changed = false;
  const next = outbox.map((m) => {
    if (m.clientMsgId !== clientMsgId) return m;
    const updated = change(m);
    changed ||= updated !== m;
    return updated;
  });
  return changed ? next : outbox;
}

/** A new attempt goes out; its number tells its ack apart from late acks of earlier attempts. */
export function markSending(outbox: Outbox, clientMsgId: string): Outbox {
  return update(outbox, clientMsgId, (m) => ({ ...m, state: 'sending', attempts: m.attempts + 1 }));
}

/** Attempt `attempt` got no ack or a passing error. Ignored when a newer attempt is under way. */
export function markUnacked(
  outbox: Outbox,
  clientMsgId: string,
  attempt: number,
  error: string | null,
): Outbox {
  return update(outbox, clientMsgId, (m) =>
    m.state === 'sending' && m.attempts === attempt ? { ...m, state: 'waiting', error } : m,
  );
}

export function markRefused(outbox: Outbox, clientMsgId: string, attempt: number, error: string): Outbox {
  return update(outbox, clientMsgId, (m) => (m.attempts === attempt ? { ...m, state: 'refused', error } : m));
}

/** The connection dropped: no ack of an attempt under way will come, so each is resent later. */
export function markConnectionLost(outbox: Outbox): Outbox {
  return outbox.some((m) => m.state === 'sending')
    ? outbox.map((m) => (m.state === 'sending' ? { ...m, state: 'waiting' } : m))
    : outbox;
}

/** The operator asks to try a refused message again: same clientMsgId, so never stored twice. */
export function requeue(outbox: Outbox, clientMsgId: string): Outbox {
  return update(outbox, clientMsgId, (m) =>
    m.state === 'refused' ? { ...m, state: 'waiting', error: null } : m,
  );
}

export function remove(outbox: Outbox, clientMsgId: string): Outbox {
  return outbox.some((m) => m.clientMsgId === clientMsgId)
    ? outbox.filter((m) => m.clientMsgId !== clientMsgId)
    : outbox;
}

/**
 * Drops the entries the server has stored: the message came back (ack, live echo or a sync after
 * a reconnect that ate the ack), so showing the pending copy too would show it twice.
 */
export function settleDelivered(outbox: Outbox, messages: readonly Message[]): Outbox {
  if (outbox.length === 0) return outbox;
  const stored = new Set(messages.map((m) => `${m.conversationId}/${m.clientMsgId}`));
  const rest = outbox.filter((m) => !stored.has(`${m.conversationId}/${m.clientMsgId}`));
  return rest.length === outbox.length ? outbox : rest;
}

export function pendingIn(outbox: Outbox, conversationId: string): OutgoingMessage[] {
  return outbox.filter((m) => m.conversationId === conversationId);
}

/** What goes out on a (re)connect: everything not refused and not already on its way. */
export function dueForResend(outbox: Outbox): OutgoingMessage[] {
  return outbox.filter((m) => m.state === 'waiting');
}

export function sendEventOf(message: OutgoingMessage): SendMessageInput {
  return {
    conversationId: message.conversationId,
    clientMsgId: message.clientMsgId,
    text: message.text,
    kind: message.kind,
    fileIds: message.attachments.map((a) => a.id),
  };
}
