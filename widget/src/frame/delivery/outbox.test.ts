import { describe, expect, it } from 'vitest';
import { fromVisitor, message } from '../test/factories.js';
import {
  discard,
  enqueue,
  markConnectionLost,
  markFailed,
  markSending,
  newClientMsgId,
  nextToSend,
  requeue,
  restore,
  retryDelayMs,
  settleDelivered,
  type Outbox,
} from './outbox.js';

const refusal = (code: 'validation_failed' | 'rate_limited', text: string = code) =>
  ({ ok: false, error: { code, message: text } }) as const;

const written = (...ids: string[]): Outbox =>
  ids.reduce((box, id) => enqueue(box, id, `text ${id}`), [] as Outbox);

describe('the visitor outbox', () => {
  it('sends one message at a time, oldest first, so the server stores them in the order written', () => {
    let outbox = written('a', 'b');
    expect(nextToSend(outbox)?.clientMsgId).toBe('a');
    outbox = markSending(outbox, 'a');
    expect(nextToSend(outbox)).toBeUndefined();
    outbox = settleDelivered(outbox, [fromVisitor(1, 'a')]);
    expect(nextToSend(outbox)?.clientMsgId).toBe('b');
  });

  it('resends with the same clientMsgId when no ack came', () => {
    let outbox = markSending(written('a'), 'a');
    outbox = markFailed(outbox, 'a', 1, null);
    expect(outbox[0]).toMatchObject({ state: 'waiting', error: null });
    outbox = markSending(outbox, 'a');
    expect(outbox[0]).toMatchObject({ clientMsgId: 'a', attempts: 2, state: 'sending' });
  });

  it('waits and resends after a passing error, but holds a refusal for the visitor', () => {
    let outbox = markSending(written('a', 'b'), 'a');
    outbox = markFailed(outbox, 'a', 1, refusal('rate_limited', 'Too many messages; wait a moment'));
    expect(outbox[0]).toMatchObject({ state: 'waiting', error: 'Too many messages; wait a moment' });

    outbox = markFailed(markSending(outbox, 'a'), 'a', 2, refusal('validation_failed', 'Too long'));
    expect(outbox[0]).toMatchObject({ state: 'refused', error: 'Too long' });
    expect(nextToSend(outbox)?.clientMsgId).toBe('b');

    outbox = requeue(outbox, 'a');
    expect(outbox[0]).toMatchObject({ state: 'waiting', error: null, attempts: 2 });
  });

  it('lets the visitor discard a refused message, and only a refused one', () => {
    let outbox = markSending(written('a', 'b'), 'a');
    outbox = markFailed(outbox, 'a', 1, refusal('validation_failed'));
    expect(discard(outbox, 'b')).toBe(outbox);
    expect(discard(outbox, 'a').map((m) => m.clientMsgId)).toEqual(['b']);
  });

  it('ignores the late result of an attempt that a newer one replaced', () => {
    let outbox = markSending(written('a'), 'a');
    outbox = markSending(markConnectionLost(outbox), 'a');
    expect(markFailed(outbox, 'a', 1, null)).toBe(outbox);
    expect(markFailed(outbox, 'a', 1, refusal('validation_failed'))).toBe(outbox);
  });

  it('turns the attempt under way into a resend when the connection drops', () => {
    let outbox = markSending(written('a', 'b'), 'a');
    outbox = markConnectionLost(outbox);
    expect(outbox.map((m) => m.state)).toEqual(['waiting', 'waiting']);
    expect(nextToSend(outbox)?.clientMsgId).toBe('a');
  });

  it("settles only on the visitor's own stored message, whichever way it came back", () => {
    const outbox = written('a', 'b');
    expect(settleDelivered(outbox, [message(3, { clientMsgId: 'a' })])).toBe(outbox);
    expect(settleDelivered(outbox, [fromVisitor(4, 'b')]).map((m) => m.clientMsgId)).toEqual(['a']);
  });

  it('restores a saved outbox with nothing on its way and drops what it cannot read', () => {
    const saved = JSON.parse(JSON.stringify(markSending(written('a'), 'a'))) as unknown[];
    expect(restore([...saved, { clientMsgId: 'x' }, 'junk'])).toEqual([
      { clientMsgId: 'a', text: 'text a', attempts: 1, state: 'waiting', error: null },
    ]);
    expect(restore({ not: 'a list' })).toEqual([]);
  });

  it('backs off up to half a minute', () => {
    expect([1, 2, 3, 10].map(retryDelayMs)).toEqual([1_000, 2_000, 4_000, 30_000]);
  });

  it('makes ids the server accepts, different each time', () => {
    const id = newClientMsgId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newClientMsgId()).not.toBe(id);
  });
});

describe('messages with files or button answers', () => {
  it('keep what they carry through a reload', () => {
    const outbox = enqueue([], 'c1', 'Here', {
      files: [{ fileId: 'f1', name: 'photo.png', mime: 'image/png' }],
      replyTo: { messageId: 'm1', buttonId: 'yes' },
    });
    expect(restore(JSON.parse(JSON.stringify(outbox)))).toEqual(outbox);
    expect(restore([{ ...outbox[0], files: 'photo.png' }])).toEqual([]);
  });
});
