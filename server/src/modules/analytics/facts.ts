// One row of figures per conversation, folded from its events and messages in time order. The same
// fold runs incrementally (one event or message at a time, in the writing transaction) and when the
// facts are rebuilt from the whole log, so both give the same numbers.
import { BOT_HANDOFF_REASONS } from '@frontline/protocol';
import type { AnalyticsConversationsTable } from '../../storage/schema.js';
import { localTime, WEEKDAYS } from '../routing/business-hours.js';

export type Fact = AnalyticsConversationsTable;

export interface FactEvent {
  type: string;
  created_at: number;
  actor_type: string;
  actor_id: string | null;
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
    bot_started_at: null,
    bot_finished_at: null,
    bot_handed_at: null,
    bot_handoff_reason: null,
    bot_taken_at: null,
    bot_chose: 0,
    intent_detected: 0,
    non_target: 0,
    non_target_closed: 0,
  };
}

/** Event types that may change a fact (tags are kept in their own table; a bot's tag marks a choice). */
const FACT_EVENTS = new Set([
  'queued',
  'reopened',
  'assigned',
  'transferred',
  'bot_started',
  'bot_finished',
  'bot_handed_over',
  'tag_added',
  'intent_detected',
  'missed',
  'resolved',
  'went_offline',
  'rated',
]);

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const earliest = (known: number | null, at: number): number => (known === null ? at : Math.min(known, at));

/**
 * The first hand-off's reason; of hand-offs in the same millisecond, the one listed first in
 * BOT_HANDOFF_REASONS (a reason outside the list counts as none).
 */
function handOff(fact: Fact, at: number, reason: string | null): void {
  const rank = (r: string | null) => {
    const index = BOT_HANDOFF_REASONS.indexOf(r as (typeof BOT_HANDOFF_REASONS)[number]);
    return index < 0 ? BOT_HANDOFF_REASONS.length : index;
  };
  if (fact.bot_handed_at === null || at < fact.bot_handed_at) {
    fact.bot_handed_at = at;
    fact.bot_handoff_reason = rank(reason) < BOT_HANDOFF_REASONS.length ? reason : null;
  } else if (at === fact.bot_handed_at && rank(reason) < rank(fact.bot_handoff_reason)) {
    fact.bot_handoff_reason = reason;
  }
}

/** A bot's own actions are made through the API in its name, actor id bot:<flow> (bots/service.ts). */
const byBot = (event: Pick<FactEvent, 'actor_type' | 'actor_id'>): boolean =>
  event.actor_type === 'api' && (event.actor_id ?? '').startsWith('bot:');

/** Whether the event can change a fact: only then is the fact read (another's tag cannot). */
export function changesFact(event: Pick<FactEvent, 'type' | 'actor_type' | 'actor_id'>): boolean {
  return FACT_EVENTS.has(event.type) && (event.type !== 'tag_added' || byBot(event));
}

/** Applies one event; returns the same object, changed. */
export function applyEvent(fact: Fact, event: FactEvent): Fact {
  const at = event.created_at;
  switch (event.type) {
    case 'queued':
    case 'reopened':
      fact.queued_at ??= at;
      break;
    case 'assigned': {
      // An operator's assignment after the bot started takes the conversation over from it.
      if (fact.bot_started_at !== null && at >= fact.bot_started_at)
        fact.bot_taken_at = earliest(fact.bot_taken_at, at);
      fact.operator_id = text(event.data.assignee_id) ?? fact.operator_id;
      if (fact.queue_ms === null && fact.queued_at !== null) fact.queue_ms = at - fact.queued_at;
      break;
    }
    case 'transferred':
      fact.department_id = text(event.data.departmentId) ?? fact.department_id;
      fact.operator_id = text(event.data.assignee_id) ?? fact.operator_id;
      break;
    case 'bot_started':
      fact.bot_started_at = earliest(fact.bot_started_at, at);
      break;
    case 'bot_finished':
      fact.bot_finished_at = earliest(fact.bot_finished_at, at);
      break;
    case 'bot_handed_over':
      handOff(fact, at, text(event.data.reason));
      // The department the flow handed the conversation to.
      fact.department_id = text(event.data.departmentId) ?? fact.department_id;
      break;
    case 'tag_added':
      if (byBot(event)) fact.bot_chose = 1;
      break;
    case 'intent_detected':
      fact.intent_detected = 1;
      if (event.data.action === 'non_target') fact.non_target = 1;
      break;
    case 'missed':
      fact.offer_misses += 1;
      break;
    case 'went_offline':
      fact.offline = 1;
      break;
    case 'resolved': {
      if (event.actor_type === 'system' && event.data.by === 'bot') fact.non_target_closed = 1;
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
