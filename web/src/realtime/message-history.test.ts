import { describe, expect, it } from 'vitest';
import {
  SYNC_MAX_CONVERSATIONS,
  historyFromLatestPage,
  oldestSeq,
  syncEvents,
  withLive,
  withNewerPage,
  withOlderPage,
  withSynced,
} from './message-history.js';
import { conversation, message, messages, page, CONVERSATION_ID } from '../test/factories.js';

const seqs = (history: { stream: { messages: { seq: number }[] } }) =>
  history.stream.messages.map((m) => m.seq);

describe('a conversation history', () => {
  it('holds everything up to lastSeq after the newest page, even seqs it was never sent', () => {
    const history = historyFromLatestPage(
      page(messages(41, 50), { lastSeq: 52, hasMoreBefore: true }),
      undefined,
    );
    expect(history.stream.heldThrough).toBe(52);
    expect(history.hasOlder).toBe(true);
    expect(withLive(history, message(53)).gap).toBe(false);
  });

  it('keeps live messages that arrived while the newest page loaded', () => {
    const early = withLive(historyFromLatestPage(page([]), undefined), message(51)).history;
    const history = historyFromLatestPage(page(messages(41, 50), { hasMoreBefore: true }), early);
    expect(seqs(history)).toEqual([...Array.from({ length: 11 }, (_, i) => 41 + i)]);
    expect(history.stream.heldThrough).toBe(51);
  });

  it('pages backwards in front of what it holds, without moving what is held after', () => {
    let history = historyFromLatestPage(page(messages(41, 50), { hasMoreBefore: true }), undefined);
    history = withOlderPage(history, page(messages(31, 40), { lastSeq: 50, hasMoreBefore: false }));
    expect(oldestSeq(history)).toBe(31);
    expect(history.hasOlder).toBe(false);
    expect(history.stream.heldThrough).toBe(50);
  });

  it('ignores a seq it already holds', () => {
    const history = historyFromLatestPage(page(messages(1, 3)), undefined);
    const again = withLive(history, message(3, { text: 'a duplicate delivery' }));
    expect(again.history).toBe(history);
    expect(again.gap).toBe(false);
  });

  it('sees a gap when a live message skips seqs, and closes it with the fetched range', () => {
    const history = historyFromLatestPage(page(messages(1, 3)), undefined);
    const live = withLive(history, message(6));
    expect(live.gap).toBe(true);
    expect(live.history.stream.heldThrough).toBe(3);
    const filled = withNewerPage(live.history, page(messages(4, 6)));
    expect(seqs(filled)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(filled.stream.heldThrough).toBe(6);
  });

  it('does not count a partial catch-up as reaching the end', () => {
    const history = historyFromLatestPage(page(messages(1, 2)), undefined);
    const partial = withSynced(history, {
      messages: messages(3, 4),
      hasMore: true,
      conversation: conversation(CONVERSATION_ID, { lastSeq: 9 }),
    });
    expect(partial.stream.heldThrough).toBe(4);
    const done = withSynced(partial, {
      messages: messages(5, 8),
      hasMore: false,
      conversation: conversation(CONVERSATION_ID, { lastSeq: 9 }),
    });
    expect(done.stream.heldThrough).toBe(9);
  });

  it('resubscribes every followed conversation from its held seq, in batches the server accepts', () => {
    const held = Array.from({ length: SYNC_MAX_CONVERSATIONS + 1 }, (_, i) => ({
      id: `c${i}`,
      heldThrough: i,
    }));
    const events = syncEvents(held);
    expect(events.map((e) => e.conversations.length)).toEqual([SYNC_MAX_CONVERSATIONS, 1]);
    expect(events[1]?.conversations[0]).toEqual({
      id: `c${SYNC_MAX_CONVERSATIONS}`,
      afterSeq: SYNC_MAX_CONVERSATIONS,
    });
    expect(syncEvents([])).toEqual([]);
  });
});
