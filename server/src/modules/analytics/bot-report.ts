// The bot report (docs/analytics.md, "Bot report"): one SQL query over the conversation event log
// of the period's conversations (the same text on SQLite and PostgreSQL), folded per local day.
// Events keep their data as JSON text written by JSON.stringify (no spaces), so a field's value
// is matched with LIKE on both engines.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import {
  BOT_HANDOFF_REASONS,
  type BotHandoffReason,
  type BotReport,
  type BotReportQuery,
  type BotReportRow,
} from '@frontline/protocol';
import type { Database } from '../../storage/schema.js';

/** The event types the report reads. */
const EVENT_TYPES = sql.join(
  [
    'assigned',
    'bot_started',
    'bot_finished',
    'bot_handed_over',
    'tag_added',
    'intent_detected',
    'resolved',
  ].map((type) => sql.lit(type)),
);

/** Later than any event: a run's end that never happened. */
const NEVER = sql.lit(8_000_000_000_000_000);

type Outcome = 'contained' | 'handed_over' | 'taken_over' | 'running';

const n = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

const dataHas = (field: string, value: string): RawBuilder<SqlBool> =>
  sql<SqlBool>`e.data like ${`%"${field}":"${value}"%`}`;

/** Column of the first hand-off with the reason: handed_<reason>. */
const handedColumn = (reason: BotHandoffReason) => sql.ref(`handed_${reason}`);

/**
 * Per conversation created in the period (its local day), from its events:
 * - `started_at`: the first bot_started; `finished_at`, `handed_at`, `first_assigned_at`: the first
 *   bot_finished, bot_handed_over and assigned, and one column per hand-off reason (when the first
 *   hand-off with it happened);
 * - `chose`: the bot added a tag; `intent`, `non_target`, `non_target_closed`: the assistant's.
 */
function perConversation(workspaceId: string, q: BotReportQuery) {
  const slices = [
    ...(q.departmentId ? [sql`ac.department_id = ${q.departmentId}`] : []),
    ...(q.channel ? [sql`ac.channel = ${q.channel}`] : []),
  ];
  const firstAt = (condition: RawBuilder<SqlBool>) => sql`min(case when ${condition} then e.created_at end)`;
  const any = (condition: RawBuilder<SqlBool>) => sql`max(case when ${condition} then 1 else 0 end)`;
  return sql`
    select ac.local_day, ac.conversation_id,
      ${firstAt(sql`e.type = 'bot_started'`)} as started_at,
      ${firstAt(sql`e.type = 'bot_finished'`)} as finished_at,
      ${firstAt(sql`e.type = 'bot_handed_over'`)} as handed_at,
      ${firstAt(sql`e.type = 'assigned'`)} as first_assigned_at,
      ${sql.join(
        BOT_HANDOFF_REASONS.map(
          (reason) =>
            sql`${firstAt(sql`e.type = 'bot_handed_over' and ${dataHas('reason', reason)}`)} as ${handedColumn(reason)}`,
        ),
      )},
      ${any(sql`e.type = 'tag_added' and e.actor_type = 'api' and e.actor_id like 'bot:%'`)} as chose,
      ${any(sql`e.type = 'intent_detected'`)} as intent,
      ${any(sql`e.type = 'intent_detected' and ${dataHas('action', 'non_target')}`)} as non_target,
      ${any(sql`e.type = 'resolved' and e.actor_type = 'system' and ${dataHas('by', 'bot')}`)} as non_target_closed
    from analytics_conversations ac
    left join conversation_events e on e.conversation_id = ac.conversation_id
      and e.type in (${EVENT_TYPES})
    where ac.workspace_id = ${workspaceId} and ac.local_day >= ${q.from} and ac.local_day <= ${q.to}
      ${slices.length === 0 ? sql`` : sql`and ${sql.join(slices, sql` and `)}`}
    group by ac.local_day, ac.conversation_id`;
}

/**
 * Each bot conversation's outcome is how its first run ended: whichever came first of closing
 * (contained), a hand-off (with its reason) and an operator's assignment after the bot started
 * (taken over; the `assigned` event is what ends the run then). A tie goes to the bot's own end:
 * the run ends in the same transaction as the hand-off or close, before any assignment.
 */
function outcomes(workspaceId: string, q: BotReportQuery) {
  // Read only in the rare case of an assignment before the bot started (a keyword flow that took
  // a conversation back in the queue).
  const assignedAfterStart = sql`(select min(a.created_at) from conversation_events a
      where a.conversation_id = c.conversation_id and a.type = 'assigned' and a.created_at >= c.started_at)`;
  return sql`
    select local_day, started_at, chose, intent, non_target, non_target_closed,
      coalesce(finished_at, ${NEVER}) as f, coalesce(handed_at, ${NEVER}) as h,
      ${sql.join(BOT_HANDOFF_REASONS.map((reason) => sql`${handedColumn(reason)}`))},
      case when started_at is null or first_assigned_at is null then ${NEVER}
        when first_assigned_at >= started_at then first_assigned_at
        else coalesce(${assignedAfterStart}, ${NEVER}) end as a
    from (${perConversation(workspaceId, q)}) c`;
}

export async function botReport(
  db: Kysely<Database>,
  workspaceId: string,
  timezone: string,
  q: BotReportQuery,
): Promise<BotReport> {
  const reason = sql`case ${sql.join(
    BOT_HANDOFF_REASONS.map((r) => sql`when h = ${handedColumn(r)} then ${sql.lit(r)}`),
    sql` `,
  )} end`;
  const raw = await sql<{
    local_day: string;
    outcome: Outcome | null;
    reason: BotHandoffReason | null;
    conversations: unknown;
    chose: unknown;
    intent: unknown;
    non_target: unknown;
    non_target_closed: unknown;
  }>`
    select local_day, outcome, reason, count(*) as conversations, sum(chose) as chose, sum(intent) as intent,
      sum(non_target) as non_target, sum(non_target_closed) as non_target_closed
    from (
      select o.*,
        case when started_at is null then null
          when f < ${NEVER} and f <= h and f <= a then 'contained'
          when h < ${NEVER} and h <= a then 'handed_over'
          when a < ${NEVER} then 'taken_over'
          else 'running' end as outcome,
        case when started_at is not null and h < f and h <= a then ${reason} end as reason
      from (${outcomes(workspaceId, q)}) o
    ) g
    group by local_day, outcome, reason
    order by local_day`.execute(db);

  const rows = new Map<string, BotReportRow>();
  const totals = emptyRow(null);
  for (const r of raw.rows) {
    let row = rows.get(r.local_day);
    if (!row) rows.set(r.local_day, (row = emptyRow(r.local_day)));
    for (const into of [row, totals]) add(into, r);
  }
  return { timezone, rows: [...rows.values()], totals };
}

function emptyRow(day: string | null): BotReportRow {
  return {
    day,
    requests: 0,
    botStarted: 0,
    contained: 0,
    handedOver: 0,
    handedOverByReason: Object.fromEntries(BOT_HANDOFF_REASONS.map((r) => [r, 0])) as Record<
      BotHandoffReason,
      number
    >,
    takenOver: 0,
    completed: 0,
    askedForPerson: 0,
    choseOption: 0,
    intentDetected: 0,
    nonTarget: 0,
    nonTargetClosed: 0,
  };
}

function add(
  row: BotReportRow,
  group: { outcome: Outcome | null; reason: BotHandoffReason | null } & Record<
    'conversations' | 'chose' | 'intent' | 'non_target' | 'non_target_closed',
    unknown
  >,
): void {
  const count = n(group.conversations);
  row.requests += count;
  row.intentDetected += n(group.intent);
  row.nonTarget += n(group.non_target);
  row.nonTargetClosed += n(group.non_target_closed);
  if (group.outcome === null) return;
  row.botStarted += count;
  row.choseOption += n(group.chose);
  if (group.outcome === 'contained') {
    row.contained += count;
    row.completed += count;
  }
  if (group.outcome === 'taken_over') row.takenOver += count;
  if (group.outcome === 'handed_over') row.handedOver += count;
  if (group.outcome === 'handed_over' && group.reason) {
    row.handedOverByReason[group.reason] += count;
    if (group.reason === 'flow') row.completed += count;
    if (group.reason === 'asked_for_person') row.askedForPerson += count;
  }
}
