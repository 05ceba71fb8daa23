import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FEATURE_OPTIONS,
  buildFeatureSpace,
  extractFeatures,
  vectorize,
  type SparseVector,
} from './features.js';

const options = DEFAULT_FEATURE_OPTIONS;

function spaceOf(texts: string[]) {
  return buildFeatureSpace(
    texts.map((text) => extractFeatures(text, options)),
    options,
  );
}

function squaredLength(vector: SparseVector): number {
  return Array.from(vector.value).reduce((sum, value) => sum + value * value, 0);
}

describe('features', () => {
  it('gives different word forms of one stem the same word features', () => {
    const a = extractFeatures('карта', options);
    const b = extractFeatures('картой', options);
    expect([...a.words.keys()]).toEqual([...b.words.keys()]);
  });

  it('lets a misspelt word share character n-grams with the right one', () => {
    const right = extractFeatures('withdrawal', options);
    const misspelt = extractFeatures('withdrawl', options);
    const shared = [...misspelt.chars.keys()].filter((hash) => right.chars.has(hash));
    expect(shared.length).toBeGreaterThan(misspelt.chars.size / 2);
  });

  it('keeps only features seen in training, one row each', () => {
    const space = spaceOf(['refund my order', 'where is my parcel']);
    const vector = vectorize(space, extractFeatures('refund my parcel please', options));
    expect(new Set(vector.index).size).toBe(vector.index.length);
    expect(Math.max(...vector.index)).toBeLessThan(space.hashes.length);
  });

  it('shrinks known features when a text is mostly unknown words', () => {
    const space = spaceOf(['refund my order', 'where is my parcel']);
    const known = vectorize(space, extractFeatures('refund my order', options));
    const diluted = vectorize(
      space,
      extractFeatures('refund my order quantum chromodynamics lecture notes', options),
    );
    expect(squaredLength(diluted)).toBeLessThan(squaredLength(known) / 2);
  });
});
