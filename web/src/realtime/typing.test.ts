import { describe, expect, it } from 'vitest';
import { LIMITS } from '@frontline/protocol/client';
import { notTyping, typingInput, typingStopped, typistsIn, withTypingNotice } from './typing.js';

describe('outgoing typing', () => {
  it('says "started" once per throttle window and "stopped" once', () => {
    const first = typingInput(notTyping, 1_000);
    expect(first.emit).toBe(true);
    expect(typingInput(first.state, 1_000 + LIMITS.typingThrottleMs - 1).emit).toBe(false);
    expect(typingInput(first.state, 1_000 + LIMITS.typingThrottleMs).emit).toBe(true);
    const stopped = typingStopped(first.state);
    expect(stopped.emit).toBe(true);
    expect(typingStopped(stopped.state).emit).toBe(false);
  });
});

describe('who is typing', () => {
  const visitor = { type: 'visitor' as const, name: null };
  const colleague = { type: 'operator' as const, name: 'Boris' };

  it('lists each typist once per conversation and forgets them when they stop', () => {
    let board = withTypingNotice(new Map(), { conversationId: 'a', author: visitor, typing: true });
    board = withTypingNotice(board, { conversationId: 'a', author: visitor, typing: true });
    board = withTypingNotice(board, { conversationId: 'a', author: colleague, typing: true });
    expect(typistsIn(board, 'a')).toEqual([visitor, colleague]);
    expect(typistsIn(board, 'b')).toEqual([]);
    board = withTypingNotice(board, { conversationId: 'a', author: visitor, typing: false });
    expect(typistsIn(board, 'a')).toEqual([colleague]);
  });

  it('leaves the board as it is for a stop of someone not typing', () => {
    const board = new Map();
    expect(withTypingNotice(board, { conversationId: 'a', author: visitor, typing: false })).toBe(board);
  });
});
