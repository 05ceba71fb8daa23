import { describe, expect, it } from 'vitest';
import { containsPattern, normaliseForSearch } from './search.js';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('search normalisation', () => {
  it('lowercases, folds ё into е and collapses spaces', () => {
    expect(normaliseForSearch('  Ёлка  НЕ\nдоставлена ', null, 'Anna@Mail.ru')).toBe(
      'елка не доставлена anna@mail.ru',
    );
  });

  it('escapes LIKE wildcards typed by the user', () => {
    expect(containsPattern('100%_off')).toBe('%100\\%\\_off%');
  });
});

describe('cursors', () => {
  it('round-trip a position', () => {
    const position = { time: 1_795_000_000_000, id: '01a20601-dacb-70ab-809c-65c5c0054679' };
    expect(decodeCursor(encodeCursor(position))).toEqual(position);
  });

  it('refuse a cursor this API did not make', () => {
    expect(() => decodeCursor('garbage')).toThrow(/cursor/);
  });
});
