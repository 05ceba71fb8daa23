// Conversations: the list the workspace shows, filters and state actions.
import { z } from 'zod';
import { CursorQuery, Id, Timestamp } from './common.js';
import { Channel, ConversationStatus } from './enums.js';
import { Priority } from './routing.js';
import { InboxListQuery } from './workspace.js';

export const ContactSummary = z.object({
  id: Id,
  name: z.string().nullable(),
  email: z.string().nullable(),
});

export const Conversation = z.object({
  id: Id,
  channel: Channel,
  status: ConversationStatus,
  contact: ContactSummary,
  departmentId: Id.nullable(),
  assigneeId: Id.nullable(),
  priority: Priority,
  /** Seq of the newest message; a client holding less has something to fetch. */
  lastSeq: z.number().int().nonnegative(),
  lastMessageAt: Timestamp.nullable(),
  lastMessagePreview: z.string().nullable(),
  visitorLastReadSeq: z.number().int().nonnegative(),
  operatorLastReadSeq: z.number().int().nonnegative(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  resolvedAt: Timestamp.nullable(),
  /** Since when a visitor's message waits for the team's reply; null when answered. */
  waitingSince: Timestamp.nullable(),
});
export type Conversation = z.infer<typeof Conversation>;

export const ConversationListQuery = CursorQuery.extend({
  status: z
    .union([ConversationStatus, z.literal('open')])
    .optional()
    .describe('A status, or "open" for every status but resolved'),
  assignee: z
    .union([z.literal('me'), z.literal('none'), Id])
    .optional()
    .describe('"me", "none" (unassigned) or an operator id'),
  departmentId: Id.optional(),
  contactId: Id.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('Words in messages, contact name, e-mail or phone'),
}).extend(InboxListQuery.shape);
export type ConversationListQuery = z.infer<typeof ConversationListQuery>;

export const AssignRequest = z.object({ assigneeId: Id.nullable() });

/** To another department (or line: escalation), back into its queue; the reason stays in the history. */
export const TransferRequest = z.object({
  departmentId: Id,
  reason: z.string().trim().min(1, 'Say why, for the next operator and the history').max(500),
});
export type TransferRequest = z.infer<typeof TransferRequest>;

export const EscalateRequest = z.object({ reason: TransferRequest.shape.reason });
export const SetPriorityRequest = z.object({ priority: Priority });
export type AssignRequest = z.infer<typeof AssignRequest>;
