// Fills a Frontline database with months of realistic history for one workspace: operators with
// shifts (status history), departments, contacts, conversations with their events and messages
// (daily and weekly rhythm, queue waits, replies, missed offers, abandoned and offline requests,
// tags, ratings) — and the analytics rows the live recorder would have kept for them, folded with
// the same code (server/src/modules/analytics/facts.ts).
//
// Conversations are generated in time order and every row's id is a UUIDv7 of its conversation's
// start with a running sequence, so each index on an id grows at its end instead of being written
// all over: that, and the bulk writer's big transactions, is what lets a million conversations with
// twenty million messages load in minutes.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { BOT_HANDOFF_REASONS as HANDOFF_REASONS } from '@frontline/protocol';
import {
  applyEvent,
  applyMessage,
  localBucket,
  newFact,
  type Fact,
} from '../../server/src/modules/analytics/facts.js';
import type { Database } from '../../server/src/storage/schema.js';
import { prng } from '../../server/src/modules/analytics/prng.js';
import type { BulkWriter } from './bulk.js';

export interface SeedOptions {
  conversations: number;
  /** Average text messages per conversation (visitor and operator together). */
  messagesPerConversation: number;
  operators: number;
  departments: number;
  days: number;
  timezone: string;
  /** Ends at this instant (default now). */
  end?: number;
  seed?: number;
  onProgress?: (done: number) => void;
}

const SYSTEM = { type: 'system', id: null as string | null };
const BOT = { type: 'api', id: 'bot:seed-flow' as string | null };

/**
 * What a bot flow and the language assistant write (docs/analytics.md, "Bot report"): the assistant
 * detects an intent in 30 % of conversations, a fifth of them non-target; 40 % start with a bot,
 * whose first run ends contained 45 %, handed over 35 % (reasons spread), else taken over by the
 * operator's assignment when one comes (running otherwise); 30 % of runs add a tag (a menu
 * choice). Returns whether the assistant found the request non-target.
 */
function botEvents(
  ev: (type: string, at: number, data: Record<string, unknown>, actor?: typeof SYSTEM) => string,
  at: number,
  random: () => number,
): boolean {
  const nonTarget = random() < 0.3 && random() < 0.2;
  if (nonTarget) ev('intent_detected', at, { intentId: 'seed-intent', action: 'non_target' });
  else if (random() < 0.24) ev('intent_detected', at, { intentId: 'seed-intent', action: 'route' });
  if (random() >= 0.4) return nonTarget;
  ev('bot_started', at, { flowId: 'seed-flow', version: 1 }, BOT);
  if (random() < 0.3) ev('tag_added', at + 200, { tag: 'menu' }, BOT);
  const roll = random();
  if (roll < 0.45) ev('bot_finished', at + 300, { reason: 'closed' }, BOT);
  else if (roll < 0.8) {
    const reason = HANDOFF_REASONS[Math.floor(random() * HANDOFF_REASONS.length)]!;
    ev('bot_handed_over', at + 300, { reason, departmentId: null }, BOT);
  }
  return nonTarget;
}

export interface SeedResult {
  workspaceId: string;
  adminEmail: string;
  conversations: number;
  messages: number;
  events: number;
  presenceEvents: number;
  from: string;
  to: string;
}

const CHANNELS = ['widget', 'widget', 'widget', 'telegram', 'telegram', 'whatsapp', 'vk', 'email'] as const;
const TOPICS = [
  'delivery',
  'payment',
  'refund',
  'order status',
  'account',
  'bug',
  'pricing',
  'returns',
  'warranty',
  'other',
];
const HOUR_WEIGHT = [1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 4, 6, 7, 7, 6, 6, 7, 7, 6, 5, 4, 4, 3, 3, 2, 1.5];
const WEEKDAY_WEIGHT = [1, 1, 1, 1, 0.95, 0.55, 0.45];

/** Conversations per transaction: big enough to amortise the commit, small enough to hold in memory. */
const BATCH_CONVERSATIONS = 2000;

/** Ids in the order they are made: UUIDv7 of the given instant and a running sequence. */
function orderedIds(): (at: number) => string {
  const random = randomBytes(16);
  let sequence = 0;
  return (at) => uuidv7({ msecs: at, seq: sequence++, random });
}

export async function seedHistory(writer: BulkWriter, options: SeedOptions): Promise<SeedResult> {
  const random = prng(options.seed ?? 42);
  const exp = (mean: number) => -Math.log(1 - random()) * mean;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const end = options.end ?? Date.now();
  const start = end - options.days * 86_400_000;
  const workspaceId = randomUUID();
  const orderedId = orderedIds();
  const adminEmail = `admin-${workspaceId.slice(0, 8)}@seed.local`;
  const workspace: Insertable<Database['workspaces']> = {
    id: workspaceId,
    name: 'Load seed',
    widget_key: `seed-${randomUUID()}`,
    visitor_token_secret: randomUUID(),
    default_locale: 'ru',
    allowed_origins: '[]',
    settings: '{}',
    created_at: start,
  };
  const settings: Insertable<Database['analytics_settings']> = {
    workspace_id: workspaceId,
    settings: JSON.stringify({ timezone: options.timezone, sla: {}, departmentSla: {}, alertRules: [] }),
    updated_at: start,
  };
  const departments = Array.from({ length: options.departments }, (_, i) => ({
    id: randomUUID(),
    workspace_id: workspaceId,
    name: `Department ${i + 1}`,
    created_at: start,
    strategy: 'least_busy',
    offer_timeout_seconds: 30,
    sticky_wait_seconds: 60,
    misses_before_away: 3,
    line_level: 1,
    escalates_to_id: null,
    business_hours: null,
  }));
  const operators = Array.from({ length: options.operators }, (_, i) => ({
    id: randomUUID(),
    workspace_id: workspaceId,
    email: i === 0 ? adminEmail : `op${i}-${workspaceId.slice(0, 8)}@seed.local`,
    name: `Operator ${i + 1}`,
    password_hash: 'seeded-no-login',
    role: i === 0 ? 'admin' : 'operator',
    locale: 'ru',
    created_at: start,
    disabled_at: null,
  }));
  await writer.write({
    workspaces: [workspace],
    analytics_settings: [settings],
    departments,
    users: operators,
  });

  // Shifts: each operator works five days of seven, about eight hours, with a break (away).
  let presenceEvents = 0;
  {
    const rows: Insertable<Database['presence_events']>[] = [];
    for (const [index, operator] of operators.entries()) {
      const shiftStartHour = 6 + (index % 4) * 3; // UTC 06, 09, 12, 15
      for (let day = 0; day < options.days; day++) {
        if ((day + index) % 7 >= 5) continue;
        const dayStart = start - (start % 86_400_000) + day * 86_400_000;
        const on = dayStart + shiftStartHour * 3_600_000 + Math.floor(exp(600_000));
        const breakAt = on + 4 * 3_600_000;
        const back = breakAt + 1_800_000 + Math.floor(exp(300_000));
        const off = on + 8.5 * 3_600_000 + Math.floor(exp(900_000));
        for (const [presence, at] of [
          ['online', on],
          ['away', breakAt],
          ['online', back],
          ['offline', off],
        ] as const) {
          if (at < start || at > end) continue;
          rows.push({
            id: randomUUID(),
            workspace_id: workspaceId,
            user_id: operator.id,
            presence,
            reason: 'manual',
            created_at: at,
          });
        }
      }
    }
    presenceEvents = rows.length;
    await writer.write({ presence_events: rows });
  }

  // Conversation start times: the hour-of-day and weekday rhythm, by rejection sampling.
  const maxWeight = Math.max(...HOUR_WEIGHT);
  const nextTime = (): number => {
    for (;;) {
      const at = start + Math.floor(random() * (end - start - 3_600_000));
      const local = localBucket(at, options.timezone);
      if (random() * maxWeight <= HOUR_WEIGHT[local.hour]! * WEEKDAY_WEIGHT[local.weekday]!) return at;
    }
  };
  const contactCount = Math.max(1, Math.floor(options.conversations / 1.6));
  const contactIds: string[] = [];
  const lastStarts = new Map<string, number>();
  let messages = 0;
  let events = 0;
  let done = 0;
  // All start times first, then the conversations in time order: ids grow, and whether a contact
  // writes for the first time is decided in the order the conversations happened.
  const allTimes = Float64Array.from({ length: options.conversations }, nextTime).sort();
  while (done < options.conversations) {
    const batch = Math.min(BATCH_CONVERSATIONS, options.conversations - done);
    const times = allTimes.subarray(done, done + batch);
    const contacts: Insertable<Database['contacts']>[] = [];
    const conversations: Insertable<Database['conversations']>[] = [];
    const eventRows: Insertable<Database['conversation_events']>[] = [];
    const messageRows: Insertable<Database['messages']>[] = [];
    const facts: Fact[] = [];
    const tags: Insertable<Database['analytics_tags']>[] = [];
    const misses: Insertable<Database['analytics_offer_misses']>[] = [];
    const conversationTags: Insertable<Database['conversation_tags']>[] = [];
    for (const createdAt of times) {
      // Returning contacts: most conversations come from someone new, the rest from earlier ones.
      let contactId: string;
      if (contactIds.length > 0 && (contactIds.length >= contactCount || random() < 0.35))
        contactId = pick(contactIds);
      else {
        contactId = orderedId(createdAt);
        contactIds.push(contactId);
        contacts.push({
          id: contactId,
          workspace_id: workspaceId,
          name: null,
          email: null,
          phone: null,
          external_id: null,
          attributes: '{}',
          metadata: '{}',
          search_text: '',
          created_at: createdAt,
          updated_at: createdAt,
        });
      }
      const id = orderedId(createdAt);
      const channel = pick(CHANNELS);
      const department = random() < 0.9 ? pick(departments).id : null;
      const roll = random();
      const kind = roll < 0.85 ? 'answered' : roll < 0.9 ? 'abandoned' : roll < 0.94 ? 'ignored' : 'offline';
      const source = channel === 'widget' && random() < 0.3 ? 'proactive' : 'visitor';
      const operator = kind === 'answered' || kind === 'ignored' ? pick(operators).id : null;
      const fact = newFact({
        conversationId: id,
        workspaceId,
        contactId,
        channel,
        departmentId: department,
        source,
        createdAt,
        previousAt: lastStarts.get(contactId) ?? null,
        timezone: options.timezone,
      });
      lastStarts.set(contactId, createdAt);
      const ev = (type: string, at: number, data: Record<string, unknown>, actor = SYSTEM) => {
        eventRows.push({
          id: orderedId(createdAt),
          workspace_id: workspaceId,
          conversation_id: id,
          type,
          actor_type: actor.type,
          actor_id: actor.id,
          data: JSON.stringify(data),
          created_at: at,
        });
        applyEvent(fact, { type, created_at: at, actor_type: actor.type, actor_id: actor.id, data });
        return eventRows.at(-1)!.id;
      };
      let seq = 0;
      const msg = (author: 'visitor' | 'operator', at: number) => {
        seq += 1;
        messageRows.push({
          id: orderedId(createdAt),
          workspace_id: workspaceId,
          conversation_id: id,
          seq,
          client_msg_id: `seed-${id}-${seq}`,
          author_type: author,
          author_id: author === 'operator' ? operator : contactId,
          author_name: null,
          kind: 'text',
          text:
            author === 'visitor' ? 'Здравствуйте, у меня вопрос по заказу' : 'Добрый день! Сейчас проверю.',
          attachments: '[]',
          event: null,
          content: '{}',
          search_text: '',
          created_at: at,
        });
        applyMessage(fact, { author_type: author, kind: 'text', created_at: at });
      };
      ev('created', createdAt, { source });
      let t = createdAt;
      if (kind === 'offline') ev('went_offline', t, { reason: 'no_operators' });
      else ev('queued', t, {});
      msg('visitor', t + 500);
      const nonTarget = botEvents(ev, t + 600, random);
      if (operator && random() < 0.06) {
        const other = pick(operators).id;
        ev('offered', t + 1000, { to: other });
        const eventId = ev('missed', t + 31_000, { operatorId: other });
        misses.push({
          event_id: eventId,
          workspace_id: workspaceId,
          operator_id: other,
          conversation_id: id,
          local_day: localBucket(t + 31_000, options.timezone).day,
        });
        t += 31_000;
      }
      if (operator) {
        t += 1000 + Math.floor(exp(15_000));
        ev('offered', t - 500, { to: operator });
        ev('assigned', t, { from: 'offered', assignee_id: operator });
      }
      if (kind === 'answered') {
        const count = Math.max(2, Math.round(options.messagesPerConversation * (0.5 + random())));
        t += 2000 + Math.floor(exp(12_000));
        msg('operator', t);
        for (let i = 2; i < count; i++) {
          const author = i % 2 === 0 ? 'visitor' : 'operator';
          t += Math.floor(exp(author === 'visitor' ? 40_000 : 25_000)) + 1000;
          msg(author, t);
        }
        if (random() < 0.5) {
          const tag = pick(TOPICS);
          tags.push({
            conversation_id: id,
            tag,
            workspace_id: workspaceId,
            local_day: localBucket(createdAt + 5000, options.timezone).day,
            added_at: createdAt + 5000,
          });
          conversationTags.push({
            workspace_id: workspaceId,
            conversation_id: id,
            tag,
            created_by: operator,
            created_at: createdAt + 5000,
          });
          ev('tag_added', createdAt + 5000, { tag });
        }
      } else if (kind !== 'offline') {
        t += Math.floor(exp(kind === 'abandoned' ? 90_000 : 300_000));
      }
      const resolvedAt = t + 30_000 + Math.floor(exp(120_000));
      // Half the non-target requests nobody answered are closed by the assistant.
      const closedByBot = nonTarget && kind !== 'answered' && random() < 0.5;
      if (kind !== 'offline' || random() < 0.8)
        ev('resolved', resolvedAt, closedByBot ? { by: 'bot' } : { from: 'assigned' });
      if (kind === 'answered' && random() < 0.4) {
        const rating = random() < 0.85 ? 'good' : 'bad';
        ev('rated', resolvedAt + 20_000, {
          rating,
          comment: random() < 0.3 ? (rating === 'good' ? 'Спасибо, быстро!' : 'Долго ждал ответа') : '',
        });
      }
      conversations.push({
        id,
        workspace_id: workspaceId,
        contact_id: contactId,
        channel,
        status: fact.resolved_at === null ? 'offline' : 'resolved',
        department_id: department,
        assignee_id: operator,
        last_seq: seq,
        last_message_at: t,
        last_message_preview: null,
        visitor_last_read_seq: seq,
        operator_last_read_seq: seq,
        activity_at: t,
        created_at: createdAt,
        updated_at: t,
        resolved_at: fact.resolved_at,
        queued_at: null,
        offered_to: null,
        offer_expires_at: null,
        waiting_since: null,
      });
      facts.push(fact);
    }
    await writer.write({
      contacts,
      conversations,
      conversation_events: eventRows,
      messages: messageRows,
      conversation_tags: conversationTags,
      analytics_conversations: facts,
      analytics_tags: tags,
      analytics_offer_misses: misses,
    });
    messages += messageRows.length;
    events += eventRows.length;
    done += batch;
    options.onProgress?.(done);
  }
  return {
    workspaceId,
    adminEmail,
    conversations: done,
    messages,
    events,
    presenceEvents,
    from: localBucket(start, options.timezone).day,
    to: localBucket(end, options.timezone).day,
  };
}
