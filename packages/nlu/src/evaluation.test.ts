import { describe, expect, it } from 'vitest';
import { evaluatePredictions } from './evaluation.js';

describe('evaluatePredictions', () => {
  it('computes accuracy, per-label precision and recall, and macro-F1', () => {
    const evaluation = evaluatePredictions(['a', 'a', 'b', 'b'], ['a', 'b', 'b', 'b']);
    expect(evaluation.accuracy).toBe(0.75);
    const a = evaluation.perLabel.find((figures) => figures.label === 'a');
    const b = evaluation.perLabel.find((figures) => figures.label === 'b');
    expect(a).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
    expect(b).toMatchObject({ precision: 2 / 3, recall: 1, support: 2 });
    expect(evaluation.macroF1).toBeCloseTo(((2 * 0.5) / 1.5 + (2 * (2 / 3)) / (5 / 3)) / 2);
  });

  it('lists confusions most frequent first', () => {
    const evaluation = evaluatePredictions(['a', 'a', 'b', 'c', 'c'], ['b', 'b', 'b', 'a', 'c']);
    expect(evaluation.confusions).toEqual([
      { expected: 'a', predicted: 'b', count: 2 },
      { expected: 'c', predicted: 'a', count: 1 },
    ]);
  });

  it('refuses lists of different lengths', () => {
    expect(() => evaluatePredictions(['a'], [])).toThrow(/1 expected labels but 0/);
  });
});
