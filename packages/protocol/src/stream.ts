// The client side of delivery (docs/delivery.md), shared by the workspace and the widget: hold a
// conversation's messages by seq, drop duplicates, and know when something was missed.
import type { Message } from './messages.js';

export interface MessageStream {
  /** Held messages in seq order, each seq once. */
  messages: Message[];
  /**
   * Everything up to this seq is held, or known not to be for this reader (internal notes are
   * never sent to visitors): a live message beyond heldThrough + 1 means a gap.
   */
  heldThrough: number;
}

export const emptyStream = (): MessageStream => ({ messages: [], heldThrough: 0 });

/**
 * Adds messages (live, from a page or from a sync). `confirmedThrough` is the conversation's
 * lastSeq from a page or sync that returned everything after what was held.
 */
export function mergeMessages(
  stream: MessageStream,
  incoming: readonly Message[],
  confirmedThrough = 0,
): MessageStream {
  const bySeq = new Map(stream.messages.map((m) => [m.seq, m]));
  let added = false;
  for (const message of incoming) {
    if (bySeq.has(message.seq)) continue;
    bySeq.set(message.seq, message);
    added = true;
  }
  const messages = added ? [...bySeq.values()].sort((a, b) => a.seq - b.seq) : stream.messages;
  let heldThrough = Math.max(stream.heldThrough, confirmedThrough);
  while (bySeq.has(heldThrough + 1)) heldThrough += 1;
  if (!added && heldThrough === stream.heldThrough) return stream;
  return { messages, heldThrough };
}

/** A live message that skips seqs the reader should have: fetch from heldThrough. */
export function isGap(stream: MessageStream, message: Message): boolean {
  return message.seq > stream.heldThrough + 1;
}

/** The newest seq held, for read marks. */
export function newestSeq(stream: MessageStream): number {
  return stream.messages.at(-1)?.seq ?? 0;
}
