import { describe, expect, it } from 'vitest';
import {
  dueForResend,
  enqueue,
  isPassingError,
  markConnectionLost,
  markRefused,
  markSending,
  markUnacked,
  newClientMsgId,
  pendingIn,
  remove,
  requeue,
  retryDelayMs,
  sendEventOf,
  settleDelivered,
  type Draft,
} from './outbox.js';
import { CONVERSATION_ID, message } from '../test/factories.js';

const draft = (clientMsgId: string, patch: Partial<Draft> = {}): Draft => ({
  clientMsgId,
  conversationId: CONVERSATION_ID,
  kind: 'text',
  text: `text of ${clientMsgId}`,
  attachments: [],
  ...patch,
});

describe('the outbox', () => {
  it('resends with the same clientMsgId after a lost ack', () => {
    let outbox = markSending(enqueue([], draft('a'), 0), 'a');
    outbox = markUnacked(outbox, 'a', 1, null);
    expect(dueForResend(outbox).map((m) => m.clientMsgId)).toEqual(['a']);
    outbox = markSending(outbox, 'a');
    expect(outbox[0]).toMatchObject({ clientMsgId: 'a', attempts: 2, state: 'sending' });
    expect(sendEventOf(outbox[0]!).clientMsgId).toBe('a');
  });

  it('ignores the late timeout of an attempt superseded by a newer one', () => {
    let outbox = markSending(enqueue([], draft('a'), 0), 'a');
    outbox = markSending(markConnectionLost(outbox), 'a');
    expect(markUnacked(outbox, 'a', 1, 'timeout')).toBe(outbox);
    expect(markRefused(outbox, 'a', 1, 'late')).toBe(outbox);
  });

  it('turns every attempt under way into a resend when the connection drops', () => {
    let outbox = enqueue(enqueue([], draft('a'), 0), draft('b'), 1);
    outbox = markSending(outbox, 'a');
    outbox = markRefused(markSending(outbox, 'b'), 'b', 1, 'too long');
    outbox = markConnectionLost(outbox);
    expect(outbox.map((m) => m.state)).toEqual(['waiting', 'refused']);
    expect(dueForResend(outbox).map((m) => m.clientMsgId)).toEqual(['a']);
  });

  it('settles an entry when its stored message comes back by any path', () => {
    const outbox = enqueue(enqueue([], draft('a'), 0), draft('b'), 1);
    const stored = message(7, { clientMsgId: 'a', author: { type: 'operator', id: 'me', name: 'Anna' } });
    expect(settleDelivered(outbox, [stored]).map((m) => m.clientMsgId)).toEqual(['b']);
    const elsewhere = { ...stored, conversationId: '00000000-0000-7000-8000-0000000000ff' };
    expect(settleDelivered(outbox, [elsewhere])).toBe(outbox);
  });

  it('lets the operator retry a refused message under its first clientMsgId', () => {
    let outbox = markRefused(
      markSending(enqueue([], draft('a'), 0), 'a'),
      'a',
      1,
      'The conversation is closed',
    );
    expect(dueForResend(outbox)).toEqual([]);
    outbox = requeue(outbox, 'a');
    expect(dueForResend(outbox)).toMatchObject([{ clientMsgId: 'a', error: null }]);
  });

  it('makes clientMsgIds the server accepts, never the same twice', () => {
    const ids = new Set(Array.from({ length: 1000 }, newClientMsgId));
    expect(ids.size).toBe(1000);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps each conversation to its own pending messages and lets the operator discard one', () => {
    const other = '00000000-0000-7000-8000-0000000000ff';
    const outbox = enqueue(enqueue([], draft('a'), 0), draft('b', { conversationId: other }), 1);
    expect(pendingIn(outbox, other).map((m) => m.clientMsgId)).toEqual(['b']);
    expect(remove(outbox, 'b').map((m) => m.clientMsgId)).toEqual(['a']);
    expect(remove(outbox, 'zzz')).toBe(outbox);
  });

  it('puts uploaded files in the send by id', () => {
    const file = {
      id: 'f1',
      name: 'a.png',
      mime: 'image/png',
      size: 1,
      url: '/files/f1/a.png',
      createdAt: 0,
    };
    const [entry] = enqueue([], draft('a', { attachments: [file], text: '' }), 0);
    expect(sendEventOf(entry!)).toEqual({
      conversationId: CONVERSATION_ID,
      clientMsgId: 'a',
      text: '',
      kind: 'text',
      fileIds: ['f1'],
    });
  });

  it('retries passing errors with a growing pause and leaves the rest to the operator', () => {
    expect(isPassingError('rate_limited')).toBe(true);
    expect(isPassingError('validation_failed')).toBe(false);
    expect(isPassingError('conflict')).toBe(false);
    expect([1, 2, 3, 10].map(retryDelayMs)).toEqual([1_000, 2_000, 4_000, 30_000]);
  });
});
