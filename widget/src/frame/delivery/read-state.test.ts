import { describe, expect, it } from 'vitest';
import { fromVisitor, message } from '../test/factories.js';
import { latestReceipt, unreadCount } from './read-state.js';

const event = (seq: number) =>
  message(seq, { kind: 'event', author: { type: 'system', id: null, name: null }, text: '' });

describe('read state', () => {
  it("counts the replies after the visitor's read mark, not their own messages or events", () => {
    const messages = [
      fromVisitor(1, 'a'),
      event(2),
      message(3),
      message(4, { author: { type: 'bot', id: null, name: null } }),
    ];
    expect(unreadCount(messages, 0)).toBe(2);
    expect(unreadCount(messages, 3)).toBe(1);
    expect(unreadCount(messages, 4)).toBe(0);
  });

  it("puts the receipt under the visitor's newest message and marks it read once the operator got there", () => {
    const messages = [fromVisitor(1, 'a'), message(2), fromVisitor(3, 'b'), event(4)];
    expect(latestReceipt(messages, 2)).toEqual({ seq: 3, read: false });
    expect(latestReceipt(messages, 4)).toEqual({ seq: 3, read: true });
    expect(latestReceipt([message(1)], 1)).toBeNull();
  });
});
