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
  handled: 0,
  meanPatienceSeconds: undefined,
};

describe('wait estimate', () => {
  it('from throughput: the median of position gaps of 1 / rate, as a rounded range', () => {
    const throughput = steadyAssignments(2, 60);
    const estimate = estimateWait({ ...base, position: 3, throughput, now: 60 * MINUTE });
    expect(estimate?.basis).toBe('throughput');
    // Three gaps of 30 s: a mean of 90 s, a median of (3 − ⅓) × 30 s.
    expect(estimate?.seconds).toBeCloseTo(80, 6);
    expect([estimate?.minMinutes, estimate?.maxMinutes]).toEqual([1, 2]);
  });

  it('shows the median of the skewed wait, well below the mean for the next in line', () => {
    const throughput = steadyAssignments(2, 60);
    const at = (position: number) =>
      estimateWait({ ...base, position, throughput, now: 60 * MINUTE })?.seconds ?? 0;
    expect(at(1)).toBeCloseTo((2 / 3) * 30, 6);
    expect(at(30) / (30 * 30)).toBeGreaterThan(0.98);
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
    // A mean of 100 s (two gaps of 50 s); shown, the median.
    expect(estimate).toMatchObject({ basis: 'erlang-a', minMinutes: 1, maxMinutes: 2 });
    expect(estimate?.seconds).toBeCloseTo((5 / 3) * 50, 6);
  });

  it('weighs the measured rate and the model by the counts each rests on', () => {
    // 10 visitors who waited, taken at 1 a minute: position 2 waits 120 s by the measured rate.
    const throughput = { ratePerSecond: 1 / 60, updatedAt: 0, events: 10 };
    // 90 handled conversations of 180 s on 6 slots: position 2 waits 60 s by the model.
    const inputs = { ...base, position: 2, throughput, now: 0, meanPatienceSeconds: Infinity };
    const estimate = estimateWait({ ...inputs, meanHandleSeconds: 180, handled: 90 });
    expect(estimate?.basis).toBe('both');
    expect(estimate?.seconds).toBeCloseTo(((120 * 10 + 60 * 90) / 100) * (5 / 6), 6);
    // The more the line has been seen to move, the more its own rate counts.
    const busier = estimateWait({
      ...inputs,
      throughput: { ...throughput, events: 90 },
      meanHandleSeconds: 180,
      handled: 90,
    });
    expect(busier?.seconds).toBeCloseTo(90 * (5 / 6), 6);
  });

  it('shows nothing when no operator is online or nothing is known', () => {
    const throughput = steadyAssignments(2, 60);
    expect(
      estimateWait({ ...base, onlineOperators: 0, slots: 0, position: 1, throughput, now: 60 * MINUTE }),
    ).toBeNull();
    expect(estimateWait({ ...base, position: 1, throughput: emptyThroughput(0), now: 0 })).toBeNull();
  });
});
