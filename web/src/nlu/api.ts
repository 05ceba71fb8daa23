// The REST calls of language understanding (server/src/modules/intents and knowledge).
import type {
  AnswerDraft,
  AnswerDraftSettings,
  AnswerDraftSettingsInput,
  AnswerDraftStatus,
  ClassifyResult,
  ConversationInsight,
  Intent,
  IntentCandidate,
  IntentInput,
  IntentModelVersion,
  KnowledgeArticle,
  KnowledgeArticleInput,
  KnowledgeFeedbackCount,
  KnowledgeHit,
  Locale,
  NluSettings,
  NluSettingsPatch,
  ReplySuggestion,
  ReplySuggestions,
} from '@frontline/protocol';
import { api } from '../api/http.js';

export const nluKeys = {
  intents: ['nlu', 'intents'] as const,
  models: ['nlu', 'models'] as const,
  settings: ['nlu', 'settings'] as const,
  articles: ['nlu', 'articles'] as const,
  feedback: ['nlu', 'knowledge-feedback'] as const,
  search: (q: string, locale: string) => ['nlu', 'search', q, locale] as const,
  suggestions: (conversationId: string, lastSeq: number) =>
    ['nlu', 'suggestions', conversationId, lastSeq] as const,
  /** Per-conversation insights known to this tab: the hot list plus live notices. */
  insights: ['nlu', 'insights'] as const,
  candidates: ['nlu', 'candidates'] as const,
  draftSettings: ['nlu', 'answer-drafts', 'settings'] as const,
  draftStatus: ['nlu', 'answer-drafts', 'status'] as const,
};

export const fetchIntents = () => api<Intent[]>('GET', '/api/intents');
export const createIntent = (input: IntentInput) => api<Intent>('POST', '/api/intents', input);
export const updateIntent = (id: string, input: IntentInput) =>
  api<Intent>('PATCH', `/api/intents/${id}`, input);
export const deleteIntent = (id: string) => api<void>('DELETE', `/api/intents/${id}`);

export const fetchModels = () => api<IntentModelVersion[]>('GET', '/api/intents/models');
export const trainModel = () => api<IntentModelVersion>('POST', '/api/intents/models');
export const activateModel = (id: string) =>
  api<IntentModelVersion>('POST', `/api/intents/models/${id}/activate`);
export const classifyPhrase = (text: string) =>
  api<ClassifyResult>('POST', '/api/intents/classify', { text });

export const fetchNluSettings = () => api<NluSettings>('GET', '/api/nlu/settings');
export const updateNluSettings = (patch: NluSettingsPatch) =>
  api<NluSettings>('PATCH', '/api/nlu/settings', patch);
export const fetchHot = () => api<ConversationInsight[]>('GET', '/api/nlu/hot');

export const fetchArticles = () => api<KnowledgeArticle[]>('GET', '/api/knowledge/articles');
export const createArticle = (input: KnowledgeArticleInput) =>
  api<KnowledgeArticle>('POST', '/api/knowledge/articles', input);
export const updateArticle = (id: string, input: KnowledgeArticleInput) =>
  api<KnowledgeArticle>('PATCH', `/api/knowledge/articles/${id}`, input);
export const fetchKnowledgeFeedback = () => api<KnowledgeFeedbackCount[]>('GET', '/api/knowledge/feedback');
export const deleteArticle = (id: string) => api<void>('DELETE', `/api/knowledge/articles/${id}`);
export const searchArticles = (q: string, locale: Locale | '') =>
  api<KnowledgeHit[]>(
    'GET',
    `/api/knowledge/search?q=${encodeURIComponent(q)}${locale ? `&locale=${locale}` : ''}`,
  );

export const fetchSuggestions = (conversationId: string) =>
  api<ReplySuggestions>('GET', `/api/conversations/${conversationId}/suggestions`);
export const suggestionUsed = (conversationId: string, suggestion: ReplySuggestion) =>
  api<void>('POST', `/api/conversations/${conversationId}/suggestions/used`, {
    kind: suggestion.kind,
    id: suggestion.id,
  });

export const markNotTarget = (conversationId: string) =>
  api<IntentCandidate>('POST', `/api/conversations/${conversationId}/nlu-feedback`, { target: false });
export const fetchCandidates = () => api<IntentCandidate[]>('GET', '/api/intents/candidates');
export const acceptCandidate = (id: string, intentId: string) =>
  api<void>('POST', `/api/intents/candidates/${id}/accept`, { intentId });
export const dismissCandidate = (id: string) => api<void>('DELETE', `/api/intents/candidates/${id}`);

export const fetchDraftSettings = () => api<AnswerDraftSettings>('GET', '/api/settings/answer-drafts');
export const saveDraftSettings = (input: AnswerDraftSettingsInput) =>
  api<AnswerDraftSettings>('PUT', '/api/settings/answer-drafts', input);
export const fetchDraftStatus = () => api<AnswerDraftStatus>('GET', '/api/answer-drafts/status');
export const requestAnswerDraft = (conversationId: string) =>
  api<AnswerDraft>('POST', `/api/conversations/${conversationId}/answer-draft`);
