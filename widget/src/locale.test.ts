import { describe, expect, it } from 'vitest';
import { pickLang } from './locale.js';

describe('widget language', () => {
  it('takes the first candidate the widget speaks: the page, then the browser', () => {
    expect(pickLang(['en', 'ru-RU'])).toBe('en');
    expect(pickLang(['ru-RU', 'en-GB'])).toBe('ru');
    expect(pickLang(['', 'en-GB'])).toBe('en');
    expect(pickLang([null, undefined, 'EN-us'])).toBe('en');
  });

  it('skips languages it does not speak rather than guessing', () => {
    expect(pickLang(['de-DE', 'en-US'])).toBe('en');
    expect(pickLang(['de-DE', 'fr'])).toBeNull();
    expect(pickLang([])).toBeNull();
  });
});
