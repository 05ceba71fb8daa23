// Reply suggestions for the operator's compose box: the canned responses and knowledge articles
// that best answer the visitor's last message, found by the package's retrieval. Canned
// responses are read through a small interface (the canned-responses module owns them).
import { KnowledgeRetriever } from '@frontline/nlu';
import type { Locale, ReplySuggestion, ReplySuggestions } from '@frontline/protocol';
import { newId } from '../../storage/ids.js';
import type { KnowledgeService } from '../knowledge/service.js';
import { localeOf } from './assistant.js';
import type { IntentRepo } from './repo.js';

const CANNED_SUGGESTIONS = 3;
const ARTICLE_SUGGESTIONS = 2;

export interface CannedSource {
  list(
    workspaceId: string,
    query: { limit: number },
  ): Promise<{ id: string; locale: Locale; title: string; text: string; updatedAt: number }[]>;
}

export class SuggestionService {
  /** Canned-response indexes per workspace, rebuilt when a response changes. */
  private readonly canned = new Map<
    string,
    { stamp: string; retriever: KnowledgeRetriever; byId: Map<string, { title: string; text: string }> }
  >();

  constructor(
    private readonly repo: IntentRepo,
    private readonly cannedResponses: CannedSource,
    private readonly knowledge: KnowledgeService,
  ) {}

  async forConversation(workspaceId: string, conversationId: string): Promise<ReplySuggestions> {
    const last = await this.repo.lastVisitorMessage(workspaceId, conversationId);
    if (!last || last.text.trim() === '') return { forMessageId: null, suggestions: [] };
    const locale = localeOf(last.text);
    const canned = await this.cannedFor(workspaceId, locale);
    const suggestions: ReplySuggestion[] = canned.retriever
      .search(last.text, CANNED_SUGGESTIONS)
      .flatMap((match) => {
        const response = canned.byId.get(match.id);
        return response ? [{ kind: 'canned' as const, id: match.id, ...response, score: match.score }] : [];
      });
    for (const hit of await this.knowledge.search(workspaceId, last.text, locale, ARTICLE_SUGGESTIONS))
      suggestions.push({
        kind: 'article',
        id: hit.id,
        title: hit.title,
        text: hit.snippet,
        score: hit.score,
      });
    return { forMessageId: last.id, suggestions };
  }

  async recordUse(
    workspaceId: string,
    conversationId: string,
    userId: string | null,
    used: { kind: string; id: string },
  ): Promise<void> {
    await this.repo.recordSuggestionUse({
      id: newId(),
      workspace_id: workspaceId,
      conversation_id: conversationId,
      user_id: userId,
      kind: used.kind,
      item_id: used.id,
      created_at: Date.now(),
    });
  }

  private async cannedFor(workspaceId: string, locale: Locale) {
    const responses = (await this.cannedResponses.list(workspaceId, { limit: 500 })).filter(
      (r) => r.locale === locale,
    );
    const stamp = `${locale}:${responses.length}:${Math.max(0, ...responses.map((r) => r.updatedAt))}`;
    const key = `${workspaceId}:${locale}`;
    const cached = this.canned.get(key);
    if (cached?.stamp === stamp) return cached;
    const fresh = {
      stamp,
      retriever: new KnowledgeRetriever(responses.map((r) => ({ id: r.id, title: r.title, body: r.text }))),
      byId: new Map(responses.map((r) => [r.id, { title: r.title, text: r.text }])),
    };
    this.canned.set(key, fresh);
    return fresh;
  }
}
