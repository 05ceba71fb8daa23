// Which inbox queue a conversation belongs in, and how a live update changes a loaded list. Pure:
// the socket's conversations:updated feeds these; the queue definitions mirror the server's
// (server/src/modules/conversations/repo.ts, queuePredicate), which decides on every reload.
import type { Channel, Conversation, InboxQueue, ReadNotice } from '@frontline/protocol';
import { RECENT_WINDOW_MS } from '../api/constants.js';

/** The queues in the order the sidebar shows them. */
export const QUEUES = [
  'awaiting',
  'mine',
  'offline',
  'common',
  'other',
  'recent',
] as const satisfies readonly InboxQueue[];

/** A queue of the sidebar, or a search across every conversation. */
export type ListScope = InboxQueue | 'search';

export interface ListFilter {
  scope: ListScope;
  q: string;
  channel: Channel | '';
  tag: string;
}

/** Who is looking: the queues are relative to the operator and their departments. */
export interface Viewer {
  me: string;
  departmentIds: readonly string[];
}

/** Enough rows to fill two screens; the list is virtualised, so more pages cost little to show. */
export const LIST_PAGE_SIZE = 100;

export function queryOf(filter: ListFilter, cursor: string | null): string {
  const params = new URLSearchParams({ limit: String(LIST_PAGE_SIZE) });
  if (filter.scope !== 'search') params.set('queue', filter.scope);
  if (filter.q.trim()) params.set('q', filter.q.trim());
  if (filter.channel) params.set('channel', filter.channel);
  if (filter.tag) params.set('tag', filter.tag);
  if (cursor) params.set('cursor', cursor);
  return params.toString();
}

const isCommon = (c: Conversation, viewer: Viewer) =>
  c.status === 'queued' &&
  c.assigneeId === null &&
  (c.departmentId === null || viewer.departmentIds.includes(c.departmentId));

export function belongsIn(c: Conversation, queue: InboxQueue, viewer: Viewer, now: number): boolean {
  const mine = c.assigneeId === viewer.me;
  switch (queue) {
    case 'awaiting':
      return mine && (c.status === 'offered' || c.status === 'assigned') && c.waitingSince !== null;
    case 'mine':
      return mine && c.status !== 'resolved';
    case 'offline':
      return c.status === 'offline';
    case 'common':
      return isCommon(c, viewer);
    case 'other':
      return c.status !== 'resolved' && c.status !== 'offline' && !mine && !isCommon(c, viewer);
    case 'recent':
      return c.status === 'resolved' && (c.resolvedAt ?? 0) >= now - RECENT_WINDOW_MS;
  }
}

export const lastActivity = (c: Conversation) => c.lastMessageAt ?? c.createdAt;

/** Filters only the server can evaluate (words, tags): a live update never adds to such a list. */
const serverOnly = (filter: ListFilter) => filter.q.trim() !== '' || filter.tag !== '';

function matches(c: Conversation, filter: ListFilter, viewer: Viewer, now: number): boolean {
  if (filter.channel && c.channel !== filter.channel) return false;
  return filter.scope === 'search' || belongsIn(c, filter.scope, viewer, now);
}

/**
 * The list after a live update: replaced in place, removed when it no longer belongs, added at its
 * place when it newly does (not for searches and tag filters, which only the server can evaluate).
 */
export function applyUpdate(
  items: readonly Conversation[],
  update: Conversation,
  filter: ListFilter,
  viewer: Viewer,
  now = Date.now(),
): Conversation[] {
  const rest = items.filter((c) => c.id !== update.id);
  const wasListed = rest.length !== items.length;
  if (!matches(update, filter, viewer, now) || (!wasListed && serverOnly(filter))) return rest;
  return [...rest, update].sort((a, b) => lastActivity(b) - lastActivity(a) || b.id.localeCompare(a.id));
}

/**
 * The newer of two copies of a conversation (a socket update can overtake an action's response).
 * Read marks are kept at the furthest either copy knows: they only move forward.
 */
export function newerOf(held: Conversation, incoming: Conversation): Conversation {
  if (incoming.updatedAt < held.updatedAt) return held;
  return {
    ...incoming,
    visitorLastReadSeq: Math.max(held.visitorLastReadSeq, incoming.visitorLastReadSeq),
    operatorLastReadSeq: Math.max(held.operatorLastReadSeq, incoming.operatorLastReadSeq),
  };
}

/** Read marks only move forward, on either side. */
export function withRead(conversation: Conversation, notice: ReadNotice): Conversation {
  const field = notice.by === 'visitor' ? 'visitorLastReadSeq' : 'operatorLastReadSeq';
  return notice.seq > conversation[field] ? { ...conversation, [field]: notice.seq } : conversation;
}

/** Something arrived since operators last read it; resolved ones are done and never call for attention. */
export function isUnread(conversation: Conversation): boolean {
  return conversation.status !== 'resolved' && conversation.lastSeq > conversation.operatorLastReadSeq;
}
