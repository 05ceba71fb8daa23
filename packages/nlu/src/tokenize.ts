// Words and their Snowball stems. Each word is stemmed by the stemmer of its own script, so a
// Russian message with an English product name ("не работает widget") needs no language guess.
import { stemmer as stemEnglish } from '@orama/stemmers/english';
import { stemmer as stemRussian } from '@orama/stemmers/russian';

// A token is a word of letters and digits, with an inner apostrophe kept ("didn't", "i'm")
// because the negation changes an intent (mask tokens from normalisation are words too); or an
// emoji; or a run of brackets or !/? marks, since ")))" and "((" are how Russian chats smile
// and frown, and they carry most of a short message's mood.
const TOKEN = /[\p{L}\p{N}_]+(?:'\p{L}+)?|\p{Extended_Pictographic}|[()]+|[!?]+/gu;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /\p{Script=Latin}/u;

/** Splits normalised text into tokens. */
export function tokenize(normalized: string): string[] {
  return normalized.match(TOKEN) ?? [];
}

/**
 * Stems already found. A support chat's words repeat (its whole vocabulary is a few thousand
 * words), and a stemmer costs more than the rest of scoring a message; when full the cache starts
 * over, which keeps it bounded without the bookkeeping of an LRU.
 */
const knownStems = new Map<string, string>();
const KNOWN_STEMS_LIMIT = 20_000;

/** The Snowball stem of one lower-cased word: Russian for Cyrillic, English for Latin script. */
export function stemWord(word: string): string {
  let stem = knownStems.get(word);
  if (stem === undefined) {
    if (knownStems.size >= KNOWN_STEMS_LIMIT) knownStems.clear();
    stem = stemOf(word);
    knownStems.set(word, stem);
  }
  return stem;
}

function stemOf(word: string): string {
  if (word.startsWith('_')) return word;
  if (CYRILLIC.test(word)) return stemRussian(word);
  if (LATIN.test(word)) return stemEnglish(word);
  return word;
}
