import { describe, expect, it } from 'vitest';
import { PreChatForm } from '@frontline/protocol';
import { readPreChat } from './prechat.js';

const form = PreChatForm.parse({
  enabled: true,
  fields: [
    { id: 'name', kind: 'name', label: { en: 'Name' }, required: true },
    { id: 'mail', kind: 'email', label: { ru: 'Почта' } },
    { id: 'phone', kind: 'phone' },
    { id: 'city', kind: 'text', required: true },
  ],
});

describe('pre-chat answers', () => {
  it('fill the contact fields by kind and put text fields into attributes', () => {
    expect(
      readPreChat(form, { name: ' Anna ', mail: 'A@B.test', phone: '+7 (900) 1-2', city: 'Kazan' }),
    ).toEqual({
      name: 'Anna',
      email: 'a@b.test',
      phone: '+7 (900) 1-2',
      attributes: { city: 'Kazan' },
    });
  });

  it('skip optional fields left empty', () => {
    expect(readPreChat(form, { name: 'Anna', mail: '', city: 'Kazan' })).toEqual({
      name: 'Anna',
      attributes: { city: 'Kazan' },
    });
  });

  it('name the field that is missing, malformed or unknown', () => {
    const fieldOf = (values: Record<string, string>) => {
      try {
        readPreChat(form, values);
        return null;
      } catch (error) {
        return (error as { field?: string }).field;
      }
    };
    expect(fieldOf({ city: 'Kazan' })).toBe('values.name');
    expect(fieldOf({ name: 'Anna', city: '  ' })).toBe('values.city');
    expect(fieldOf({ name: 'Anna', city: 'Kazan', mail: 'nope' })).toBe('values.mail');
    expect(fieldOf({ name: 'Anna', city: 'Kazan', phone: 'call me' })).toBe('values.phone');
    expect(fieldOf({ name: 'Anna', city: 'Kazan', age: '3' })).toBe('values.age');
  });
});
