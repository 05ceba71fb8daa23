// Answer drafts (docs/answer-drafts.md): on an operator's request, the knowledge articles that best
// match the visitor's recent messages and the conversation's last turns go to the admin's
// OpenAI-compatible model, and its reply comes back as a draft with the articles it cites. The
// draft only ever lands in the composer: the operator reads, edits and sends it.
import {
  AnswerDraftSettingsInput as InputSchema,
  type AnswerDraft,
  type AnswerDraftSettings,
  type AnswerDraftSettingsInput,
  type Locale,
  type Message,
} from '@frontline/protocol';
import { ANSWER_DRAFT_LIMITS } from '@frontline/protocol';
import { AppError } from '../../errors.js';
import type { OutboundHttp } from '../../outbound-http.js';
import type { RateLimits } from '../../rate-limits.js';
import { SecretUnreadableError, type SecretBox } from '../../secrets.js';
import type { OperatorPrincipal } from '../auth/principal.js';
import type { ConversationService } from '../conversations/service.js';
import { localeOf } from '../intents/assistant.js';
import { validInput } from '../intents/validate.js';
import type { KnowledgeService } from '../knowledge/service.js';
import { complete } from './chat-completions.js';
import { citationsOf, draftPrompt, type SourceArticle, type Turn } from './prompt.js';
import type { DraftRepo, DraftSettingsRow } from './repo.js';

/** The conversation's last text messages the model sees. */
const TURNS = 12;
/** Visitor messages, newest first, that the articles are searched with. */
const QUERY_MESSAGES = 3;
const ARTICLES = 3;

export class DraftService {
  constructor(
    private readonly deps: {
      repo: DraftRepo;
      knowledge: KnowledgeService;
      conversations: ConversationService;
      rateLimits: RateLimits;
      secrets: SecretBox;
      http: OutboundHttp;
    },
  ) {}

  async settings(workspaceId: string): Promise<AnswerDraftSettings> {
    const row = await this.deps.repo.settings(workspaceId);
    if (!row)
      return {
        enabled: false,
        baseUrl: '',
        model: '',
        apiKeySet: false,
        timeoutMs: ANSWER_DRAFT_LIMITS.defaultTimeoutMs,
        updatedAt: null,
      };
    return {
      enabled: row.enabled === 1,
      baseUrl: row.base_url,
      model: row.model,
      apiKeySet: row.api_key !== null,
      timeoutMs: row.timeout_ms,
      updatedAt: row.updated_at,
    };
  }

  /** Saves the endpoint; an API key left out keeps the stored one, an empty one removes it. */
  async saveSettings(workspaceId: string, input: AnswerDraftSettingsInput): Promise<AnswerDraftSettings> {
    const parsed = validInput(InputSchema, input);
    const stored = await this.deps.repo.settings(workspaceId);
    const apiKey =
      parsed.apiKey === undefined || parsed.apiKey === null
        ? (stored?.api_key ?? null)
        : parsed.apiKey === ''
          ? null
          : this.deps.secrets.seal(parsed.apiKey);
    await this.deps.repo.saveSettings({
      workspace_id: workspaceId,
      enabled: parsed.enabled ? 1 : 0,
      base_url: parsed.baseUrl,
      model: parsed.model,
      api_key: apiKey,
      timeout_ms: parsed.timeoutMs,
      updated_at: Date.now(),
    });
    return this.settings(workspaceId);
  }

  async enabled(workspaceId: string): Promise<boolean> {
    return (await this.deps.repo.settings(workspaceId))?.enabled === 1;
  }

  async draft(operator: OperatorPrincipal, conversationId: string): Promise<AnswerDraft> {
    const { workspaceId } = operator;
    // The access check comes first: another workspace's conversation is "not found", never "off".
    const page = await this.deps.conversations.messages(operator, conversationId, { limit: 50 });
    const settings = await this.deps.repo.settings(workspaceId);
    if (settings?.enabled !== 1)
      throw new AppError(
        'conflict',
        'Answer drafts are off in this workspace; an admin can turn them on in the knowledge base settings',
      );
    const turns = turnsOf(page.items);
    const visitorTexts = page.items
      .filter((m) => m.kind === 'text' && m.author.type === 'visitor' && m.text.trim() !== '')
      .slice(-QUERY_MESSAGES);
    const last = visitorTexts.at(-1);
    if (!last) throw new AppError('conflict', 'The visitor has not written yet: there is nothing to answer');
    const articles = await this.sourcesFor(
      workspaceId,
      visitorTexts.map((m) => m.text).join('\n'),
      localeOf(last.text),
    );
    if (articles.length === 0)
      throw new AppError(
        'conflict',
        'No published knowledge article matches the visitor’s messages; answer yourself, or add an article',
      );
    await this.deps.rateLimits.consume('draft', `${workspaceId}:${operator.userId}`);
    const text = await complete(
      this.deps.http,
      endpointOf(settings, this.deps.secrets),
      draftPrompt(articles, turns),
    );
    return { text, citations: citationsOf(text, articles), forMessageId: last.id };
  }

  /** Articles in the visitor's language; any language when none of those match. */
  private async sourcesFor(workspaceId: string, query: string, locale: Locale): Promise<SourceArticle[]> {
    const { knowledge } = this.deps;
    let hits = await knowledge.search(workspaceId, query, locale, ARTICLES);
    if (hits.length === 0) hits = await knowledge.search(workspaceId, query, undefined, ARTICLES);
    return Promise.all(
      hits.map(async (hit) => {
        const article = await knowledge.get(workspaceId, hit.id);
        return { id: article.id, title: article.title, body: article.body };
      }),
    );
  }
}

function turnsOf(messages: Message[]): Turn[] {
  return messages
    .filter((m) => m.kind === 'text' && m.text.trim() !== '' && m.author.type !== 'system')
    .slice(-TURNS)
    .map((m) => ({ from: m.author.type === 'visitor' ? 'visitor' : 'operator', text: m.text }));
}

function endpointOf(settings: DraftSettingsRow, secrets: SecretBox) {
  let apiKey: string | null = null;
  try {
    apiKey = settings.api_key === null ? null : secrets.open(settings.api_key);
  } catch (error) {
    if (!(error instanceof SecretUnreadableError)) throw error;
    throw new AppError('unavailable', `${error.message} An admin enters it in the knowledge base settings.`);
  }
  return { baseUrl: settings.base_url, model: settings.model, apiKey, timeoutMs: settings.timeout_ms };
}
