// Answer drafts: an optional external model, reached through an OpenAI-compatible chat completions
// API, that drafts a reply from the knowledge base for the operator to edit (docs/answer-drafts.md).
// Off until an admin turns it on; the product does not depend on it.
import { z } from 'zod';
import { Id, Timestamp } from './common.js';

export const ANSWER_DRAFT_LIMITS = { minTimeoutMs: 1000, maxTimeoutMs: 60_000, defaultTimeoutMs: 20_000 };

export const AnswerDraftSettings = z.object({
  enabled: z.boolean(),
  /** The API's base, `https://api.example.com/v1`: drafts are asked of `{baseUrl}/chat/completions`. */
  baseUrl: z.string(),
  model: z.string(),
  /** Whether an API key is stored; the key itself is never shown again. */
  apiKeySet: z.boolean(),
  timeoutMs: z.number().int(),
  updatedAt: Timestamp.nullable(),
});
export type AnswerDraftSettings = z.infer<typeof AnswerDraftSettings>;

export const AnswerDraftSettingsInput = z
  .object({
    enabled: z.boolean(),
    baseUrl: z
      .string()
      .trim()
      .max(2000)
      .regex(/^(https?:\/\/\S+)?$/i, 'The API address starts with http:// or https://'),
    model: z.string().trim().max(200),
    /** Left out or null: keep the stored key; an empty string removes it (a local server may need none). */
    apiKey: z.string().max(4000).nullable().optional(),
    timeoutMs: z
      .number()
      .int()
      .min(ANSWER_DRAFT_LIMITS.minTimeoutMs)
      .max(ANSWER_DRAFT_LIMITS.maxTimeoutMs)
      .default(ANSWER_DRAFT_LIMITS.defaultTimeoutMs),
  })
  .refine((input) => !input.enabled || (input.baseUrl !== '' && input.model !== ''), {
    message: 'Give the API address and the model name before turning drafts on',
    path: ['baseUrl'],
  });
export type AnswerDraftSettingsInput = z.input<typeof AnswerDraftSettingsInput>;

/** What operators may know of the setting: whether the "Draft an answer" button works. */
export const AnswerDraftStatus = z.object({ enabled: z.boolean() });
export type AnswerDraftStatus = z.infer<typeof AnswerDraftStatus>;

export const DraftCitation = z.object({
  /** The number the draft cites it by: [1]. */
  n: z.number().int().positive(),
  articleId: Id,
  title: z.string(),
});
export type DraftCitation = z.infer<typeof DraftCitation>;

export const AnswerDraft = z.object({
  /** For the compose box; never sent by itself. */
  text: z.string(),
  /** The articles the draft cites, in the order of their numbers. */
  citations: z.array(DraftCitation),
  /** The visitor message the draft answers. */
  forMessageId: Id,
});
export type AnswerDraft = z.infer<typeof AnswerDraft>;
