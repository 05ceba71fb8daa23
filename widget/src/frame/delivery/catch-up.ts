// When the widget's copy of the stream is complete, and how far a forward read proves it complete.
import { newestSeq, type MessageStream } from '@frontline/protocol/client';
import type { Message } from '@frontline/protocol';

/** Held messages beyond the unbroken run mean something in between was missed: read from heldThrough. */
export function hasOpenGap(stream: MessageStream): boolean {
  return newestSeq(stream) > stream.heldThrough;
}

/**
 * How far a forward read (sync, or a page after `afterSeq`) proves the stream complete. A read
 * that has more stopped at its last item; one that has not reached the conversation's lastSeq.
 * Seqs it skipped are internal notes, never sent to visitors: without this, a note would hold
 * heldThrough back and the next read would start from the same place again.
 */
export function confirmedThrough(items: readonly Message[], hasMore: boolean, lastSeq: number): number {
  return hasMore ? (items.at(-1)?.seq ?? 0) : lastSeq;
}
