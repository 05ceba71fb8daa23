import { describe, expect, it } from 'vitest';
import { MASK } from './normalize.js';
import { stemWord, tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('keeps inner apostrophes, emoji and smiley brackets as tokens', () => {
    expect(tokenize("i didn't get it )) 😡 !!")).toEqual(['i', "didn't", 'get', 'it', '))', '😡', '!!']);
  });

  it('keeps mask tokens whole', () => {
    expect(tokenize(`пишите ${MASK.email}`)).toEqual(['пишите', MASK.email]);
  });
});

describe('stemWord', () => {
  it('merges Russian word forms into one stem', () => {
    const forms = ['карта', 'карты', 'картой', 'картами', 'карту'];
    expect(new Set(forms.map(stemWord)).size).toBe(1);
  });

  it('merges English word forms into one stem', () => {
    expect(stemWord('transfers')).toBe(stemWord('transferred'));
    expect(stemWord('declined')).toBe(stemWord('declining'));
  });

  it('stems each word by its own script', () => {
    expect(stemWord('переводы')).toBe('перевод');
    expect(stemWord('payments')).toBe('payment');
  });

  it('leaves mask tokens alone', () => {
    expect(stemWord(MASK.phone)).toBe(MASK.phone);
  });
});
