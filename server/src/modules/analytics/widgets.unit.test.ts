import { describe, expect, it } from 'vitest';
import { windowStart } from './widgets.js';

describe('windowStart', () => {
  const now = Date.parse('2026-03-29T10:30:00Z');

  it('goes back whole hours for the rolling windows', () => {
    expect(now - windowStart('1h', now, 'UTC')).toBe(3_600_000);
    expect(now - windowStart('6h', now, 'UTC')).toBe(6 * 3_600_000);
    expect(now - windowStart('24h', now, 'UTC')).toBe(24 * 3_600_000);
  });

  it('starts "today" at local midnight of the workspace zone, on a DST day too', () => {
    expect(windowStart('today', now, 'UTC')).toBe(Date.parse('2026-03-29T00:00:00Z'));
    expect(windowStart('today', now, 'Europe/Moscow')).toBe(Date.parse('2026-03-28T21:00:00Z'));
    // Berlin moved to summer time that night: midnight was still CET.
    expect(windowStart('today', now, 'Europe/Berlin')).toBe(Date.parse('2026-03-28T23:00:00Z'));
    // 23:30 in New York is still the day before in UTC terms.
    expect(windowStart('today', Date.parse('2026-03-30T03:30:00Z'), 'America/New_York')).toBe(
      Date.parse('2026-03-29T04:00:00Z'),
    );
  });
});
