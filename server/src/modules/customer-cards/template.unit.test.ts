import { describe, expect, it } from 'vitest';
import { renderLookupUrl, unknownVariables } from './template.js';

describe('customer-card lookup address', () => {
  it('fills the variables URL-encoded, so a value cannot change the address', () => {
    expect(
      renderLookupUrl('https://crm.test/find?email={{email}}&id={{ externalId }}', {
        email: 'anna+vip@mail.ru',
        externalId: 'a&b=c',
      }),
    ).toBe('https://crm.test/find?email=anna%2Bvip%40mail.ru&id=a%26b%3Dc');
  });

  it('looks up with whichever identifier is known', () => {
    expect(renderLookupUrl('https://crm.test/?e={{email}}&p={{phone}}', { phone: '+79123456789' })).toBe(
      'https://crm.test/?e=&p=%2B79123456789',
    );
  });

  it('does not look up a contact with none of the identifiers the template asks for', () => {
    expect(
      renderLookupUrl('https://crm.test/?e={{email}}', { contactId: 'c1', email: null }),
    ).toBeUndefined();
    expect(renderLookupUrl('https://crm.test/contacts/{{contactId}}', { contactId: 'c1' })).toBe(
      'https://crm.test/contacts/c1',
    );
  });

  it('names the variables it does not know', () => {
    expect(unknownVariables('https://crm.test/?q={{mail}}&p={{phone}}')).toEqual(['mail']);
  });
});
