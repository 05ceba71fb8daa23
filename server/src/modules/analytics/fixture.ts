// A small generated event log for the report tests: conversations around the spring DST change in
// Europe/Berlin, written straight into the tables (as history would be), with the answers each
// report should give computed here from the plan, independently of the analytics code.
import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { Database, MessagesTable } from '../../storage/schema.js';
import { prng } from './prng.js';

export const FIXTURE_ZONE = 'Europe/Berlin';
/** From Friday 2026-03-27 00:00 to Tuesday 2026-03-31 00:00 Berlin time (clocks go forward on Sunday the 29th). */
const START = Date.parse('2026-03-26T23:00:00Z');
const END = Date.parse('2026-03-30T22:00:00Z');

export type PlanKind = 'answered' | 'abandoned' | 'ignored' | 'offline';

export interface PlannedConversation {
  id: string;
  contactId: string;
  kind: PlanKind;
  createdAt: number;
  /** Local day and hour in Berlin, by a formatter of the test's own. */
  day: string;
  hour: number;
  channel: 'widget' | 'telegram';
  departmentId: string | null;
  operatorId: string | null;
  missedBy: string | null;
  queueMs: number | null;
  firstReplyMs: number | null;
  replyIntervals: number[];
  resolutionMs: number | null;
  visitorMessages: number;
  operatorMessages: number;
  rating: 'good' | 'bad' | null;
  comment: string;
  tag: string | null;
  firstTime: boolean;
  source: 'visitor' | 'proactive';
}

const dayFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: FIXTURE_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const hourFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: FIXTURE_ZONE,
  hour: 'numeric',
  hourCycle: 'h23',
});

export interface FixtureIds {
  workspaceId: string;
  operatorA: string;
  operatorB: string;
  departmentA: string;
  departmentB: string;
}

export function planFixture(ids: FixtureIds, count = 60, seed = 7): PlannedConversation[] {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const contacts = Array.from({ length: Math.ceil(count * 0.7) }, () => randomUUID());
  const seen = new Set<string>();
  const times = Array.from({ length: count }, () => Math.floor(START + random() * (END - START - 3_600_000)));
  // A conversation exactly at the DST jump (02:00 CET does not exist; 01:00Z is 03:00 CEST).
  times[0] = Date.parse('2026-03-29T01:00:00Z');
  times[1] = Date.parse('2026-03-29T00:59:59Z');
  times.sort((a, b) => a - b);
  return times.map((createdAt) => {
    const contactId = pick(contacts);
    const firstTime = !seen.has(contactId);
    seen.add(contactId);
    const kind = pick([
      'answered',
      'answered',
      'answered',
      'answered',
      'abandoned',
      'ignored',
      'offline',
    ] as const);
    const operatorId =
      kind === 'answered' || kind === 'ignored' ? pick([ids.operatorA, ids.operatorB]) : null;
    const queueMs = operatorId ? 1000 + Math.floor(random() * 59_000) : null;
    const firstReplyMs = kind === 'answered' ? (queueMs ?? 0) + 2000 + Math.floor(random() * 40_000) : null;
    const secondReply = 1000 + Math.floor(random() * 20_000);
    const resolutionMs =
      kind === 'offline' ? null : (firstReplyMs ?? 60_000) + 600_000 + Math.floor(random() * 600_000);
    const rating = kind === 'answered' ? pick(['good', 'good', 'bad', null] as const) : null;
    return {
      id: randomUUID(),
      contactId,
      kind,
      createdAt,
      day: dayFormat.format(createdAt),
      hour: Number(hourFormat.format(createdAt)),
      channel: pick(['widget', 'telegram'] as const),
      departmentId: pick([ids.departmentA, ids.departmentB, null]),
      operatorId,
      missedBy:
        operatorId && random() < 0.3 ? (operatorId === ids.operatorA ? ids.operatorB : ids.operatorA) : null,
      queueMs,
      firstReplyMs,
      // The visitor writes 1 s after opening; the operator's first reply answers it, and a second
      // visitor message 10 s later is answered after `secondReply`.
      replyIntervals: firstReplyMs === null ? [] : [firstReplyMs - 1000, secondReply],
      resolutionMs,
      visitorMessages: firstReplyMs === null ? 1 : 2,
      operatorMessages: firstReplyMs === null ? 0 : 2,
      rating,
      comment: rating === 'bad' ? 'Too slow' : rating === 'good' ? '=cmd|thanks' : '',
      tag: kind === 'answered' ? pick(['billing', 'delivery', null]) : null,
      firstTime,
      source: random() < 0.25 ? 'proactive' : 'visitor',
    };
  });
}

/** An event of a written history; `actor` defaults to the system. */
export interface HistoryEvent {
  type: string;
  at: number;
  data: object;
  actor?: readonly [type: string, id: string | null];
}

/** Contacts with nothing but their id, as a history's conversations need them. */
export async function insertHistoryContacts(
  db: Kysely<Database>,
  workspaceId: string,
  contactIds: string[],
  at: number,
): Promise<void> {
  await db
    .insertInto('contacts')
    .values(
      contactIds.map((id) => ({
        id,
        workspace_id: workspaceId,
        name: null,
        email: null,
        phone: null,
        external_id: null,
        attributes: '{}',
        metadata: '{}',
        search_text: '',
        created_at: at,
        updated_at: at,
      })),
    )
    .execute();
}

/** A conversation row as its history left it, and that history's events. */
export async function insertHistoryConversation(
  db: Kysely<Database>,
  conversation: {
    id: string;
    workspaceId: string;
    contactId: string;
    channel: string;
    status: string;
    departmentId: string | null;
    assigneeId: string | null;
    lastSeq: number;
    createdAt: number;
    resolvedAt: number | null;
  },
  events: HistoryEvent[],
): Promise<void> {
  const c = conversation;
  await db
    .insertInto('conversations')
    .values({
      id: c.id,
      workspace_id: c.workspaceId,
      contact_id: c.contactId,
      channel: c.channel,
      status: c.status,
      department_id: c.departmentId,
      assignee_id: c.assigneeId,
      last_seq: c.lastSeq,
      last_message_at: null,
      last_message_preview: null,
      visitor_last_read_seq: 0,
      operator_last_read_seq: 0,
      activity_at: c.createdAt,
      created_at: c.createdAt,
      updated_at: c.createdAt,
      resolved_at: c.resolvedAt,
      queued_at: null,
      offered_to: null,
      offer_expires_at: null,
      waiting_since: null,
    })
    .execute();
  await db
    .insertInto('conversation_events')
    .values(
      events.map((e) => ({
        id: randomUUID(),
        workspace_id: c.workspaceId,
        conversation_id: c.id,
        type: e.type,
        actor_type: e.actor?.[0] ?? 'system',
        actor_id: e.actor?.[1] ?? null,
        data: JSON.stringify(e.data),
        created_at: e.at,
      })),
    )
    .execute();
}

/** Writes the plan as history: contacts, conversations, their events and messages. */
export async function writeFixture(
  db: Kysely<Database>,
  ids: FixtureIds,
  plan: PlannedConversation[],
): Promise<void> {
  const w = ids.workspaceId;
  await insertHistoryContacts(db, w, [...new Set(plan.map((p) => p.contactId))], START);
  for (const p of plan) {
    const c = p.createdAt;
    const events: HistoryEvent[] = [{ type: 'created', at: c, data: { source: p.source } }];
    const messages: { author: 'visitor' | 'operator'; at: number }[] = [{ author: 'visitor', at: c + 1000 }];
    if (p.kind === 'offline') events.push({ type: 'went_offline', at: c, data: { reason: 'no_operators' } });
    else events.push({ type: 'queued', at: c, data: {} });
    if (p.missedBy && p.queueMs !== null) {
      events.push({ type: 'offered', at: c + 100, data: { to: p.missedBy } });
      events.push({ type: 'missed', at: c + 200, data: { operatorId: p.missedBy } });
    }
    if (p.operatorId && p.queueMs !== null)
      events.push({
        type: 'assigned',
        at: c + p.queueMs,
        data: { from: 'queued', assignee_id: p.operatorId },
      });
    if (p.firstReplyMs !== null) {
      messages.push({ author: 'operator', at: c + p.firstReplyMs });
      messages.push({ author: 'visitor', at: c + p.firstReplyMs + 10_000 });
      messages.push({ author: 'operator', at: c + p.firstReplyMs + 10_000 + p.replyIntervals[1]! });
    }
    if (p.tag) events.push({ type: 'tag_added', at: c + 5000, data: { tag: p.tag } });
    if (p.resolutionMs !== null)
      events.push({ type: 'resolved', at: c + p.resolutionMs, data: { from: 'assigned' } });
    if (p.rating)
      events.push({
        type: 'rated',
        at: c + (p.resolutionMs ?? 0) + 1000,
        data: { rating: p.rating, comment: p.comment },
      });
    await insertHistoryConversation(
      db,
      {
        id: p.id,
        workspaceId: w,
        contactId: p.contactId,
        channel: p.channel,
        status: p.resolutionMs === null ? 'offline' : 'resolved',
        departmentId: p.departmentId,
        assigneeId: p.operatorId,
        lastSeq: messages.length,
        createdAt: c,
        resolvedAt: p.resolutionMs === null ? null : c + p.resolutionMs,
      },
      events,
    );
    const rows: Insertable<MessagesTable>[] = messages.map((m, i) => ({
      id: randomUUID(),
      workspace_id: w,
      conversation_id: p.id,
      seq: i + 1,
      client_msg_id: `fixture-${p.id}-${i}`,
      author_type: m.author,
      author_id: m.author === 'operator' ? p.operatorId : p.contactId,
      author_name: null,
      kind: 'text',
      text: 'hello',
      attachments: '[]',
      event: null,
      content: '{}',
      search_text: 'hello',
      created_at: m.at,
    }));
    // A note and a system event: neither counts as a message of the report.
    rows.push({
      ...rows[0]!,
      id: randomUUID(),
      seq: rows.length + 1,
      client_msg_id: `fixture-${p.id}-note`,
      author_type: 'operator',
      kind: 'note',
    });
    await db.insertInto('messages').values(rows).execute();
  }
}

/** Operator A online 00:30–10:30 Berlin time on the DST day (9 real hours), B 2 h on the 30th. */
export const PRESENCE_PLAN = [
  { who: 'A', presence: 'online', at: Date.parse('2026-03-28T23:30:00Z') },
  { who: 'A', presence: 'away', at: Date.parse('2026-03-29T08:30:00Z') },
  { who: 'B', presence: 'online', at: Date.parse('2026-03-30T07:00:00Z') },
  { who: 'B', presence: 'offline', at: Date.parse('2026-03-30T09:00:00Z') },
] as const;

export async function writePresence(db: Kysely<Database>, ids: FixtureIds): Promise<void> {
  await db
    .insertInto('presence_events')
    .values(
      PRESENCE_PLAN.map((p) => ({
        id: randomUUID(),
        workspace_id: ids.workspaceId,
        user_id: p.who === 'A' ? ids.operatorA : ids.operatorB,
        presence: p.presence,
        reason: 'manual',
        created_at: p.at,
      })),
    )
    .execute();
}

// ---- expected answers, from the plan ----

export const mean = (values: number[]): number | null =>
  values.length === 0 ? null : Math.round(values.reduce((a, b) => a + b, 0) / values.length);

/** Nearest-rank percentile. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}
