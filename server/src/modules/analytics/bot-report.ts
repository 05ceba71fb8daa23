// The bot report (docs/analytics.md, "Bot report"): one SQL query over the fact rows of the
// period's conversations (the same text on SQLite and PostgreSQL), grouped per local day. The rows
// keep each conversation's bot figures, folded from its events by facts.ts.
import { sql, type Kysely } from 'kysely';
import {
  BOT_HANDOFF_REASONS,
  type BotHandoffReason,
  type BotReport,
  type BotReportQuery,
  type BotReportRow,
} from '@frontline/protocol';
import type { Database } from '../../storage/schema.js';

/** Later than any event: a run's end that never happened. */
const NEVER = sql.lit(8_000_000_000_000_000);

type Outcome = 'contained' | 'handed_over' | 'taken_over' | 'running';

const n = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/** The period's rows (through an index on (workspace_id, local_day)), with each run's possible ends. */
function ends(workspaceId: string, q: BotReportQuery) {
  const slices = [
    ...(q.departmentId ? [sql`department_id = ${q.departmentId}`] : []),
    ...(q.channel ? [sql`channel = ${q.channel}`] : []),
  ];
  return sql`
    select local_day, bot_started_at, bot_handoff_reason, bot_chose, intent_detected, non_target,
      non_target_closed, coalesce(bot_finished_at, ${NEVER}) as f, coalesce(bot_handed_at, ${NEVER}) as h,
      coalesce(bot_taken_at, ${NEVER}) as a
    from analytics_conversations
    where workspace_id = ${workspaceId} and local_day >= ${q.from} and local_day <= ${q.to}
      ${slices.length === 0 ? sql`` : sql`and ${sql.join(slices, sql` and `)}`}`;
}

export async function botReport(
  db: Kysely<Database>,
  workspaceId: string,
  timezone: string,
  q: BotReportQuery,
): Promise<BotReport> {
  // Each bot conversation's outcome is how its first run ended: whichever came first of closing
  // (contained), a hand-off (with its reason) and an operator's assignment after the bot started
  // (taken over). A tie goes to the bot's own end: the run ends in the same transaction as the
  // hand-off or close, before any assignment.
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
    select local_day, outcome, reason, count(*) as conversations, sum(bot_chose) as chose,
      sum(intent_detected) as intent, sum(non_target) as non_target, sum(non_target_closed) as non_target_closed
    from (
      select e.*,
        case when bot_started_at is null then null
          when f < ${NEVER} and f <= h and f <= a then 'contained'
          when h < ${NEVER} and h <= a then 'handed_over'
          when a < ${NEVER} then 'taken_over'
          else 'running' end as outcome,
        case when bot_started_at is not null and h < f and h <= a then bot_handoff_reason end as reason
      from (${ends(workspaceId, q)}) e
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
