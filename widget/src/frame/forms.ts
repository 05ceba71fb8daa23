// Checks the widget's forms make before sending, in the visitor's language; the server checks
// the same rules again (prechat.ts, OfflineRequestBody) and its words are shown when it refuses.
import type { Translate } from './i18n.js';

export type FieldKind = 'name' | 'email' | 'phone' | 'text';

// Deliberately loose: the server's check is the real one; this one catches typos early.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ()-]{5,30}$/;

/** The problem with a field's value, or null when it may be sent. */
export function fieldProblem(
  field: { kind: FieldKind; required: boolean; label: string },
  value: string,
  t: Translate,
): string | null {
  const trimmed = value.trim();
  if (!trimmed) return field.required ? t('fillIn', { label: field.label }) : null;
  if (field.kind === 'email' && !EMAIL.test(trimmed)) return t('badEmail');
  if (field.kind === 'phone' && !PHONE.test(trimmed)) return t('badPhone');
  return null;
}

/** The server's words, or the built-in ones when it was not reached. */
export const outcomeText = (outcome: string, t: Translate) =>
  outcome === 'network' ? t('networkError') : outcome;
