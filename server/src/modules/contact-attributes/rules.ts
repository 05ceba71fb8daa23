// The type check of one attribute value against its definition: pure, so it is tested alone.
import type { AttributeType } from '@frontline/protocol';

export type AttributeValue = string | number | boolean | null;

/** Undefined when the value fits; otherwise what is wrong, in words for the person who sent it. */
export function attributeProblem(
  definition: { type: AttributeType; options: string[] },
  value: AttributeValue,
): string | undefined {
  if (value === null) return undefined;
  switch (definition.type) {
    case 'text':
      return typeof value === 'string' ? undefined : 'must be text';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'date':
      return typeof value === 'string' && isCalendarDate(value) ? undefined : 'must be a date as YYYY-MM-DD';
    case 'select':
      return typeof value === 'string' && definition.options.includes(value)
        ? undefined
        : `must be one of: ${definition.options.join(', ')}`;
  }
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
