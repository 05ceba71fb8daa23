import { describe, expect, it } from 'vitest';
import { fillTemplate } from './templates.js';

describe('fillTemplate', () => {
  it('puts the contact and operator names into the text', () => {
    expect(
      fillTemplate('Здравствуйте, {{contact.name}}! Меня зовут {{ operator.name }}.', {
        'contact.name': 'Иван',
        'operator.name': 'Анна',
      }),
    ).toBe('Здравствуйте, Иван! Меня зовут Анна.');
  });

  it('uses the fallback when the value is unknown, and nothing without one', () => {
    const values = { 'contact.name': null, 'contact.email': '  ' };
    expect(fillTemplate('Hi {{contact.name|there}}!', values)).toBe('Hi there!');
    expect(fillTemplate('Mail: {{contact.email}}.', values)).toBe('Mail: .');
  });

  it('leaves variables it does not know as written, so a typo stays visible', () => {
    expect(fillTemplate('Hi {{contact.nmae}}', { 'contact.name': 'Ivan' })).toBe('Hi {{contact.nmae}}');
  });
});
