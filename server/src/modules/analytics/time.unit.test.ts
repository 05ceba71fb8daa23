// Local days as instants, across DST changes in both directions and in a zone east of UTC.
import { describe, expect, it } from 'vitest';
import { localBucket } from './facts.js';
import { addDays, localDayStart } from './time.js';

describe('local days', () => {
  it('finds where a local day starts, on normal and DST days', () => {
    expect(localDayStart('2026-03-28', 'Europe/Berlin')).toBe(Date.parse('2026-03-27T23:00:00Z'));
    expect(localDayStart('2026-03-29', 'Europe/Berlin')).toBe(Date.parse('2026-03-28T23:00:00Z'));
    expect(localDayStart('2026-03-30', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T22:00:00Z'));
    expect(localDayStart('2026-10-25', 'Europe/Berlin')).toBe(Date.parse('2026-10-24T22:00:00Z'));
    expect(localDayStart('2026-10-26', 'Europe/Berlin')).toBe(Date.parse('2026-10-25T23:00:00Z'));
    expect(localDayStart('2026-01-01', 'Asia/Kolkata')).toBe(Date.parse('2025-12-31T18:30:00Z'));
    expect(localDayStart('2026-03-08', 'America/New_York')).toBe(Date.parse('2026-03-08T05:00:00Z'));
    expect(localDayStart('2026-03-09', 'America/New_York')).toBe(Date.parse('2026-03-09T04:00:00Z'));
  });

  it('buckets instants by local day, hour and weekday (Monday 0)', () => {
    expect(localBucket(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toEqual({
      day: '2026-03-29',
      hour: 3,
      weekday: 6,
    });
    expect(localBucket(Date.parse('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toEqual({
      day: '2026-03-29',
      hour: 1,
      weekday: 6,
    });
    expect(localBucket(Date.parse('2026-03-29T22:30:00Z'), 'Europe/Berlin')).toEqual({
      day: '2026-03-30',
      hour: 0,
      weekday: 0,
    });
    expect(localBucket(Date.parse('2026-03-29T22:30:00Z'), 'UTC')).toEqual({
      day: '2026-03-29',
      hour: 22,
      weekday: 6,
    });
  });

  it('adds calendar days over month and year ends', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });
});
