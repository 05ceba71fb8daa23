import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { contactLabel, formatDay, formatSize, formatWhen } from './format.js';

const t = ((key: string, options?: { id?: string }) =>
  options?.id ? `${key} ${options.id}` : key) as TFunction;

describe('display formats', () => {
  it('name a contact by name, then e-mail, then the end of its id', () => {
    expect(contactLabel({ id: 'x-1234abcd', name: 'Olga', email: 'o@example.com' }, t)).toBe('Olga');
    expect(contactLabel({ id: 'x-1234abcd', name: null, email: 'o@example.com' }, t)).toBe('o@example.com');
    expect(contactLabel({ id: 'x-1234abcd', name: null, email: null }, t)).toBe('list.visitor #abcd');
  });

  it('give sizes in the interface language', () => {
    expect(formatSize(512, 'en')).toBe('512B');
    expect(formatSize(512, 'ru')).toBe('512 Б');
    expect(formatSize(2.5 * 1024 * 1024, 'en')).toBe('2.5 MB');
    expect(formatSize(2.5 * 1024 * 1024, 'ru')).toBe('2,5 МБ');
  });

  it('show today as a time and other days as dates', () => {
    const now = new Date(2026, 10, 23, 15, 0).getTime();
    expect(formatWhen(new Date(2026, 10, 23, 9, 5).getTime(), 'ru', now)).toBe('09:05');
    expect(formatWhen(new Date(2026, 10, 23, 14, 5).getTime(), 'en', now)).toBe('2:05 PM');
    expect(formatWhen(new Date(2026, 10, 20, 9, 5).getTime(), 'en', now)).toBe('Nov 20');
    expect(formatDay(new Date(2026, 10, 22, 23, 59).getTime(), 'en', t, now)).toBe('chat.yesterday');
    expect(formatDay(new Date(2025, 0, 2).getTime(), 'en', t, now)).toBe('January 2, 2025');
  });
});
