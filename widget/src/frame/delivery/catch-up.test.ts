import { describe, expect, it } from 'vitest';
import { emptyStream, mergeMessages } from '@frontline/protocol/client';
import { message } from '../test/factories.js';
import { confirmedThrough, hasOpenGap } from './catch-up.js';

describe('catching up', () => {
  it('sees a gap while a live message sits beyond the unbroken run, until the range is read', () => {
    let stream = mergeMessages(emptyStream(), [message(1), message(2)], 2);
    expect(hasOpenGap(stream)).toBe(false);
    stream = mergeMessages(stream, [message(5)]);
    expect(hasOpenGap(stream)).toBe(true);
    stream = mergeMessages(
      stream,
      [message(3), message(5)],
      confirmedThrough([message(3), message(5)], false, 5),
    );
    expect(hasOpenGap(stream)).toBe(false);
    expect(stream.heldThrough).toBe(5);
  });

  it('moves past internal notes on a read that has more, so the next read starts further on', () => {
    // Seq 3 is a note: the visitor's page jumps from 2 to 4 and stops there with more to come.
    const page = [message(2), message(4)];
    const stream = mergeMessages(
      mergeMessages(emptyStream(), [message(1)], 1),
      page,
      confirmedThrough(page, true, 9),
    );
    expect(stream.heldThrough).toBe(4);
  });

  it("takes a complete read's lastSeq, even when the read was empty", () => {
    expect(confirmedThrough([], false, 7)).toBe(7);
    expect(confirmedThrough([], true, 7)).toBe(0);
  });
});
