import { describe, expect, it } from 'vitest';
import { MASK, normalizeText } from './normalize.js';

describe('normalizeText', () => {
  it('masks e-mails so that no address becomes a feature', () => {
    expect(normalizeText('Пишите на Ivan.Petrov@mail.ru, отвечу')).toBe(`пишите на ${MASK.email} , отвечу`);
  });

  it('masks links with and without a scheme', () => {
    expect(normalizeText('see https://shop.example.org/a?b=1 or www.test.com')).toBe(
      `see ${MASK.url} or ${MASK.url}`,
    );
    expect(normalizeText('зайдите на frontline.ru/help')).toBe(`зайдите на ${MASK.url}`);
  });

  it('masks phone numbers whole, and shorter numbers as numbers', () => {
    expect(normalizeText('звоните +7 (999) 123-45-67')).toBe(`звоните ${MASK.phone}`);
    expect(normalizeText('I paid 1500.50 for 2 cards')).toBe(
      `i paid ${MASK.number} for ${MASK.number} cards`,
    );
  });

  it('masks mentions', () => {
    expect(normalizeText('@support_bot привет')).toBe(`${MASK.mention} привет`);
  });

  it('lower-cases and folds ё to е', () => {
    expect(normalizeText('ЁЛКА и Ёжик')).toBe('елка и ежик');
  });

  it('collapses long runs of the same mark to two', () => {
    expect(normalizeText('ура!!!!! спасибо)))))')).toBe('ура!! спасибо))');
  });
});
