// Business hours of a department: weekly opening intervals in the department's time zone, minus
// holidays. Local time comes from Intl with the IANA zone, so DST changes are handled by the zone
// database rather than by fixed offsets.
import { z } from 'zod';
import { BusinessHoursSchema } from '@frontline/protocol';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The protocol's shape, plus a check the browser cannot make: the zone must exist here. */
export const BusinessHours = BusinessHoursSchema.extend({
  timezone: z.string().refine(isTimeZone, 'Use an IANA time zone such as Europe/Moscow'),
});
export type BusinessHours = z.infer<typeof BusinessHours>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface LocalTime {
  date: string;
  weekday: (typeof WEEKDAYS)[number];
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function localTime(at: Date, timezone: string): LocalTime {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timezone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = (parts.weekday ?? 'Mon').toLowerCase().slice(0, 3) as LocalTime['weekday'];
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

export function isOpen(hours: BusinessHours, at: Date): boolean {
  const local = localTime(at, hours.timezone);
  if (hours.holidays.includes(local.date)) return false;
  return (hours.weekly[local.weekday] ?? []).some(
    ([from, to]) => local.minutes >= toMinutes(from) && local.minutes < toMinutes(to),
  );
}

/** The next moment the department opens (to the minute), searching up to two weeks ahead. */
export function nextOpening(hours: BusinessHours, after: Date): Date | undefined {
  const start = Math.ceil(after.getTime() / 60_000) * 60_000;
  for (let t = start; t < start + 14 * 86_400_000; t += 60_000) {
    if (isOpen(hours, new Date(t))) return new Date(t);
  }
  return undefined;
}
