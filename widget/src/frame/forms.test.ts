import { describe, expect, it } from 'vitest';
import { fieldProblem } from './forms.js';
import { translator } from './i18n.js';

const t = translator('en');

describe('form fields', () => {
  it('ask for required values and accept missing optional ones', () => {
    expect(fieldProblem({ kind: 'name', required: true, label: 'Name' }, '  ', t)).toBe('Fill in “Name”');
    expect(fieldProblem({ kind: 'email', required: false, label: 'E-mail' }, '', t)).toBeNull();
  });

  it('catch a malformed e-mail or phone', () => {
    expect(fieldProblem({ kind: 'email', required: true, label: 'E-mail' }, 'anna@', t)).toMatch(/e-mail/);
    expect(fieldProblem({ kind: 'email', required: true, label: 'E-mail' }, 'anna@shop.ru', t)).toBeNull();
    expect(fieldProblem({ kind: 'phone', required: true, label: 'Phone' }, 'call me', t)).toMatch(/phone/);
    expect(
      fieldProblem({ kind: 'phone', required: true, label: 'Phone' }, '+7 (900) 123-45-67', t),
    ).toBeNull();
  });
});
