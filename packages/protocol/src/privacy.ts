// Data protection: everything about a contact as JSON, erasure, retention, and the admin audit log.
import { z } from 'zod';
import { CursorQuery, Id, Timestamp } from './common.js';
import { Contact } from './contacts.js';
import { Conversation } from './conversations.js';
import { CustomerCard } from './customer-cards.js';
import { Message } from './messages.js';

export const ExportedEvent = z.object({
  type: z.string(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: Timestamp,
});

export const ContactExport = z.object({
  exportedAt: Timestamp,
  contact: Contact,
  /** Contacts from other channels that were merged into this one. */
  mergedContactIds: z.array(Id),
  conversations: z.array(
    z.object({ conversation: Conversation, messages: z.array(Message), events: z.array(ExportedEvent) }),
  ),
  customerCard: CustomerCard.nullable(),
});
export type ContactExport = z.infer<typeof ContactExport>;

export const ErasureResult = z.object({
  contactId: Id,
  erasedAt: Timestamp,
  /** Contacts erased with it: the ones merged into it. */
  contactIds: z.array(Id),
  conversations: z.number().int().nonnegative(),
  messages: z.number().int().nonnegative(),
  files: z.number().int().nonnegative(),
});
export type ErasureResult = z.infer<typeof ErasureResult>;

export const RetentionSettings = z.object({
  /** Resolved conversations older than this are redacted; null keeps them forever. */
  resolvedConversationDays: z.number().int().nullable(),
  lastRunAt: Timestamp.nullable(),
  lastRunRedacted: z.number().int().nonnegative(),
});
export type RetentionSettings = z.infer<typeof RetentionSettings>;

export const RetentionSettingsInput = z.object({
  resolvedConversationDays: z.number().int().min(1).max(3650).nullable(),
});
export type RetentionSettingsInput = z.infer<typeof RetentionSettingsInput>;

export const AuditEntry = z.object({
  id: Id,
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }),
  /** What was done, in words (the endpoint's summary, or the job's). */
  action: z.string(),
  method: z.string().nullable(),
  route: z.string().nullable(),
  targetId: z.string().nullable(),
  statusCode: z.number().int().nullable(),
  data: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  createdAt: Timestamp,
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = CursorQuery.extend({
  actorId: z.string().max(100).optional(),
  q: z.string().trim().max(100).optional().describe('Words in the action or route'),
});
export type AuditQuery = z.infer<typeof AuditQuery>;
