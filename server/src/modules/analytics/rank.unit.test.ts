// Percentiles by selection equal those read from a full sort, on random, sorted, reversed and
// constant-heavy values; joined strings parse back to their integers.
import { describe, expect, it } from 'vitest';
import { prng } from './prng.js';
import { joinedIntegers, nearestRank } from './rank.js';

const bySort = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
};

describe('nearest rank by selection', () => {
  it('equals the value a full sort puts at rank ceil(p·n)', () => {
    const random = prng(11);
    const cases: number[][] = [
      [5],
      [3, 1],
      Array.from({ length: 1001 }, () => Math.floor(random() * 100_000)),
      Array.from({ length: 1000 }, () => Math.floor(random() * 4)),
      Array.from({ length: 500 }, (_, i) => i),
      Array.from({ length: 500 }, (_, i) => 500 - i),
    ];
    for (const values of cases)
      for (const p of [0.01, 0.5, 0.9, 0.99, 1])
        expect(nearestRank(Float64Array.from(values), p)).toBe(bySort(values, p));
    expect(nearestRank(new Float64Array(0), 0.5)).toBeNull();
  });

  it('reads the integers of a comma-joined string', () => {
    expect([...joinedIntegers('15000,0,-20,123456789012')]).toEqual([15000, 0, -20, 123456789012]);
    expect(joinedIntegers(null)).toHaveLength(0);
    expect(joinedIntegers('')).toHaveLength(0);
  });
});
