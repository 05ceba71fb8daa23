// Dates, times and sizes in the interface language (not the browser's: an operator who chose
// English sees English dates on a Russian system).
import type { TFunction } from 'i18next';
import type { Conversation } from '@frontline/protocol';

const DAY_MS = 24 * 60 * 60 * 1000;

const startOfDay = (ms: number) => {
  const date = new Date(ms);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
};

export function isSameDay(a: number, b: number): boolean {
  return startOfDay(a) === startOfDay(b);
}

/** A time of day for today, otherwise a short date: what a conversation row needs. */
export function formatWhen(ms: number, locale: string, now = Date.now()): string {
  return isSameDay(ms, now)
    ? formatTime(ms, locale)
    : new Date(ms).toLocaleDateString(locale, { day: 'numeric', month: 'short' });
}

export function formatTime(ms: number, locale: string): string {
  return new Date(ms).toLocaleTimeString(locale, { timeStyle: 'short' });
}

/** The heading of a day in a conversation: today, yesterday or the date. */
export function formatDay(ms: number, locale: string, t: TFunction, now = Date.now()): string {
  const day = startOfDay(ms);
  if (day === startOfDay(now)) return t('chat.today');
  if (day === startOfDay(now) - DAY_MS) return t('chat.yesterday');
  const sameYear = new Date(ms).getFullYear() === new Date(now).getFullYear();
  return new Date(ms).toLocaleDateString(locale, {
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
  });
}

const SIZE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** "2.4 MB" / "2,4 МБ": the unit names come from the browser's Intl, in the interface language. */
export function formatSize(bytes: number, locale: string): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: SIZE_UNITS[unit],
    // "13 byte" reads oddly in English; the narrow form is "13B" (and "13 Б" in Russian).
    unitDisplay: unit === 0 ? 'narrow' : 'short',
    maximumFractionDigits: unit === 0 || value >= 10 ? 0 : 1,
  }).format(value);
}

/** The contact's name, else e-mail, else "Visitor #1a2b" from the end of its id. */
export function contactLabel(contact: Conversation['contact'], t: TFunction): string {
  return contact.name ?? contact.email ?? t('list.visitor', { id: `#${contact.id.slice(-4)}` });
}

/** "2 h 29 min" / "2 ч 29 мин": how long something has lasted, to the minute. */
export function formatDuration(ms: number, locale: string): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const unit = (value: number, name: 'hour' | 'minute') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  return hours > 0 ? `${unit(hours, 'hour')} ${unit(minutes % 60, 'minute')}` : unit(minutes, 'minute');
}
