// JSON columns are text in both engines; these read them back with a schema, never blindly.
import type { z } from 'zod';

export function parseJsonColumn<T extends z.ZodType>(
  schema: T,
  text: string | null,
  fallback: z.output<T>,
): z.output<T> {
  if (text === null) return fallback;
  const parsed = schema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : fallback;
}
