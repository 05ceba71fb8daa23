// Hours online from the operators' status history (presence_events): each operator's online
// intervals, cut at the period's ends, at local midnights and at now.
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { addDays, localDayStart } from './time.js';

/** operator → local day → online ms. */
export type OnlineByDay = Map<string, Map<string, number>>;

export async function onlineByOperatorDay(
  db: Kysely<Database>,
  workspaceId: string,
  timezone: string,
  from: string,
  to: string,
  now: number,
): Promise<OnlineByDay> {
  const start = localDayStart(from, timezone);
  const end = Math.min(localDayStart(addDays(to, 1), timezone), now);
  const result: OnlineByDay = new Map();
  if (end <= start) return result;
  const [before, during] = await Promise.all([
    // Each operator's state as the period starts: their last change before it.
    db
      .selectFrom('presence_events as p')
      .select(['p.user_id', 'p.presence', 'p.created_at'])
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
    let days = result.get(userId);
    if (!days) result.set(userId, (days = new Map()));
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
  for (const [userId, since] of onlineSince) if (since !== null) add(userId, since, end);
  return result;
}
