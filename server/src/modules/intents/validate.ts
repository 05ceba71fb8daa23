// A merged record (current values plus a patch) is checked again by the service: its failures are
// the caller's mistake, so they become a 400 naming the field, never a 500.
import type { z } from 'zod';
import { AppError } from '../../errors.js';

export function validInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = ['body', ...(issue?.path ?? []).map(String)].join('.');
  throw new AppError('validation_failed', `${field}: ${issue?.message ?? 'invalid value'}`, field);
}
