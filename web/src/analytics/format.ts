// How durations and shares read in reports.
import type { TFunction } from 'i18next';

/** 4 s, 2 min 5 s, 1 h 20 min (in the user's language); a dash when nothing was measured. */
export function formatDuration(ms: number | null | undefined, t: TFunction): string {
  if (ms === null || ms === undefined) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return t('analytics.units.seconds', { s: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('analytics.units.minutes', { m: minutes, s: seconds % 60 });
  return t('analytics.units.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${value}%`;
}

/** Part of whole as "12 (34%)". */
export function countWithShare(part: number, whole: number): string {
  return whole === 0 ? String(part) : `${part} (${Math.round((part / whole) * 100)}%)`;
}

export function formatHours(ms: number): string {
  return (ms / 3_600_000).toFixed(1);
}
