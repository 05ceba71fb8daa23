import { describe, expect, it } from 'vitest';
import type { Message } from './messages.js';
import { emptyStream, isGap, mergeMessages } from './stream.js';

const message = (seq: number): Message => ({
  id: `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
  conversationId: '00000000-0000-7000-8000-000000000000',
  seq,
  clientMsgId: `c${seq}`,
  author: { type: 'visitor', id: null, name: null },
  kind: 'text',
  text: `m${seq}`,
  attachments: [],
  event: null,
  createdAt: seq,
});

describe('message stream', () => {
  it('keeps each seq once, in order, whatever order messages arrive in', () => {
    let stream = mergeMessages(emptyStream(), [message(2), message(1)]);
    stream = mergeMessages(stream, [message(2), message(3), message(1)]);
    expect(stream.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(stream.heldThrough).toBe(3);
  });

  it('sees a gap when a live message skips seqs, and closes it when the range arrives', () => {
    let stream = mergeMessages(emptyStream(), [message(1)]);
    expect(isGap(stream, message(4))).toBe(true);
    stream = mergeMessages(stream, [message(4)]);
    expect(stream.heldThrough).toBe(1);
    stream = mergeMessages(stream, [message(2), message(3)], 4);
    expect(stream.heldThrough).toBe(4);
    expect(isGap(stream, message(5))).toBe(false);
  });

  it('treats seqs confirmed by a complete page as held (notes a visitor never sees)', () => {
    const stream = mergeMessages(mergeMessages(emptyStream(), [message(1)]), [message(3)], 3);
    expect(stream.heldThrough).toBe(3);
    expect(stream.messages.map((m) => m.seq)).toEqual([1, 3]);
  });

  it('returns the same object when nothing changed, so views need not re-render', () => {
    const stream = mergeMessages(emptyStream(), [message(1)]);
    expect(mergeMessages(stream, [message(1)])).toBe(stream);
  });
});
