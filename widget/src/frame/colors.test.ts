import { describe, expect, it } from 'vitest';
import { textColorOn } from './colors.js';

describe('text on the brand colour', () => {
  it('is white on dark colours and dark on light ones', () => {
    expect(textColorOn('#2563eb')).toBe('#ffffff');
    expect(textColorOn('#0f766e')).toBe('#ffffff');
    expect(textColorOn('#000000')).toBe('#ffffff');
    expect(textColorOn('#facc15')).toBe('#0f172a');
    expect(textColorOn('#ffffff')).toBe('#0f172a');
  });
});
