// Read marks as the visitor sees them: what is unread for the launcher's badge, and whether the
// operator has read the visitor's latest message.
import type { Message } from '@frontline/protocol';

const fromOthers = (m: Message) => m.kind === 'text' && m.author.type !== 'visitor';

/** Replies (operator or bot) after the visitor's read mark; system events do not count. */
export function unreadCount(messages: readonly Message[], visitorLastReadSeq: number): number {
  return messages.filter((m) => m.seq > visitorLastReadSeq && fromOthers(m)).length;
}

/**
 * The receipt shown under the visitor's newest stored message, and only there: one "read" at the
 * bottom says everything above it was read too.
 */
export function latestReceipt(
  messages: readonly Message[],
  operatorLastReadSeq: number,
): { seq: number; read: boolean } | null {
  const latest = messages.findLast((m) => m.author.type === 'visitor' && m.kind === 'text');
  return latest ? { seq: latest.seq, read: operatorLastReadSeq >= latest.seq } : null;
}
