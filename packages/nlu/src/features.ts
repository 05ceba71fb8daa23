// Sparse features of a text: stemmed word n-grams and character n-grams inside each stem,
// hashed to 32-bit ids. Hashing means a model stores numbers, never its customers' phrases, and
// needs no vocabulary; a feature space then keeps only the ids seen in training, with their idf.
import { normalizeText } from './normalize.js';
import { stemWord, tokenize } from './tokenize.js';

export interface FeatureOptions {
  /** Longest word n-gram over stems (1 = single words, 2 = also pairs). */
  wordNgramMax: number;
  /**
   * Shortest and longest character n-gram, taken inside each padded stem: they match misspelt
   * and unseen forms of a known word, and compounds, where whole stems cannot.
   */
  charNgramMin: number;
  charNgramMax: number;
  /** Weight of the character group against the word group, which weighs 1. */
  charWeight: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
  wordNgramMax: 2,
  charNgramMin: 2,
  charNgramMax: 5,
  charWeight: 0.7,
};

/** Raw counts of a text's features, one map (hash → count) per feature group. */
export interface ExtractedFeatures {
  words: Map<number, number>;
  chars: Map<number, number>;
}

export interface SparseVector {
  index: Int32Array;
  value: Float32Array;
}

// Different offset bases keep a word "ab" and a character n-gram "ab" apart.
const WORD_SEED = 0x811c9dc5;
const CHAR_SEED = 0x050c5d1f;

/** FNV-1a over `text[start, end)`: the hash of that slice, without making the slice. */
function hashRange(text: string, start: number, end: number, hash: number): number {
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash;
}

const SPACE = ' '.charCodeAt(0);

function count(counts: Map<number, number>, key: number): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

// Every message a visitor sends is scored, so the n-grams are hashed in place: the hash of an
// n-gram is that of its text (stems joined by spaces; a slice of the padded stem) without building
// the text.
export function extractFeatures(text: string, options: FeatureOptions): ExtractedFeatures {
  const stems = tokenize(normalizeText(text)).map(stemWord);
  const wordCounts = new Map<number, number>();
  for (let n = 1; n <= options.wordNgramMax; n++) {
    for (let start = 0; start + n <= stems.length; start++) {
      let hash = WORD_SEED;
      for (let i = start; i < start + n; i++) {
        if (i > start) hash = Math.imul(hash ^ SPACE, 0x01000193);
        hash = hashRange(stems[i]!, 0, stems[i]!.length, hash);
      }
      count(wordCounts, hash >>> 0);
    }
  }
  const charCounts = new Map<number, number>();
  for (const stem of stems) {
    const padded = ` ${stem} `;
    for (let n = options.charNgramMin; n <= options.charNgramMax; n++) {
      for (let start = 0; start + n <= padded.length; start++) {
        count(charCounts, hashRange(padded, start, start + n, CHAR_SEED) >>> 0);
      }
    }
  }
  return { words: wordCounts, chars: charCounts };
}

/** The features a model knows: a row for each id seen in training, and its inverse document frequency. */
export interface FeatureSpace {
  options: FeatureOptions;
  hashes: Uint32Array;
  idf: Float32Array;
  /** Idf given to ids never seen in training; see `vectorize`. */
  unseenIdf: number;
  rowOf: Map<number, number>;
}

export function buildFeatureSpace(documents: ExtractedFeatures[], options: FeatureOptions): FeatureSpace {
  const documentFrequency = new Map<number, number>();
  for (const document of documents) {
    for (const hash of document.words.keys()) count(documentFrequency, hash);
    for (const hash of document.chars.keys()) count(documentFrequency, hash);
  }
  const hashes = Uint32Array.from(documentFrequency.keys()).sort();
  const idf = new Float32Array(hashes.length);
  hashes.forEach((hash, row) => {
    idf[row] = smoothIdf(documents.length, documentFrequency.get(hash) ?? 0);
  });
  return restoreFeatureSpace(options, hashes, idf, smoothIdf(documents.length, 0));
}

/** Rebuilds the lookup of a feature space from its stored parts. */
export function restoreFeatureSpace(
  options: FeatureOptions,
  hashes: Uint32Array,
  idf: Float32Array,
  unseenIdf: number,
): FeatureSpace {
  const rowOf = new Map<number, number>();
  hashes.forEach((hash, row) => rowOf.set(hash, row));
  return { options, hashes, idf, unseenIdf, rowOf };
}

function smoothIdf(documents: number, frequency: number): number {
  return Math.log((1 + documents) / (1 + frequency)) + 1;
}

/**
 * Sublinear tf-idf, each group scaled to unit length and then by its weight. Ids unseen in
 * training have no row, but they still count in the length with the highest idf: a text made
 * mostly of unknown words gets small known features and so a low confidence, which is what the
 * out-of-scope threshold relies on.
 */
export function vectorize(space: FeatureSpace, features: ExtractedFeatures): SparseVector {
  const index: number[] = [];
  const value: number[] = [];
  appendGroup(space, features.words, 1, index, value);
  appendGroup(space, features.chars, space.options.charWeight, index, value);
  return { index: Int32Array.from(index), value: Float32Array.from(value) };
}

function appendGroup(
  space: FeatureSpace,
  counts: Map<number, number>,
  weight: number,
  index: number[],
  value: number[],
): void {
  const start = index.length;
  let squaredLength = 0;
  for (const [hash, frequency] of counts) {
    const row = space.rowOf.get(hash);
    const tfIdf = (1 + Math.log(frequency)) * (row === undefined ? space.unseenIdf : (space.idf[row] ?? 0));
    squaredLength += tfIdf * tfIdf;
    if (row === undefined) continue;
    index.push(row);
    value.push(tfIdf);
  }
  if (squaredLength === 0) return;
  const scale = weight / Math.sqrt(squaredLength);
  for (let i = start; i < value.length; i++) value[i] = (value[i] ?? 0) * scale;
}
