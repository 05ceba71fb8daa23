// A conversation's messages as the workspace holds them: the protocol's seq-ordered stream (which
// drops duplicates and knows what is contiguously held) plus whether older history remains on the
// server. Pure, so paging, live delivery and catch-up are tested without a socket.
import { emptyStream, isGap, mergeMessages, type MessageStream } from '@frontline/protocol/client';
import type { Conversation, Message, MessagePage, SyncEvent } from '@frontline/protocol';

export interface History {
  stream: MessageStream;
  /** The server has messages before the oldest one held (page backwards with beforeSeq). */
  hasOlder: boolean;
}

/** The sync event accepts this many conversations per call. */
export const SYNC_MAX_CONVERSATIONS = 100;

/**
 * The newest page, merged with whatever arrived live while it loaded. It reaches the conversation's
 * end, so everything up to its lastSeq counts as held.
 */
export function historyFromLatestPage(page: MessagePage, held: History | undefined): History {
  return {
    stream: mergeMessages(held?.stream ?? emptyStream(), page.items, page.hasMoreAfter ? 0 : page.lastSeq),
    hasOlder: page.hasMoreBefore,
  };
}

/** A page fetched with beforeSeq: only older messages, so what is held after them does not change. */
export function withOlderPage(history: History, page: MessagePage): History {
  return { stream: mergeMessages(history.stream, page.items), hasOlder: page.hasMoreBefore };
}

/** A page fetched with afterSeq to fill a gap; when it reaches the end, up to lastSeq is held. */
export function withNewerPage(history: History, page: MessagePage): History {
  const stream = mergeMessages(history.stream, page.items, page.hasMoreAfter ? 0 : page.lastSeq);
  return stream === history.stream ? history : { ...history, stream };
}

/** One conversation's answer to `sync`: what followed afterSeq, and whether more remains. */
export interface SyncedConversation {
  messages: Message[];
  hasMore: boolean;
  conversation: Conversation;
}

export function withSynced(history: History, synced: SyncedConversation): History {
  const confirmedThrough = synced.hasMore ? 0 : synced.conversation.lastSeq;
  const stream = mergeMessages(history.stream, synced.messages, confirmedThrough);
  return stream === history.stream ? history : { ...history, stream };
}

/**
 * A live message. `gap` says messages between what is held and this one were missed (a dropped
 * packet, a node restart): fetch from `history.stream.heldThrough`.
 */
export function withLive(history: History, message: Message): { history: History; gap: boolean } {
  const gap = isGap(history.stream, message);
  const stream = mergeMessages(history.stream, [message]);
  return { history: stream === history.stream ? history : { ...history, stream }, gap };
}

export function oldestSeq(history: History): number | null {
  return history.stream.messages[0]?.seq ?? null;
}

/** The sync events that resubscribe every followed conversation from the seq held, in allowed batches. */
export function syncEvents(held: readonly { id: string; heldThrough: number }[]): SyncEvent[] {
  const events: SyncEvent[] = [];
  for (let start = 0; start < held.length; start += SYNC_MAX_CONVERSATIONS) {
    const batch = held.slice(start, start + SYNC_MAX_CONVERSATIONS);
    events.push({ conversations: batch.map((h) => ({ id: h.id, afterSeq: h.heldThrough })) });
  }
  return events;
}
