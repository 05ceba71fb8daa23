// PostgreSQL cannot store the NUL character in text, and no person types one: input holding it is
// refused up front with a clear 400 on both databases, rather than failing as a 500 on PostgreSQL.
import { AppError } from './errors.js';

/** Whether any string in the value (keys included, at any depth) holds U+0000. */
export function holdsNul(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (next.includes('\u0000')) return true;
    } else if (Array.isArray(next)) {
      pending.push(...next);
    } else if (next !== null && typeof next === 'object') {
      for (const [key, item] of Object.entries(next)) {
        if (key.includes('\u0000')) return true;
        pending.push(item);
      }
    }
  }
  return false;
}

export function refuseNul(...values: unknown[]): void {
  if (values.some(holdsNul))
    throw new AppError(
      'validation_failed',
      'Text cannot contain the NUL character (U+0000); remove it and try again',
    );
}
