// Typing, both ways. Out: "started" at most once per throttle window (the server drops more
// anyway), "stopped" once when the operator sends, pauses or leaves. In: who is typing where,
// until they stop, send, or go quiet. Pure; timers live in operator-realtime.ts.
import { LIMITS } from '@frontline/protocol/client';
import type { TypingNotice } from '@frontline/protocol';

export interface OutgoingTyping {
  active: boolean;
  /** When "started" was last sent. */
  sentAt: number;
}

export const notTyping: OutgoingTyping = { active: false, sentAt: 0 };

/** A pause this long counts as stopped: the visitor should not see "typing" over an idle draft. */
export const TYPING_IDLE_MS = 5_000;
/** A "started" with no "stopped" (a closed tab) fades after this long; senders repeat it every 2 s. */
export const TYPING_SHOWN_MS = 6_000;

export function typingInput(state: OutgoingTyping, now: number): { state: OutgoingTyping; emit: boolean } {
  if (state.active && now - state.sentAt < LIMITS.typingThrottleMs) return { state, emit: false };
  return { state: { active: true, sentAt: now }, emit: true };
}

export function typingStopped(state: OutgoingTyping): { state: OutgoingTyping; emit: boolean } {
  return state.active ? { state: notTyping, emit: true } : { state, emit: false };
}

/** Who is typing in a conversation: a visitor (name null) or a colleague by name. */
export interface Typist {
  type: TypingNotice['author']['type'];
  name: string | null;
}

/** conversationId -> people typing there, keyed by "type:name". */
export type TypingBoard = ReadonlyMap<string, ReadonlyMap<string, Typist>>;

const typistKey = (author: Typist) => `${author.type}:${author.name ?? ''}`;

export function withTypingNotice(board: TypingBoard, notice: TypingNotice): TypingBoard {
  const key = typistKey(notice.author);
  const current = board.get(notice.conversationId);
  if (!notice.typing && !current?.has(key)) return board;
  if (notice.typing && current?.has(key)) return board;
  const typists = new Map(current);
  if (notice.typing) typists.set(key, { type: notice.author.type, name: notice.author.name });
  else typists.delete(key);
  const next = new Map(board);
  if (typists.size > 0) next.set(notice.conversationId, typists);
  else next.delete(notice.conversationId);
  return next;
}

export function typistsIn(board: TypingBoard, conversationId: string): Typist[] {
  return [...(board.get(conversationId)?.values() ?? [])];
}
