import { beforeEach, describe, expect, it } from 'vitest';
import { draftOf, keepDraft } from './drafts.js';

const store = new Map<string, string>();
beforeEach(() => {
  store.clear();
  globalThis.localStorage = {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
    removeItem: (key: string) => void store.delete(key),
    clear: () => store.clear(),
    key: () => null,
    length: 0,
  };
});

describe('composer drafts', () => {
  it('are kept per operator and conversation, and an empty one is forgotten', () => {
    keepDraft('anna', 'c1', { text: 'Здравствуйте', kind: 'text', files: [] });
    keepDraft('anna', 'c2', { text: 'check refund', kind: 'note', files: [] });
    expect(draftOf('anna', 'c1').text).toBe('Здравствуйте');
    expect(draftOf('anna', 'c2').kind).toBe('note');
    expect(draftOf('boris', 'c1').text).toBe('');

    keepDraft('anna', 'c1', { text: '', kind: 'text', files: [] });
    expect(Object.keys(JSON.parse(store.get('frontline.drafts.anna') ?? '{}'))).toEqual(['c2']);
  });

  it('survive storage holding something that is not a draft', () => {
    store.set('frontline.drafts.anna', 'not json');
    expect(draftOf('anna', 'c1')).toEqual({ text: '', kind: 'text', files: [] });
  });
});
