// What the visitor wrote that the server has not stored yet (docs/delivery.md). Each message keeps
// its clientMsgId for life, so however often it is resent the server stores it once. Messages go
// out one at a time, oldest first: the server numbers them in the order they arrive, and the
// visitor's messages must read in the order they were written. Pure; chat.ts does the I/O.
import type { ButtonReply, ErrorBody, ErrorCode, Message } from '@frontline/protocol';

/**
 * waiting: not sent yet, or its last attempt got no ack or a passing error; goes out on its own.
 * sending: attempt `attempts` is on its way.
 * refused: the server said no for a reason a resend cannot fix; the visitor retries or discards it.
 */
export type OutgoingState = 'waiting' | 'sending' | 'refused';

/** What a message carries besides its text: uploaded files, or the button it answers. */
export interface OutgoingExtras {
  files?: { fileId: string; name: string; mime: string }[];
  replyTo?: ButtonReply;
}

export interface OutgoingMessage extends OutgoingExtras {
  clientMsgId: string;
  text: string;
  attempts: number;
  state: OutgoingState;
  /** What went wrong with the last attempt, when the server said; shown under the message. */
  error: string | null;
}

export type Outbox = readonly OutgoingMessage[];

/** An attempt's result: the server's error ack, or null when no ack came (timeout, lost connection). */
export type FailedAttempt = ({ ok: false } & ErrorBody) | null;

const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** Errors that pass: the same send later can succeed. Anything else needs the visitor. */
const PASSING_ERRORS: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'unavailable', 'internal']);

/** Backs off so a struggling server is not hammered: 1 s, 2 s, 4 s … at most 30 s. */
export function retryDelayMs(attempts: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * A fresh clientMsgId (a UUID v4). crypto.randomUUID exists only on secure pages, and a self-hosted
 * Frontline is often reached over plain http; getRandomValues works everywhere.
 */
export function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function enqueue(
  outbox: Outbox,
  clientMsgId: string,
  text: string,
  extras: OutgoingExtras = {},
): Outbox {
  return [...outbox, { clientMsgId, text, ...extras, attempts: 0, state: 'waiting', error: null }];
}

/** The message to send now: the oldest not refused, and only while nothing else is on its way. */
export function nextToSend(outbox: Outbox): OutgoingMessage | undefined {
  if (outbox.some((m) => m.state === 'sending')) return undefined;
  return outbox.find((m) => m.state === 'waiting');
}

function change(outbox: Outbox, clientMsgId: string, patch: (m: OutgoingMessage) => OutgoingMessage): Outbox {
  let changed = false;
  const next = outbox.map((m) => {
    if (m.clientMsgId !== clientMsgId) return m;
    const updated = patch(m);
    changed ||= updated !== m;
    return updated;
  });
  return changed ? next : outbox;
}

/** A new attempt goes out; its number tells its result apart from late results of earlier ones. */
export function markSending(outbox: Outbox, clientMsgId: string): Outbox {
  return change(outbox, clientMsgId, (m) => ({ ...m, state: 'sending', attempts: m.attempts + 1 }));
}

/**
 * Attempt `attempt` failed: passing errors and missing acks wait for a resend, the rest are
 * refused. A result of an attempt that is no longer the one under way changes nothing.
 */
export function markFailed(
  outbox: Outbox,
  clientMsgId: string,
  attempt: number,
  result: FailedAttempt,
): Outbox {
  const passing = !result || PASSING_ERRORS.has(result.error.code);
  return change(outbox, clientMsgId, (m) =>
    m.state === 'sending' && m.attempts === attempt
      ? { ...m, state: passing ? 'waiting' : 'refused', error: result?.error.message ?? null }
      : m,
  );
}

/** The connection dropped: no ack of the attempt under way will come, so it is resent later. */
export function markConnectionLost(outbox: Outbox): Outbox {
  return outbox.some((m) => m.state === 'sending')
    ? outbox.map((m) => (m.state === 'sending' ? { ...m, state: 'waiting' } : m))
    : outbox;
}

/** The visitor asks to try a refused message again: same clientMsgId, so never stored twice. */
export function requeue(outbox: Outbox, clientMsgId: string): Outbox {
  return change(outbox, clientMsgId, (m) =>
    m.state === 'refused' ? { ...m, state: 'waiting', error: null } : m,
  );
}

/** The visitor gives up on a refused message. */
export function discard(outbox: Outbox, clientMsgId: string): Outbox {
  return outbox.some((m) => m.clientMsgId === clientMsgId && m.state === 'refused')
    ? outbox.filter((m) => m.clientMsgId !== clientMsgId)
    : outbox;
}

/**
 * Drops the entries the server has stored, whichever way the stored message came back (the ack,
 * the live echo, a sync after a reconnect that ate the ack): showing both copies would show it twice.
 */
export function settleDelivered(outbox: Outbox, messages: readonly Message[]): Outbox {
  if (outbox.length === 0) return outbox;
  const stored = new Set(messages.filter((m) => m.author.type === 'visitor').map((m) => m.clientMsgId));
  const rest = outbox.filter((m) => !stored.has(m.clientMsgId));
  return rest.length === outbox.length ? outbox : rest;
}

/** A reloaded page has nothing on its way: what was being sent is sent again. */
export function restore(stored: unknown): Outbox {
  if (!Array.isArray(stored)) return [];
  return stored
    .filter(isOutgoingMessage)
    .map((m) => (m.state === 'sending' ? { ...m, state: 'waiting' } : m));
}

function isOutgoingMessage(value: unknown): value is OutgoingMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.clientMsgId === 'string' &&
    typeof m.text === 'string' &&
    typeof m.attempts === 'number' &&
    (m.files === undefined || Array.isArray(m.files)) &&
    (m.replyTo === undefined || (typeof m.replyTo === 'object' && m.replyTo !== null)) &&
    (m.error === null || typeof m.error === 'string') &&
    (m.state === 'waiting' || m.state === 'sending' || m.state === 'refused')
  );
}
