// The reports: SQL over the rollups where they keep the slices asked for, else over the
// per-conversation facts (the same text on SQLite and PostgreSQL), grouped by local day, hour,
// weekday × hour, operator, department or channel. Both give the same sums (rollup.ts).
import { sql, type Expression, type Kysely, type SelectQueryBuilder, type SqlBool } from 'kysely';
import {
  daysBetween,
  type CsatReport,
  type Distribution,
  type OperatorReport,
  type RepeatReport,
  type Report,
  type ReportGroup,
  type ReportQuery,
  type ReportRow,
  type SummaryFigures,
  type TagReport,
} from '@frontline/protocol';
import type { Database } from '../../storage/schema.js';
import { onlineByOperatorDay } from './presence.js';
import { joinedIntegers, nearestRank } from './rank.js';
import { factAggregate, MEASURES, type RollupTable, type Sums } from './rollup.js';
import { addDays, localDayStart } from './time.js';

type FactQuery = SelectQueryBuilder<Database, 'analytics_conversations', object>;

const n = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

/** Conversations carrying the tag (index analytics_tags_tag). */
function tagged(db: Kysely<Database>, workspaceId: string, tag: string) {
  return db
    .selectFrom('analytics_tags')
    .select('analytics_tags.conversation_id')
    .where('analytics_tags.workspace_id', '=', workspaceId)
    .where('analytics_tags.tag', '=', tag);
}

function filtered(db: Kysely<Database>, workspaceId: string, q: ReportQuery): FactQuery {
  const query = db
    .selectFrom('analytics_conversations')
    .where('analytics_conversations.workspace_id', '=', workspaceId)
    .where('analytics_conversations.local_day', '>=', q.from)
    .where('analytics_conversations.local_day', '<=', q.to);
  return query.where(slices(db, workspaceId, q, 'analytics_conversations'));
}

/** The optional slices of a report (department, operator, channel, tag) on a facts table or alias. */
function slices(
  db: Kysely<Database>,
  workspaceId: string,
  q: ReportQuery,
  table: string,
): Expression<SqlBool> {
  const column = (name: string) => sql.ref(`${table}.${name}`);
  const conditions = [
    ...(q.departmentId ? [sql`${column('department_id')} = ${q.departmentId}`] : []),
    ...(q.operatorId ? [sql`${column('operator_id')} = ${q.operatorId}`] : []),
    ...(q.channel ? [sql`${column('channel')} = ${q.channel}`] : []),
    ...(q.tag
      ? [sql`${column('conversation_id')} in (${tagged(db, workspaceId, q.tag.toLowerCase())})`]
      : []),
  ];
  return conditions.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${sql.join(conditions, sql` and `)}`;
}

/**
 * Sums and counts only (no averages), so the rows of a grouped report add up to its totals in
 * JavaScript exactly, without a second scan.
 */
function figures(query: FactQuery) {
  return query.select(MEASURES.map((m) => factAggregate(m.measure).as(m.key)));
}

const SUM_KEYS = MEASURES.map((m) => m.key);

function sumsOf(raw: Record<string, unknown>): Sums {
  return Object.fromEntries(SUM_KEYS.map((k) => [k, n(raw[k])])) as Sums;
}

function addSums(rows: Sums[]): Sums {
  const total = sumsOf({});
  for (const row of rows) for (const k of SUM_KEYS) total[k] += row[k];
  return total;
}

const average = (sum: number, count: number): number | null => (count === 0 ? null : Math.round(sum / count));

function toRow(key: string, s: Sums): ReportRow {
  return {
    key,
    requests: s.requests,
    firstTime: s.firstTime,
    operatorMessages: s.operatorMessages,
    visitorMessages: s.visitorMessages,
    avgQueueMs: average(s.queueSum, s.queueCount),
    avgFirstReplyMs: average(s.firstReplySum, s.answered),
    avgMissedWaitMs: average(s.missedWaitSum, s.missedWaitCount),
    avgReplyMs: average(s.replySum, s.replyCount),
    avgResolutionMs: average(s.resolutionSum, s.resolutionCount),
    dialogs: s.dialogs,
    answered: s.answered,
    within10: s.within10,
    within20: s.within20,
    within30: s.within30,
    unanswered: s.unanswered,
    abandoned: s.abandoned,
    offline: s.offline,
    offerMisses: s.offerMisses,
    ratingsGood: s.ratingsGood,
    ratingsBad: s.ratingsBad,
    proactive: s.proactive,
  };
}

const GROUP_COLUMN = {
  day: sql<string>`local_day`,
  hour: sql<string>`local_hour`,
  weekday_hour: sql<string>`local_weekday * 100 + local_hour`,
  operator: sql<string>`operator_id`,
  department: sql<string>`department_id`,
  channel: sql<string>`channel`,
} as const;

function keyOf(group: ReportGroup, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (group === 'weekday_hour') {
    const code = Number(value);
    return `${Math.floor(code / 100)}:${code % 100}`;
  }
  return String(value);
}

/**
 * The rollup that keeps every slice of the query and the grouping, if one does: the hours rollup
 * has department and channel, the operators rollup has the operator; a tag is kept by neither.
 */
function rollupFor(q: ReportQuery, group?: ReportGroup): RollupTable | null {
  if (q.tag) return null;
  const byHour =
    group === undefined || ['day', 'hour', 'weekday_hour', 'department', 'channel'].includes(group);
  if (byHour && !q.operatorId) return 'analytics_rollup_hours';
  const byOperator = group === undefined || group === 'day' || group === 'operator';
  if (byOperator && !q.departmentId && !q.channel) return 'analytics_rollup_operators';
  return null;
}

/** The figures summed from the rollup's rows in the period and slices. */
function rollupFigures(db: Kysely<Database>, table: RollupTable, workspaceId: string, q: ReportQuery) {
  const conditions = [
    ...(q.departmentId ? [sql`department_id = ${q.departmentId}`] : []),
    ...(q.channel ? [sql`channel = ${q.channel}`] : []),
    ...(q.operatorId ? [sql`operator_id = ${q.operatorId}`] : []),
  ];
  return db
    .selectFrom(table)
    .where('workspace_id', '=', workspaceId)
    .where('local_day', '>=', q.from)
    .where('local_day', '<=', q.to)
    .where(conditions.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${sql.join(conditions, sql` and `)}`)
    .select(MEASURES.map((m) => sql<number>`sum(${sql.ref(m.column)})`.as(m.key)));
}

async function totalSums(db: Kysely<Database>, workspaceId: string, q: ReportQuery): Promise<Sums> {
  const rollup = rollupFor(q);
  const query = rollup ? rollupFigures(db, rollup, workspaceId, q) : figures(filtered(db, workspaceId, q));
  return sumsOf(await query.executeTakeFirstOrThrow());
}

export async function totals(db: Kysely<Database>, workspaceId: string, q: ReportQuery): Promise<ReportRow> {
  return toRow('total', await totalSums(db, workspaceId, q));
}

export async function groupedReport(
  db: Kysely<Database>,
  workspaceId: string,
  timezone: string,
  q: ReportQuery,
  group: ReportGroup,
): Promise<Report> {
  const column = GROUP_COLUMN[group];
  const rollup = rollupFor(q, group);
  const raw = rollup
    ? await rollupFigures(db, rollup, workspaceId, q)
        .select(column.as('groupKey'))
        .groupBy(column)
        // Rows a conversation moved out of (a transfer) stay at zero in the rollup.
        .having(sql<number>`sum(requests)`, '>', 0)
        .orderBy(column)
        .execute()
    : await figures(filtered(db, workspaceId, q))
        .select(column.as('groupKey'))
        .groupBy(column)
        .orderBy(column)
        .execute();
  const sums = raw.map(sumsOf);
  const rows = raw.map((r, i) => toRow(keyOf(group, r.groupKey), sums[i]!));
  const total = toRow('total', addSums(sums));
  if (group === 'operator') {
    // Missed offers belong to the operator who let the offer run out, not to the one who took it.
    const misses = await offerMissesByOperator(db, workspaceId, q);
    for (const row of rows) row.offerMisses = misses.get(row.key) ?? 0;
  }
  return { group, timezone, rows, totals: total };
}

/** The workspace's conversations in the department, operator and channel the slice names. */
function conversationsIn(
  db: Kysely<Database>,
  workspaceId: string,
  slice: Pick<ReportQuery, 'departmentId' | 'operatorId' | 'channel'>,
) {
  let c = db
    .selectFrom('analytics_conversations as c')
    .select('c.conversation_id')
    .where('c.workspace_id', '=', workspaceId);
  if (slice.departmentId) c = c.where('c.department_id', '=', slice.departmentId);
  if (slice.operatorId) c = c.where('c.operator_id', '=', slice.operatorId);
  if (slice.channel) c = c.where('c.channel', '=', slice.channel);
  return c;
}

async function offerMissesByOperator(
  db: Kysely<Database>,
  workspaceId: string,
  q: ReportQuery,
): Promise<Map<string, number>> {
  let query = db
    .selectFrom('analytics_offer_misses as m')
    .select(['m.operator_id', sql<number>`count(*)`.as('misses')])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.local_day', '>=', q.from)
    .where('m.local_day', '<=', q.to)
    .groupBy('m.operator_id');
  if (q.operatorId) query = query.where('m.operator_id', '=', q.operatorId);
  // The conversations are joined only when a slice asks for them.
  if (q.departmentId || q.channel)
    query = query.where(
      'm.conversation_id',
      'in',
      conversationsIn(db, workspaceId, { departmentId: q.departmentId, channel: q.channel }),
    );
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.operator_id, n(r.misses)]));
}

/**
 * Median and 90th percentile of first reply and resolution time, exact: the period's values are
 * read and the two ranks selected here (rank.ts). They come as one string per column (string_agg,
 * on both engines, through the covering index analytics_conversations_durations): a million row
 * objects would cost seconds, the string a fraction of one. Mean comes from the totals.
 */
async function distributions(
  db: Kysely<Database>,
  workspaceId: string,
  q: ReportQuery,
  total: ReportRow,
): Promise<{ firstReply: Distribution; resolution: Distribution }> {
  // Read in the index's order: without it PostgreSQL reckons a scan of the whole table about as
  // cheap as the covering index, and takes twice as long.
  const durations = filtered(db, workspaceId, q)
    .select(['first_reply_ms', 'resolution_ms'])
    .orderBy('analytics_conversations.workspace_id')
    .orderBy('analytics_conversations.local_day');
  const row = await db
    .selectFrom(durations.as('v'))
    .select([
      sql<string | null>`string_agg(cast(v.first_reply_ms as text), ',')`.as('firstReplies'),
      sql<string | null>`string_agg(cast(v.resolution_ms as text), ',')`.as('resolutions'),
    ])
    .executeTakeFirstOrThrow();
  const describe = (values: Float64Array, mean: number | null): Distribution =>
    values.length === 0
      ? { mean: null, median: null, p90: null, count: 0 }
      : { mean, median: nearestRank(values, 0.5), p90: nearestRank(values, 0.9), count: values.length };
  return {
    firstReply: describe(joinedIntegers(row.firstReplies), total.avgFirstReplyMs),
    resolution: describe(joinedIntegers(row.resolutions), total.avgResolutionMs),
  };
}

const percent = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 100;

export async function summaryFigures(
  db: Kysely<Database>,
  workspaceId: string,
  q: ReportQuery,
): Promise<SummaryFigures> {
  const sums = await totalSums(db, workspaceId, q);
  const total = toRow('total', sums);
  const { firstReply, resolution } = await distributions(db, workspaceId, q, total);
  return {
    totals: total,
    firstReply,
    resolution,
    missedPercent: percent(total.unanswered, total.requests),
    abandonedPercent: percent(total.abandoned, total.requests),
    csatPercent: percent(total.ratingsGood, total.ratingsGood + total.ratingsBad),
  };
}

/** The period of equal length that ends the day before `from`. */
export function previousPeriod(q: ReportQuery): ReportQuery {
  const length = daysBetween(q.from, q.to) + 1;
  return { ...q, from: addDays(q.from, -length), to: addDays(q.from, -1) };
}

export async function operatorReport(
  db: Kysely<Database>,
  workspaceId: string,
  timezone: string,
  q: ReportQuery,
): Promise<OperatorReport> {
  const [grouped, online, users] = await Promise.all([
    groupedReport(db, workspaceId, timezone, q, 'operator'),
    onlineByOperatorDay(db, workspaceId, timezone, q.from, q.to, Date.now()),
    db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('workspace_id', '=', workspaceId)
      .$if(q.operatorId !== undefined, (b) => b.where('id', '=', q.operatorId!))
      .execute(),
  ]);
  const byId = new Map(grouped.rows.map((r) => [r.key, r]));
  const empty = toRow('', sumsOf({}));
  const rows = users
    .map((user) => {
      const row = byId.get(user.id) ?? { ...empty, key: user.id };
      const days = online.get(user.id);
      const onlineMs = days ? [...days.values()].reduce((a, b) => a + b, 0) : 0;
      return { ...row, operatorId: user.id, name: user.name, onlineMs, daysOnline: days?.size ?? 0 };
    })
    .filter((r) => r.requests > 0 || r.onlineMs > 0 || r.offerMisses > 0)
    .sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
  // Operators only filtered by department/channel/tag keep their conversation figures; online time
  // is the operator's own and is not sliced.
  return { timezone, rows };
}

export async function tagReport(
  db: Kysely<Database>,
  workspaceId: string,
  timezone: string,
  q: ReportQuery,
): Promise<TagReport> {
  const sliced = q.departmentId !== undefined || q.operatorId !== undefined || q.channel !== undefined;
  let query = db
    .selectFrom('analytics_tags as t')
    .select(['t.tag', 't.local_day', sql<number>`count(*)`.as('count')])
    .where('t.workspace_id', '=', workspaceId)
    .where('t.local_day', '>=', q.from)
    .where('t.local_day', '<=', q.to)
    .groupBy(['t.tag', 't.local_day'])
    .orderBy('t.local_day');
  if (q.tag) query = query.where('t.tag', '=', q.tag.toLowerCase());
  // The conversations are joined only when a slice asks for them.
  if (sliced) query = query.where('t.conversation_id', 'in', conversationsIn(db, workspaceId, q));
  const rows = await query.execute();
  const tags = new Map<string, number>();
  const days = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const count = n(row.count);
    tags.set(row.tag, (tags.get(row.tag) ?? 0) + count);
    const day = days.get(row.local_day) ?? {};
    day[row.tag] = count;
    days.set(row.local_day, day);
  }
  return {
    timezone,
    tags: [...tags]
      .map(([tag, count]) => ({ tag, count }))
      .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag)),
    days: [...days].map(([day, counts]) => ({ day, counts })),
  };
}

export async function csatReport(
  db: Kysely<Database>,
  workspaceId: string,
  q: ReportQuery,
): Promise<CsatReport> {
  const [total, comments] = await Promise.all([
    totals(db, workspaceId, q),
    filtered(db, workspaceId, q)
      .select(['conversation_id', 'rating', 'rating_comment', 'rated_at'])
      .where('rating', 'is not', null)
      // A literal, so the planner sees the partial index analytics_conversations_comments applies.
      .where('rating_comment', '<>', sql.lit(''))
      .orderBy('rated_at', 'desc')
      .limit(200)
      .execute(),
  ]);
  return {
    good: total.ratingsGood,
    bad: total.ratingsBad,
    percent: percent(total.ratingsGood, total.ratingsGood + total.ratingsBad),
    comments: comments.map((c) => ({
      conversationId: c.conversation_id,
      rating: c.rating ?? '',
      comment: c.rating_comment ?? '',
      at: n(c.rated_at),
    })),
  };
}

/**
 * Contacts with a conversation in the period (in its slices) that had another one, in any slice,
 * within N days before it: each row knows when the contact's previous conversation started
 * (previous_at), so both counts are one pass over the period (covering index
 * analytics_conversations_repeat).
 */
export async function repeatReport(
  db: Kysely<Database>,
  workspaceId: string,
  q: ReportQuery,
  withinDays: number,
): Promise<RepeatReport> {
  const windowMs = withinDays * 86_400_000;
  const [all, again] = await Promise.all([
    filtered(db, workspaceId, q)
      .select(sql<number>`count(distinct contact_id)`.as('contacts'))
      .executeTakeFirstOrThrow(),
    filtered(db, workspaceId, q)
      .select(sql<number>`count(distinct contact_id)`.as('contacts'))
      .where(sql<SqlBool>`previous_at >= created_at - ${windowMs}`)
      .executeTakeFirstOrThrow(),
  ]);
  const contacts = n(all.contacts);
  const repeated = n(again.contacts);
  return { withinDays, contacts, repeated, percent: percent(repeated, contacts) };
}

export { localDayStart, percent };
