import { describe, expect, it } from 'vitest';
import { pickOperator, type Candidate, type PickContext } from './strategies.js';

const op = (id: string, active: number, capacity: number, lastOfferedAt = 0): Candidate => ({
  id,
  active,
  capacity,
  lastOfferedAt,
});
const context = (overrides: Partial<PickContext>): PickContext => ({
  strategy: 'least_busy',
  excluded: new Set(),
  waitedMs: 0,
  stickyWaitMs: 30_000,
  ...overrides,
});

describe('pickOperator', () => {
  it('least busy picks the lowest share of capacity, then who waited longest for an offer', () => {
    const candidates = [op('a', 2, 5, 10), op('b', 1, 2, 5), op('c', 2, 5, 1)];
    expect(pickOperator(candidates, context({}))).toBe('c');
  });

  it('round robin picks who was offered least recently, skipping full operators', () => {
    const candidates = [op('a', 0, 3, 300), op('b', 3, 3, 100), op('c', 2, 3, 200)];
    expect(pickOperator(candidates, context({ strategy: 'round_robin' }))).toBe('c');
  });

  it('never picks an operator at capacity or one who missed this offer', () => {
    expect(pickOperator([op('a', 2, 2), op('b', 0, 1)], context({ excluded: new Set(['b']) }))).toBeNull();
  });

  it('sticky prefers the previous operator, waits for them a while, then falls back', () => {
    const busyPrevious = [op('prev', 2, 2), op('other', 0, 2)];
    expect(
      pickOperator(
        [op('prev', 1, 2), op('other', 0, 2)],
        context({ strategy: 'sticky', previousOperatorId: 'prev' }),
      ),
    ).toBe('prev');
    expect(
      pickOperator(
        busyPrevious,
        context({ strategy: 'sticky', previousOperatorId: 'prev', waitedMs: 10_000 }),
      ),
    ).toBeNull();
    expect(
      pickOperator(
        busyPrevious,
        context({ strategy: 'sticky', previousOperatorId: 'prev', waitedMs: 31_000 }),
      ),
    ).toBe('other');
    // The previous operator is offline (not a candidate): no reason to wait.
    expect(
      pickOperator([op('other', 0, 2)], context({ strategy: 'sticky', previousOperatorId: 'prev' })),
    ).toBe('other');
  });

  it('manual pick-up never offers', () => {
    expect(pickOperator([op('a', 0, 5)], context({ strategy: 'manual' }))).toBeNull();
  });
});
