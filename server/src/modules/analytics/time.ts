// Local calendar days of a time zone as instants: where a local day starts (DST included).
import { localTime } from '../routing/business-hours.js';

/** "2026-03-29" plus n days, as a calendar date (no time zone involved). */
export function addDays(day: string, n: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + n);
  return at.toISOString().slice(0, 10);
}

/** Offset of the zone from UTC at an instant, in ms (local − UTC). */
function offsetAt(at: number, timezone: string): number {
  const local = localTime(new Date(at), timezone);
  const asUtc = Date.parse(`${local.date}T00:00:00Z`) + local.minutes * 60_000;
  return asUtc - Math.floor(at / 60_000) * 60_000;
}

/** The first instant of the local day (midnight, or the first existing minute after it). */
export function localDayStart(day: string, timezone: string): number {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  let guess = midnightUtc - offsetAt(midnightUtc, timezone);
  // A second pass settles days whose offset differs from the guess's (DST changes).
  guess = midnightUtc - offsetAt(guess, timezone);
  return guess;
}

/** Today's local day in the zone. */
export function localToday(now: number, timezone: string): string {
  return localTime(new Date(now), timezone).date;
}
