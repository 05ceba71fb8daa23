// Language understanding in the product (docs/nlu.md): a workspace's intents and what each does,
// trained intent models with their evaluation reports, the non-target filter's setting, the
// knowledge base, reply suggestions for operators and the "upset customer" signal.
import { z } from 'zod';
import { Id, Locale, Timestamp } from './common.js';

/**
 * What a recognised intent does to the conversation: route it to a department's queue, answer
 * from the knowledge base, or (non-target) explain politely where the visitor is and close; none
 * only records it.
 */
export const INTENT_ACTIONS = ['route', 'knowledge', 'non_target', 'none'] as const;
export const IntentAction = z.enum(INTENT_ACTIONS);
export type IntentAction = z.infer<typeof IntentAction>;

export const IntentExampleInput = z.object({
  locale: Locale,
  text: z.string().trim().min(1, 'An example phrase cannot be empty').max(500),
});
export type IntentExampleInput = z.infer<typeof IntentExampleInput>;

/** Text per language; an empty string means "none in this language". */
export const LocalizedText = z.object({
  ru: z.string().trim().max(2000).default(''),
  en: z.string().trim().max(2000).default(''),
});

const IntentShape = {
  name: z
    .string()
    .trim()
    .min(1, 'Give the intent a name')
    .max(80)
    .regex(/^[^_]/, 'An intent name cannot start with "_" (reserved for the out-of-scope class)'),
  action: IntentAction,
  /** The department a "route" intent sends the conversation to. */
  departmentId: Id.nullable(),
  /** The bot's reply: the non-target explanation, or the knowledge intent's fallback. */
  reply: LocalizedText,
  examples: z.array(IntentExampleInput).max(2000),
};
const IntentFields = z.object({
  ...IntentShape,
  departmentId: IntentShape.departmentId.default(null),
  reply: IntentShape.reply.default({ ru: '', en: '' }),
  examples: IntentShape.examples.default([]),
});

/** The rules an intent must keep, whether created whole or changed by a patch. */
export function checkIntent(intent: z.output<typeof IntentFields>, ctx: z.RefinementCtx): void {
  if (intent.action === 'route' && !intent.departmentId)
    ctx.addIssue({
      code: 'custom',
      path: ['departmentId'],
      message: 'A "route" intent needs the department to send conversations to',
    });
  if (intent.action === 'non_target' && !intent.reply.ru && !intent.reply.en)
    ctx.addIssue({
      code: 'custom',
      path: ['reply'],
      message: 'A non-target intent needs the explanation the visitor gets, in Russian or English',
    });
}

export const IntentInput = IntentFields.superRefine(checkIntent);
export type IntentInput = z.input<typeof IntentInput>;
/** Only the fields given change (no defaults, so a patch never resets what it does not name). */
export const IntentPatch = z.object(IntentShape).partial();
export type IntentPatch = z.input<typeof IntentPatch>;

export const Intent = z.object({
  id: Id,
  name: z.string(),
  action: IntentAction,
  departmentId: Id.nullable(),
  reply: z.object({ ru: z.string(), en: z.string() }),
  examples: z.array(z.object({ locale: Locale, text: z.string() })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Intent = z.infer<typeof Intent>;

/** What to do with a visitor whose request is not for this business. */
export const NON_TARGET_MODES = ['reply_and_close', 'reply', 'off'] as const;
export const NonTargetMode = z.enum(NON_TARGET_MODES);
export type NonTargetMode = z.infer<typeof NonTargetMode>;

export const NluSettings = z.object({
  /** Act on the intent of the first visitor message (route, answer, non-target). */
  autoRoute: z.boolean(),
  nonTargetMode: NonTargetMode,
  /** A visitor message at least this likely negative marks the conversation upset. */
  sentimentThreshold: z.number().min(0.3).max(0.99),
  /** The bot answers with the best knowledge article when confident. */
  knowledgeAnswers: z.boolean(),
});
export type NluSettings = z.infer<typeof NluSettings>;
export const NluSettingsPatch = NluSettings.partial();
export type NluSettingsPatch = z.infer<typeof NluSettingsPatch>;

export const IntentFigures = z.object({
  label: z.string(),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: z.number(),
});

export const IntentModelReport = z.object({
  trainingExamples: z.number(),
  heldOutExamples: z.number(),
  epochs: z.number(),
  threshold: z.number(),
  topIntentAccuracy: z.number(),
  accuracy: z.number(),
  outOfScopeRecall: z.number().nullable(),
  perIntent: z.array(IntentFigures),
  confusions: z.array(z.object({ expected: z.string(), predicted: z.string(), count: z.number() })),
});
export type IntentModelReport = z.infer<typeof IntentModelReport>;

export const INTENT_MODEL_STATUSES = ['training', 'ready', 'active', 'failed', 'retired'] as const;
export const IntentModelStatus = z.enum(INTENT_MODEL_STATUSES);
export type IntentModelStatus = z.infer<typeof IntentModelStatus>;

/** One trained version of a workspace's intent model (the weights stay on the server). */
export const IntentModelVersion = z.object({
  id: Id,
  version: z.number().int(),
  status: IntentModelStatus,
  report: IntentModelReport.nullable(),
  error: z.string().nullable(),
  examples: z.number().int(),
  trainingMs: z.number().int().nullable(),
  createdAt: Timestamp,
  trainedAt: Timestamp.nullable(),
  activatedAt: Timestamp.nullable(),
});
export type IntentModelVersion = z.infer<typeof IntentModelVersion>;

export const ClassifyBody = z.object({
  text: z.string().trim().min(1, 'Type a phrase to classify').max(2000),
});
export const ClassifyResult = z.object({
  /** The intent's name, or null: out of scope. */
  intent: z.string().nullable(),
  intentId: Id.nullable(),
  confidence: z.number(),
  ranked: z.array(z.object({ intent: z.string(), confidence: z.number() })),
  modelVersion: z.number().int(),
});
export type ClassifyResult = z.infer<typeof ClassifyResult>;

const ArticleShape = {
  locale: Locale,
  category: z.string().trim().max(80),
  title: z.string().trim().min(1, 'Give the article a title').max(200),
  /** Markdown. */
  body: z.string().trim().min(1, 'The article needs a text').max(50_000),
  published: z.boolean(),
};
export const KnowledgeArticleInput = z.object({
  ...ArticleShape,
  category: ArticleShape.category.default(''),
  published: ArticleShape.published.default(true),
});
export type KnowledgeArticleInput = z.input<typeof KnowledgeArticleInput>;
export const KnowledgeArticlePatch = z.object(ArticleShape).partial();
export type KnowledgeArticlePatch = z.input<typeof KnowledgeArticlePatch>;

export const KnowledgeArticle = z.object({
  id: Id,
  locale: Locale,
  category: z.string(),
  title: z.string(),
  body: z.string(),
  published: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type KnowledgeArticle = z.infer<typeof KnowledgeArticle>;

export const KnowledgeListQuery = z.object({
  locale: Locale.optional(),
  category: z.string().trim().max(80).optional(),
});

export const KnowledgeSearchQuery = z.object({
  q: z.string().trim().min(1, 'Type what to search for').max(300),
  locale: Locale.optional(),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
export type KnowledgeSearchQuery = z.infer<typeof KnowledgeSearchQuery>;

export const KnowledgeHit = z.object({
  id: Id,
  locale: Locale,
  category: z.string(),
  title: z.string(),
  /** The start of the article's text, Markdown stripped. */
  snippet: z.string(),
  score: z.number(),
});
export type KnowledgeHit = z.infer<typeof KnowledgeHit>;

// ---- the visitors' side of the knowledge base: the widget's search and the help centre ----

/** A search of a workspace's published articles by a visitor (widget, help centre). */
export const HelpSearchQuery = KnowledgeSearchQuery;
export const HelpListQuery = z.object({ locale: Locale.optional() });

/** A published article as a visitor reads it: the Markdown rendered to safe HTML by the server. */
export const HelpArticle = z.object({
  id: Id,
  locale: Locale,
  category: z.string(),
  title: z.string(),
  /** Rendered without raw HTML and with only http(s), mailto and tel links: safe to insert. */
  html: z.string(),
  updatedAt: Timestamp,
});
export type HelpArticle = z.infer<typeof HelpArticle>;

/** A category of published articles with their titles, by title. */
export const HelpCategory = z.object({
  name: z.string(),
  articles: z.array(z.object({ id: Id, title: z.string() })),
});
export type HelpCategory = z.infer<typeof HelpCategory>;

/** The buttons under a knowledge answer ("did this help?"); pressing one records the answer. */
export const KNOWLEDGE_FEEDBACK_BUTTONS = { helpful: 'kb-helpful', notHelpful: 'kb-not-helpful' } as const;

/** How visitors judged an article the assistant answered with. */
export const KnowledgeFeedbackCount = z.object({
  articleId: Id,
  /** Times it was sent as an answer. */
  answered: z.number().int(),
  helpful: z.number().int(),
  notHelpful: z.number().int(),
});
export type KnowledgeFeedbackCount = z.infer<typeof KnowledgeFeedbackCount>;

export const SUGGESTION_KINDS = ['canned', 'article'] as const;
export const SuggestionKind = z.enum(SUGGESTION_KINDS);
export const ReplySuggestion = z.object({
  kind: SuggestionKind,
  id: Id,
  title: z.string(),
  /** What goes into the compose box. */
  text: z.string(),
  score: z.number(),
});
export type ReplySuggestion = z.infer<typeof ReplySuggestion>;
export const ReplySuggestions = z.object({
  /** The visitor message the suggestions answer, or null when the visitor has not written. */
  forMessageId: Id.nullable(),
  suggestions: z.array(ReplySuggestion),
});
export type ReplySuggestions = z.infer<typeof ReplySuggestions>;
export const SuggestionUsedBody = z.object({ kind: SuggestionKind, id: Id });

/** What language understanding knows about a conversation (its first intent, how upset it reads). */
export const ConversationInsight = z.object({
  conversationId: Id,
  intent: z.string().nullable(),
  intentConfidence: z.number().nullable(),
  /** Probability the visitor's last message is negative. */
  negative: z.number(),
  /** When the conversation was last marked upset; null when it is not. */
  upsetAt: Timestamp.nullable(),
  updatedAt: Timestamp,
});
export type ConversationInsight = z.infer<typeof ConversationInsight>;

/**
 * Operators' word on a conversation's first visitor message: not a target request (a candidate
 * for the non-target intent), or a target request of the given intent.
 */
export const NluFeedbackBody = z.object({
  target: z.boolean(),
  intentId: Id.optional().describe('With target: the intent the message belongs to'),
});
export type NluFeedbackBody = z.infer<typeof NluFeedbackBody>;

export const CANDIDATE_SOURCES = ['operator', 'transfer'] as const;
export const IntentCandidate = z.object({
  id: Id,
  conversationId: Id,
  text: z.string(),
  /** The intent proposed; null: none fits (a non-target request and no non-target intent). */
  intentId: Id.nullable(),
  source: z.enum(CANDIDATE_SOURCES),
  createdAt: Timestamp,
});
export type IntentCandidate = z.infer<typeof IntentCandidate>;
export const AcceptCandidateBody = z.object({ intentId: Id });
