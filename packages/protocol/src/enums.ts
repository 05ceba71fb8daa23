// Names of roles, states and kinds: defined here once and imported everywhere else.
import { z } from 'zod';

export const USER_ROLES = ['admin', 'supervisor', 'operator'] as const;
export const UserRole = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof UserRole>;

/**
 * Conversation state machine (docs/delivery.md):
 * bot → queued → offered → assigned → resolved, plus offline (nobody online, answered later) and pending.
 */
export const CONVERSATION_STATUSES = [
  'bot',
  'queued',
  'offered',
  'assigned',
  'pending',
  'offline',
  'resolved',
] as const;
export const ConversationStatus = z.enum(CONVERSATION_STATUSES);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

export const CHANNELS = [
  'widget',
  'api',
  'telegram',
  'whatsapp',
  'viber',
  'vk',
  'messenger',
  'email',
] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const AUTHOR_TYPES = ['visitor', 'operator', 'bot', 'system'] as const;
export const AuthorType = z.enum(AUTHOR_TYPES);
export type AuthorType = z.infer<typeof AuthorType>;

/** text: a normal message; note: internal, never shown to the visitor; event: a system event in the stream. */
export const MESSAGE_KINDS = ['text', 'note', 'event'] as const;
export const MessageKind = z.enum(MESSAGE_KINDS);
export type MessageKind = z.infer<typeof MessageKind>;

/** Every state change of a conversation is stored as one of these (analytics read them later). */
export const CONVERSATION_EVENT_TYPES = [
  'created',
  'queued',
  'offered',
  'missed',
  'assigned',
  'unassigned',
  'resolved',
  'reopened',
  'transferred',
  'escalated',
  'priority_changed',
  'contact_updated',
  'tag_added',
  'tag_removed',
  'rated',
  'went_offline',
  'closed_idle',
  // Language understanding (docs/nlu.md): the first message's intent; a visitor turned upset.
  'intent_detected',
  'sentiment_negative',
  'bot_started',
  'bot_handed_over',
  'bot_finished',
  // A visitor's "did this help?" on a knowledge answer (server/src/modules/knowledge/feedback.ts).
  'knowledge_feedback',
] as const;
export const ConversationEventType = z.enum(CONVERSATION_EVENT_TYPES);
export type ConversationEventType = z.infer<typeof ConversationEventType>;

export const API_SCOPES = [
  'conversations:read',
  'conversations:write',
  'messages:read',
  'messages:write',
  'contacts:read',
  'contacts:write',
  'files:write',
  'operators:read',
  'operators:write',
  'departments:write',
  'webhooks:read',
  'webhooks:write',
  'contacts:export',
  'contacts:erase',
  'settings:write',
  'audit:read',
  'knowledge:read',
  'knowledge:write',
  'reports:read',
] as const;
export const ApiScope = z.enum(API_SCOPES);
export type ApiScope = z.infer<typeof ApiScope>;
