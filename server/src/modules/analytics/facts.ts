// One row of figures per conversation, folded from its events and messages in time order. The same
// fold runs incrementally (one event or message at a time, in the writing transaction) and when the
// facts are rebuilt from the whole log, so both give the same numbers.
import type { AnalyticsConversationsTable } from '../../storage/schema.js';
import { localTime, WEEKDAYS } from '../routing/business-hours.js';

export type Fact = AnalyticsConversationsTable;

export interface FactEvent {
  type: string;
  created_at: number;
  data: Record<string, unknown>;
}

export interface FactMessage {
  author_type: string;
  kind: string;
  created_at: number;
}

export interface FactOrigin {
  conversationId: string;
  workspaceId: string;
  contactId: string;
  channel: string;
  departmentId: string | null;
  source: string;
  createdAt: number;
  /** When the contact's previous conversation started; null for their first. */
  previousAt: number | null;
  timezone: string;
}

/** Local calendar day, hour (0–23) and weekday (0 = Monday) of an instant in the zone. */
export function localBucket(at: number, timezone: string): { day: string; hour: number; weekday: number } {
  const local = localTime(new Date(at), timezone);
  return { day: local.date, hour: Math.floor(local.minutes / 60), weekday: WEEKDAYS.indexOf(local.weekday) };
}

export function newFact(origin: FactOrigin): Fact {
  const bucket = localBucket(origin.createdAt, origin.timezone);
  return {
    conversation_id: origin.conversationId,
    workspace_id: origin.workspaceId,
    contact_id: origin.contactId,
    channel: origin.channel,
    source: origin.source,
    department_id: origin.departmentId,
    operator_id: null,
    created_at: origin.createdAt,
    local_day: bucket.day,
    local_hour: bucket.hour,
    local_weekday: bucket.weekday,
    first_time: origin.previousAt === null ? 1 : 0,
    previous_at: origin.previousAt,
    queued_at: null,
    queue_ms: null,
    first_reply_ms: null,
    waiting_since: null,
    reply_ms_total: 0,
    reply_count: 0,
    resolved_at: null,
    resolution_ms: null,
    visitor_messages: 0,
    operator_messages: 0,
    offer_misses: 0,
    offline: 0,
    unanswered: 0,
    abandoned: 0,
    missed_wait_ms: null,
    rating: null,
    rating_comment: null,
    rated_at: null,
  };
}

/** Event types that change a fact (tags are kept in their own table). */
export const FACT_EVENTS = new Set([
  'queued',
  'reopened',
  'assigned',
  'transferred',
  'bot_handed_over',
  'missed',
  'resolved',
  'went_offline',
  'rated',
]);

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Applies one event; returns the same object, changed. */
export function applyEvent(fact: Fact, event: FactEvent): Fact {
  const at = event.created_at;
  switch (event.type) {
    case 'queued':
    case 'reopened':
      fact.queued_at ??= at;
      break;
    case 'assigned': {
      fact.operator_id = text(event.data.assignee_id) ?? fact.operator_id;
      if (fact.queue_ms === null && fact.queued_at !== null) fact.queue_ms = at - fact.queued_at;
      break;
    }
    case 'transferred':
      fact.department_id = text(event.data.departmentId) ?? fact.department_id;
      fact.operator_id = text(event.data.assignee_id) ?? fact.operator_id;
      break;
    case 'bot_handed_over':
      // The department the flow handed the conversation to.
      fact.department_id = text(event.data.departmentId) ?? fact.department_id;
      break;
    case 'missed':
      fact.offer_misses += 1;
      break;
    case 'went_offline':
      fact.offline = 1;
      break;
    case 'resolved': {
      if (fact.resolved_at === null) {
        fact.resolved_at = at;
        fact.resolution_ms = at - fact.created_at;
      }
      const unanswered = fact.first_reply_ms === null && fact.offline === 0;
      fact.unanswered = unanswered ? 1 : 0;
      fact.abandoned = unanswered && fact.queue_ms === null ? 1 : 0;
      fact.missed_wait_ms = unanswered ? at - fact.created_at : null;
      fact.waiting_since = null;
      break;
    }
    case 'rated':
      fact.rating = text(event.data.rating);
      fact.rating_comment = text(event.data.comment) ?? '';
      fact.rated_at = at;
      break;
  }
  return fact;
}

/** Only visitors' and operators' text messages count (not notes, system events or bots). */
export function countsMessage(message: FactMessage): boolean {
  return message.kind === 'text' && (message.author_type === 'visitor' || message.author_type === 'operator');
}

export function applyMessage(fact: Fact, message: FactMessage): Fact {
  const at = message.created_at;
  if (!countsMessage(message)) return fact;
  if (message.author_type === 'visitor') {
    fact.visitor_messages += 1;
    fact.waiting_since ??= at;
    return fact;
  }
  fact.operator_messages += 1;
  fact.first_reply_ms ??= at - fact.created_at;
  if (fact.waiting_since !== null) {
    fact.reply_ms_total += at - fact.waiting_since;
    fact.reply_count += 1;
    fact.waiting_since = null;
  }
  if (fact.unanswered) {
    fact.unanswered = 0;
    fact.abandoned = 0;
    fact.missed_wait_ms = null;
  }
  return fact;
}
