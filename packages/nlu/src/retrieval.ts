// Knowledge retrieval: BM25 (MiniSearch) over stemmed words finds candidate articles or canned
// replies, then a character n-gram similarity re-ranks the best of them. BM25 alone ranks by
// rare shared words and misses misspellings and unseen word forms; the n-gram cosine sees those,
// but is too slow and too vague to search a whole knowledge base by itself.
import MiniSearch from 'minisearch';
import {
  DEFAULT_FEATURE_OPTIONS,
  buildFeatureSpace,
  extractFeatures,
  vectorize,
  type FeatureSpace,
  type SparseVector,
} from './features.js';
import { normalizeText } from './normalize.js';
import { stemWord, tokenize } from './tokenize.js';

export interface KnowledgeDocument {
  id: string;
  title: string;
  body: string;
}

export interface KnowledgeMatch {
  id: string;
  /** The blend used for ranking, between 0 and 1. */
  score: number;
  /** BM25 relative to the best candidate of this query (1 for the best). */
  bm25: number;
  /** Cosine of character and word n-gram vectors of query and document, between 0 and 1. */
  similarity: number;
}

export interface RetrieverOptions {
  /** How many BM25 candidates are re-ranked. */
  candidates: number;
  /** Share of the n-gram similarity in the blended score; the rest is relative BM25. */
  similarityWeight: number;
  /** Extra BM25 weight of a title match over a body match. */
  titleBoost: number;
}

export const DEFAULT_RETRIEVER_OPTIONS: RetrieverOptions = {
  candidates: 20,
  similarityWeight: 0.5,
  titleBoost: 2,
};

const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;
/**
 * Typos are forgiven in words of five letters and more: fuzzy matching of short words finds
 * mostly other words, and with prefix matching it is the costly part of a search over a large
 * base (10,000 documents: p50 81 ms with both on every term, 1.5 ms thus).
 */
const fuzziness = (term: string): number | false => (term.length >= 5 ? 0.2 : false);
/** Likewise a stem stands for longer words only from four letters: "a" would match every word. */
const isPrefix = (term: string): boolean => term.length >= 4;

function searchTerms(text: string): string[] {
  return tokenize(normalizeText(text)).filter((token) => HAS_WORD_CHARACTER.test(token));
}

export class KnowledgeRetriever {
  private readonly index: MiniSearch<KnowledgeDocument>;
  private readonly space: FeatureSpace;
  private readonly vectors = new Map<string, { weights: Map<number, number>; length: number }>();
  private readonly options: RetrieverOptions;

  constructor(documents: KnowledgeDocument[], options: Partial<RetrieverOptions> = {}) {
    this.options = { ...DEFAULT_RETRIEVER_OPTIONS, ...options };
    this.index = new MiniSearch<KnowledgeDocument>({
      fields: ['title', 'body'],
      tokenize: searchTerms,
      processTerm: stemWord,
    });
    this.index.addAll(documents);
    const extracted = documents.map((document) =>
      extractFeatures(documentText(document), DEFAULT_FEATURE_OPTIONS),
    );
    this.space = buildFeatureSpace(extracted, DEFAULT_FEATURE_OPTIONS);
    documents.forEach((document, i) => {
      const weights = asMap(vectorize(this.space, extracted[i]!));
      let squared = 0;
      for (const value of weights.values()) squared += value * value;
      this.vectors.set(document.id, { weights, length: Math.sqrt(squared) });
    });
  }

  /** The best documents for a query, best first; empty when no document shares a word with it. */
  search(query: string, limit = 5): KnowledgeMatch[] {
    const candidates = this.index
      .search(query, { boost: { title: this.options.titleBoost }, fuzzy: fuzziness, prefix: isPrefix })
      .slice(0, this.options.candidates);
    const bestBm25 = candidates[0]?.score ?? 0;
    if (bestBm25 <= 0) return [];
    const queryVector = vectorize(this.space, extractFeatures(query, DEFAULT_FEATURE_OPTIONS));
    const { similarityWeight } = this.options;
    return candidates
      .map((candidate) => {
        const id = String(candidate.id);
        const bm25 = candidate.score / bestBm25;
        const similarity = cosine(queryVector, this.vectors.get(id));
        return { id, bm25, similarity, score: (1 - similarityWeight) * bm25 + similarityWeight * similarity };
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }
}

function documentText(document: KnowledgeDocument): string {
  return `${document.title}\n${document.body}`;
}

function asMap(vector: SparseVector): Map<number, number> {
  const map = new Map<number, number>();
  vector.index.forEach((row, j) => map.set(row, (map.get(row) ?? 0) + vector.value[j]!));
  return map;
}

function cosine(
  query: SparseVector,
  document: { weights: Map<number, number>; length: number } | undefined,
): number {
  if (!document || document.length === 0) return 0;
  let dot = 0;
  let queryLength = 0;
  query.index.forEach((row, j) => {
    const value = query.value[j]!;
    queryLength += value * value;
    dot += value * (document.weights.get(row) ?? 0);
  });
  const lengths = Math.sqrt(queryLength) * document.length;
  return lengths === 0 ? 0 : Math.max(0, dot / lengths);
}
