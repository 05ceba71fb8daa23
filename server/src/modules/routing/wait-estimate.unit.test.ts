import { describe, expect, it } from 'vitest';
import { estimateWait, type Throughput } from './wait-estimate.js';

const MINUTE = 60_000;
const TAU = 10 * MINUTE;

/** A line that moved at `perMinute` visitors a minute, as history.ts measures it. */
function steadyAssignments(perMinute: number, minutes: number): Throughput {
  return { ratePerSecond: perMinute / 60, updatedAt: minutes * MINUTE, events: perMinute * minutes };
}
const emptyThroughput = (now: number): Throughput => ({ ratePerSecond: 0, updatedAt: now, events: 0 });

const base = {
  onlineOperators: 3,
  slots: 6,
  timeConstantMs: TAU,
  meanHandleSeconds: undefined,
  meanPatienceSeconds: undefined,
};

describe('wait estimate', () => {
  it('from throughput: position / rate, as a rounded range', () => {
    const throughput = steadyAssignments(2, 60);
    const estimate = estimateWait({ ...base, position: 3, throughput, now: 60 * MINUTE });
    expect(estimate?.basis).toBe('throughput');
    expect(estimate?.seconds).toBeGreaterThan(80);
    expect(estimate?.seconds).toBeLessThan(100);
    expect([estimate?.minMinutes, estimate?.maxMinutes]).toEqual([1, 2]);
  });

  it('falls back to Erlang A from history when throughput is too thin', () => {
    const estimate = estimateWait({
      ...base,
      position: 2,
      throughput: emptyThroughput(0),
      now: 0,
      meanHandleSeconds: 300,
      meanPatienceSeconds: Infinity,
    });
    expect(estimate).toMatchObject({ basis: 'erlang-a', seconds: 100, minMinutes: 1, maxMinutes: 2 });
  });

  it('shows nothing when no operator is online or nothing is known', () => {
    const throughput = steadyAssignments(2, 60);
    expect(
      estimateWait({ ...base, onlineOperators: 0, slots: 0, position: 1, throughput, now: 60 * MINUTE }),
    ).toBeNull();
    expect(estimateWait({ ...base, position: 1, throughput: emptyThroughput(0), now: 0 })).toBeNull();
  });
});
