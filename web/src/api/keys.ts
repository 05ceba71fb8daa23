// Query keys of the workspace's server state, in one place so the socket and the screens agree.
import type { ListFilter } from '../realtime/conversation-lists.js';

export const keys = {
  session: ['session'] as const,
  presence: ['presence'] as const,
  lists: ['conversations'] as const,
  list: (filter: ListFilter) => ['conversations', filter] as const,
  conversation: (id: string) => ['conversation', id] as const,
  history: (id: string) => ['history', id] as const,
  contact: (id: string) => ['contact', id] as const,
  routingOverview: ['routing-overview'] as const,
  counts: ['inbox-counts'] as const,
  tags: (conversationId: string) => ['tags', conversationId] as const,
  tagUsage: ['tag-usage'] as const,
  departments: ['departments'] as const,
  users: ['users'] as const,
  team: ['team'] as const,
  workspace: ['workspace'] as const,
  cannedResponses: (q: string) => ['canned-responses', q] as const,
  contactConversations: (contactId: string) => ['contact-conversations', contactId] as const,
  contactSearch: (q: string) => ['contact-search', q] as const,
};
