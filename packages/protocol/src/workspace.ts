// What the operator workspace adds on top of conversations: the inbox queues and their counters,
// tags, canned responses, handing a conversation to a colleague, and managing the team.
import { z } from 'zod';
import { Id, Locale, Timestamp } from './common.js';
import { Channel, UserRole } from './enums.js';

/**
 * The queues of the inbox sidebar (Webim's screen), each a server-side filter of conversations:
 * awaiting: mine (assigned or offered to me) with a visitor message not yet answered;
 * mine: assigned or offered to me and not resolved;
 * offline: offline requests (nobody was online), waiting for an answer;
 * common: queued for my departments (or for none), nobody's yet;
 * other: open but neither mine nor in my common queue (colleagues', other departments');
 * recent: resolved, newest first (counted over the last RECENT_WINDOW_MS).
 */
export const INBOX_QUEUES = ['awaiting', 'mine', 'offline', 'common', 'other', 'recent'] as const;
export const InboxQueue = z.enum(INBOX_QUEUES);
export type InboxQueue = z.infer<typeof InboxQueue>;

/** "Recent" counts conversations resolved within this window. */
export const RECENT_WINDOW_MS = 24 * 60 * 60 * 1000;

export const InboxCounts = z.record(InboxQueue, z.number().int().nonnegative());
export type InboxCounts = z.infer<typeof InboxCounts>;

export const TAG_MAX_CHARS = 50;
/** Tags are kept lowercased and trimmed, so "Delivery" and "delivery " are one tag. */
export const TagName = z
  .string()
  .trim()
  .min(1, 'A tag needs at least one character')
  .max(TAG_MAX_CHARS, `A tag holds at most ${TAG_MAX_CHARS} characters`)
  .regex(/^[^,]+$/, 'A tag cannot contain commas')
  .transform((tag) => tag.toLowerCase());

export const TagRequest = z.object({ tag: TagName });
export type TagRequest = z.input<typeof TagRequest>;

export const ConversationTags = z.object({ conversationId: Id, tags: z.array(z.string()) });
export type ConversationTags = z.infer<typeof ConversationTags>;

export const TagUsage = z.object({ tag: z.string(), count: z.number().int().nonnegative() });
export type TagUsage = z.infer<typeof TagUsage>;

/** Filters the inbox adds to the conversation list (beside status, assignee and q). */
export const InboxListQuery = z.object({
  queue: InboxQueue.optional(),
  channel: Channel.optional(),
  tag: z.string().trim().min(1).max(TAG_MAX_CHARS).optional(),
});

/** Hands the conversation to a colleague; the note reaches them (and only the team) as an internal note. */
export const HandoverRequest = z.object({
  assigneeId: Id,
  note: z.string().trim().max(2000).default(''),
});
export type HandoverRequest = z.input<typeof HandoverRequest>;

export const CANNED_SHORTCUT_MAX_CHARS = 40;
export const CannedResponseInput = z.object({
  locale: Locale,
  shortcut: z
    .string()
    .trim()
    .min(1)
    .max(CANNED_SHORTCUT_MAX_CHARS)
    .regex(
      /^[\p{L}\p{N}_-]+$/u,
      'A shortcut is one word: letters, digits, "_" and "-" (typed after "/" in the composer)',
    )
    .transform((s) => s.toLowerCase()),
  title: z.string().trim().min(1).max(120),
  text: z.string().trim().min(1).max(5000),
});
export type CannedResponseInput = z.input<typeof CannedResponseInput>;
export const CannedResponsePatch = CannedResponseInput.partial();

export const CannedResponse = z.object({
  id: Id,
  locale: Locale,
  shortcut: z.string(),
  title: z.string(),
  text: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type CannedResponse = z.infer<typeof CannedResponse>;

export const CannedResponseQuery = z.object({
  q: z.string().trim().max(100).optional().describe('Words of the shortcut, title or text'),
  locale: Locale.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type CannedResponseQuery = z.infer<typeof CannedResponseQuery>;

/** The variables a canned response may use; anything else in {{ }} is left as written. */
export const CANNED_VARIABLES = ['contact.name', 'contact.email', 'operator.name', 'workspace.name'] as const;

/** A person of the team as the admin pages show them: account, routing settings and departments. */
export const TeamMember = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  role: UserRole,
  locale: Locale,
  disabled: z.boolean(),
  capacity: z.number().int(),
  presence: z.enum(['online', 'away', 'offline']),
  departmentIds: z.array(Id),
  createdAt: Timestamp,
});
export type TeamMember = z.infer<typeof TeamMember>;

/** An admin's change to a colleague: account, routing settings, departments. */
export const TeamMemberPatch = z.object({
  name: z.string().trim().min(1).max(120).optional(),
  role: UserRole.optional(),
  disabled: z.boolean().optional(),
  capacity: z.number().int().min(0).max(100).optional(),
  departmentIds: z.array(Id).max(200).optional(),
});
export type TeamMemberPatch = z.infer<typeof TeamMemberPatch>;

/**
 * Adds a person to the team. Frontline sends no e-mail yet: the answer carries a first password
 * for the admin to pass on, shown once.
 */
export const InviteRequest = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(120),
  role: UserRole.default('operator'),
  locale: Locale.default('ru'),
  capacity: z.number().int().min(0).max(100).default(5),
  departmentIds: z.array(Id).max(200).default([]),
});
export type InviteRequest = z.input<typeof InviteRequest>;

export const InvitedMember = z.object({ member: TeamMember, password: z.string() });
export type InvitedMember = z.infer<typeof InvitedMember>;
