import { describe, expect, it } from 'vitest';
import type { Invitation } from '@frontline/protocol';
import { candidates, dueInvitation, matchesUrl, secondsUntilNext } from './invitations.js';

const invitation = (patch: Partial<Invitation>): Invitation => ({
  id: 'hello',
  enabled: true,
  text: { ru: 'Здравствуйте', en: 'Hello' },
  urlPattern: '*',
  minSecondsOnPage: 0,
  minVisits: 1,
  exitIntent: false,
  ...patch,
});

describe('invitation page patterns', () => {
  it('match with * as a wildcard and everything else literally', () => {
    expect(matchesUrl('*', 'https://shop.test/anything?x=1')).toBe(true);
    expect(matchesUrl('*/pricing*', 'https://shop.test/pricing?plan=pro')).toBe(true);
    expect(matchesUrl('*/pricing*', 'https://shop.test/about')).toBe(false);
    expect(matchesUrl('https://shop.test/cart', 'https://SHOP.test/cart')).toBe(true);
    expect(matchesUrl('https://shop.test/cart', 'https://shop.test/cart/2')).toBe(false);
    expect(matchesUrl('*.test/a+b(1)', 'https://x.test/a+b(1)')).toBe(true);
    expect(matchesUrl('*.test/a+b(1)', 'https://x.test/aab1')).toBe(false);
  });
});

describe('which invitation shows', () => {
  const visit = { pageUrl: 'https://shop.test/pricing', visits: 2, seen: new Set<string>() };

  it('keeps those whose page, visit count and novelty fit', () => {
    const list = [
      invitation({ id: 'pricing', urlPattern: '*/pricing' }),
      invitation({ id: 'cart', urlPattern: '*/cart' }),
      invitation({ id: 'loyal', minVisits: 3 }),
      invitation({ id: 'off', enabled: false }),
      invitation({ id: 'seen' }),
    ];
    expect(candidates(list, { ...visit, seen: new Set(['seen']) }).map((i) => i.id)).toEqual(['pricing']);
  });

  it('waits for the time on page, and for exit intent where asked', () => {
    const list = [
      invitation({ id: 'late', minSecondsOnPage: 30 }),
      invitation({ id: 'leaving', exitIntent: true }),
    ];
    expect(dueInvitation(list, 5, false)).toBeNull();
    expect(dueInvitation(list, 5, true)?.id).toBe('leaving');
    expect(dueInvitation(list, 30, false)?.id).toBe('late');
    expect(secondsUntilNext(list, 5)).toBe(25);
    expect(secondsUntilNext(list, 31)).toBeNull();
  });
});
