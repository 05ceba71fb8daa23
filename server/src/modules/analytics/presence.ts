// Hours online from the operators' status history (presence_events): each operator's online
// intervals, cut at the period's ends, at local midnights and at now.
//
// Completed local days are kept in analytics_online_days, so a report over months reads one row per
// operator and day instead of the whole history. A day is complete once it ended SETTLE_MS ago:
// status changes are stamped with the instant they are recorded, so nothing can add to it later
// (a history written into the past, like a seed or an import, is followed by a rebuild, which
// forgets the kept days). The days after the last kept one are computed from the log on each
// request, starting from who was online as the kept day ended.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { addDays, localDayStart, localToday } from './time.js';

type Db = Kysely<Database> | Transaction<Database>;

/** operator → local day → online ms. */
export type OnlineByDay = Map<string, Map<string, number>>;

/** Margin for clocks of several nodes and for a status change whose commit is still under way. */
const SETTLE_MS = 10 * 60_000;

interface Online {
  byDay: OnlineByDay;
  /** Operators online at the end of the range. */
  onlineAtEnd: Set<string>;
}

/**
 * Online time per operator and local day in [from, to], from the log. `onlineAtStart` is who was
 * online as `from` began, when known; otherwise each operator's last change before it is read.
 */
async function fromLog(
  db: Db,
  workspaceId: string,
  timezone: string,
  from: string,
  to: string,
  now: number,
  onlineAtStart?: Set<string>,
): Promise<Online> {
  const start = localDayStart(from, timezone);
  const end = Math.min(localDayStart(addDays(to, 1), timezone), now);
  const byDay: OnlineByDay = new Map();
  const onlineAtEnd = new Set<string>();
  if (end <= start) return { byDay, onlineAtEnd };
  const [before, during] = await Promise.all([
    onlineAtStart
      ? Promise.resolve([...onlineAtStart].map((user_id) => ({ user_id, presence: 'online' })))
      : // Each operator's state as the period starts: their last change before it.
        db
          .selectFrom('presence_events as p')
          .select(['p.user_id', 'p.presence'])
          .where('p.workspace_id', '=', workspaceId)
          .where('p.created_at', '<', start)
          .where(({ eb, selectFrom }) =>
            eb(
              'p.created_at',
              '=',
              selectFrom('presence_events as q')
                .select(({ fn }) => fn.max('q.created_at').as('latest'))
                .whereRef('q.user_id', '=', 'p.user_id')
                .where('q.workspace_id', '=', workspaceId)
                .where('q.created_at', '<', start),
            ),
          )
          .execute(),
    db
      .selectFrom('presence_events')
      .select(['user_id', 'presence', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  ]);
  // Local day boundaries inside the period, for splitting intervals.
  const boundaries: { day: string; start: number }[] = [];
  for (let day = from; day <= to; day = addDays(day, 1))
    boundaries.push({ day, start: localDayStart(day, timezone) });

  const add = (userId: string, a: number, b: number) => {
    if (b <= a) return;
    let days = byDay.get(userId);
    if (!days) byDay.set(userId, (days = new Map()));
    // The last day starting at or before a (binary search), then forward while days overlap.
    let lo = 0;
    let hi = boundaries.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (boundaries[mid]!.start <= a) lo = mid;
      else hi = mid - 1;
    }
    for (let i = lo; i < boundaries.length && boundaries[i]!.start < b; i++) {
      const dayStart = boundaries[i]!.start;
      const dayEnd = i + 1 < boundaries.length ? boundaries[i + 1]!.start : end;
      const overlap = Math.min(b, dayEnd) - Math.max(a, dayStart);
      if (overlap > 0) days.set(boundaries[i]!.day, (days.get(boundaries[i]!.day) ?? 0) + overlap);
    }
  };

  const onlineSince = new Map<string, number | null>();
  for (const row of before) onlineSince.set(row.user_id, row.presence === 'online' ? start : null);
  for (const row of during) {
    const since = onlineSince.get(row.user_id) ?? null;
    const at = Number(row.created_at);
    if (row.presence === 'online') {
      if (since === null) onlineSince.set(row.user_id, at);
    } else {
      if (since !== null) add(row.user_id, since, at);
      onlineSince.set(row.user_id, null);
    }
  }
  for (const [userId, since] of onlineSince)
    if (since !== null) {
      add(userId, since, end);
      onlineAtEnd.add(userId);
    }
  return { byDay, onlineAtEnd };
}

/**
 * Keeps analytics_online_days up to the last complete local day and returns that day (null while
 * the workspace has no status history). Two nodes filling at once write the same rows.
 */
export async function keepOnlineDays(
  db: Kysely<Database>,
  workspaceId: string,
  timezone: string,
  now: number,
): Promise<string | null> {
  const lastComplete = addDays(localToday(now - SETTLE_MS, timezone), -1);
  const kept = await db
    .selectFrom('analytics_online_through')
    .select('through_day')
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (kept && kept.through_day >= lastComplete) return kept.through_day;
  let from: string;
  let onlineAtStart: Set<string> | undefined;
  if (kept) {
    from = addDays(kept.through_day, 1);
    onlineAtStart = new Set(
      (
        await db
          .selectFrom('analytics_online_days')
          .select('operator_id')
          .where('workspace_id', '=', workspaceId)
          .where('local_day', '=', kept.through_day)
          .where('online_at_end', '=', 1)
          .execute()
      ).map((r) => r.operator_id),
    );
  } else {
    const first = await db
      .selectFrom('presence_events')
      .select(({ fn }) => fn.min('created_at').as('at'))
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    if (first?.at === null || first?.at === undefined) return null;
    from = localToday(Number(first.at), timezone);
    if (from > lastComplete) return null;
  }
  const { byDay, onlineAtEnd } = await fromLog(
    db,
    workspaceId,
    timezone,
    from,
    lastComplete,
    now,
    onlineAtStart,
  );
  const rows: Database['analytics_online_days'][] = [];
  for (const [operatorId, days] of byDay)
    for (const [day, ms] of days)
      rows.push({
        workspace_id: workspaceId,
        operator_id: operatorId,
        local_day: day,
        online_ms: ms,
        online_at_end: day === lastComplete && onlineAtEnd.has(operatorId) ? 1 : 0,
      });
  // Online exactly from the last midnight: no time on the day, but the next fill starts online.
  for (const operatorId of onlineAtEnd)
    if (!byDay.get(operatorId)?.has(lastComplete))
      rows.push({
        workspace_id: workspaceId,
        operator_id: operatorId,
        local_day: lastComplete,
        online_ms: 0,
        online_at_end: 1,
      });
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('analytics_online_days')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['workspace_id', 'local_day', 'operator_id']).doNothing())
        .execute();
    await trx
      .insertInto('analytics_online_through')
      .values({ workspace_id: workspaceId, through_day: lastComplete })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ through_day: lastComplete }))
      .execute();
  });
  return lastComplete;
}

/** Drops the kept online days (a rebuild: a new zone cuts days at other instants). */
export async function forgetOnlineDays(db: Db, workspaceId: string): Promise<void> {
  await db.deleteFrom('analytics_online_through').where('workspace_id', '=', workspaceId).execute();
  await db.deleteFrom('analytics_online_days').where('workspace_id', '=', workspaceId).execute();
}

export async function onlineByOperatorDay(
  db: Kysely<Database>,
  workspaceId: string,
  timezone: string,
  from: string,
  to: string,
  now: number,
): Promise<OnlineByDay> {
  const through = await keepOnlineDays(db, workspaceId, timezone, now);
  const result: OnlineByDay = new Map();
  if (through !== null && from <= through) {
    const kept = await db
      .selectFrom('analytics_online_days')
      .select(['operator_id', 'local_day', 'online_ms'])
      .where('workspace_id', '=', workspaceId)
      .where('local_day', '>=', from)
      .where('local_day', '<=', to < through ? to : through)
      .where('online_ms', '>', 0)
      .execute();
    for (const row of kept) {
      let days = result.get(row.operator_id);
      if (!days) result.set(row.operator_id, (days = new Map()));
      days.set(row.local_day, Number(row.online_ms));
    }
  }
  const liveFrom = through !== null && from <= through ? addDays(through, 1) : from;
  if (liveFrom > to) return result;
  // Right after the kept days, who was online is known from them; before any, it is read.
  let onlineAtStart: Set<string> | undefined;
  if (through !== null && liveFrom === addDays(through, 1))
    onlineAtStart = new Set(
      (
        await db
          .selectFrom('analytics_online_days')
          .select('operator_id')
          .where('workspace_id', '=', workspaceId)
          .where('local_day', '=', through)
          .where('online_at_end', '=', 1)
          .execute()
      ).map((r) => r.operator_id),
    );
  const live = await fromLog(db, workspaceId, timezone, liveFrom, to, now, onlineAtStart);
  for (const [operatorId, days] of live.byDay) {
    let mine = result.get(operatorId);
    if (!mine) result.set(operatorId, (mine = new Map()));
    for (const [day, ms] of days) mine.set(day, ms);
  }
  return result;
}
