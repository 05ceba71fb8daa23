// What the operator has typed (and attached) per conversation, kept while they look at another
// one and across reloads (localStorage, per operator). Sent messages leave the draft empty.
import type { FileInfo } from '@frontline/protocol';

export interface ComposerDraft {
  text: string;
  kind: 'text' | 'note';
  files: FileInfo[];
}

const EMPTY: ComposerDraft = { text: '', kind: 'text', files: [] };
/** Old drafts are dropped past this many: a browser's storage is small and shared. */
const MAX_DRAFTS = 200;

const storageKey = (userId: string) => `frontline.drafts.${userId}`;

function load(userId: string): Record<string, ComposerDraft> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(storageKey(userId)) ?? '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, ComposerDraft>) : {};
  } catch {
    return {};
  }
}

export function draftOf(userId: string, conversationId: string): ComposerDraft {
  const stored = load(userId)[conversationId];
  return stored && typeof stored.text === 'string' ? { ...EMPTY, ...stored } : EMPTY;
}

export function keepDraft(userId: string, conversationId: string, draft: ComposerDraft): void {
  const drafts = load(userId);
  delete drafts[conversationId];
  if (draft.text !== '' || draft.files.length > 0 || draft.kind !== 'text') drafts[conversationId] = draft;
  // Insertion order is age order: the oldest go first.
  const kept = Object.entries(drafts).slice(-MAX_DRAFTS);
  try {
    localStorage.setItem(storageKey(userId), JSON.stringify(Object.fromEntries(kept)));
  } catch {
    // Storage full or disabled: the draft still lives in the composer while it is open.
  }
}
