import { describe, expect, it } from 'vitest';
import { attributeProblem } from './rules.js';

describe('typed contact attributes', () => {
  it('accepts values of the defined type and null (removal)', () => {
    expect(attributeProblem({ type: 'number', options: [] }, 42)).toBeUndefined();
    expect(attributeProblem({ type: 'boolean', options: [] }, false)).toBeUndefined();
    expect(attributeProblem({ type: 'date', options: [] }, '2024-02-29')).toBeUndefined();
    expect(attributeProblem({ type: 'select', options: ['gold', 'silver'] }, 'gold')).toBeUndefined();
    expect(attributeProblem({ type: 'text', options: [] }, null)).toBeUndefined();
  });

  it('refuses values of another type, impossible dates and unknown choices', () => {
    expect(attributeProblem({ type: 'number', options: [] }, '42')).toBe('must be a number');
    expect(attributeProblem({ type: 'boolean', options: [] }, 'yes')).toBe('must be true or false');
    expect(attributeProblem({ type: 'date', options: [] }, '2023-02-29')).toMatch(/date/);
    expect(attributeProblem({ type: 'date', options: [] }, '29.02.2024')).toMatch(/date/);
    expect(attributeProblem({ type: 'select', options: ['gold'] }, 'bronze')).toBe('must be one of: gold');
    expect(attributeProblem({ type: 'text', options: [] }, 7)).toBe('must be text');
  });
});
