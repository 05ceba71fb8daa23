// The report figures as sums over the per-conversation facts, defined once and read three ways: as
// SQL over the facts (exact scans, for slices the rollups do not keep), as SQL filling the rollups
// from the facts (rebuild), and as a fact's own share, which the recorder moves between rollup rows
// in the transaction that changes the fact. The rollups keep those sums per local day × hour ×
// department × channel and per local day × operator: a whole-period report reads a few thousand
// rows instead of one per conversation.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { accumulatorIn, type CommitAccumulator } from '../../storage/commit-group.js';
import type { Fact } from './facts.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A test on one fact column; a null column never passes (as in SQL). */
type Condition = readonly [column: keyof Fact, op: '>' | '<=' | '=', value: number | string];

type Measure =
  | { kind: 'count' }
  | { kind: 'sum'; column: keyof Fact }
  | { kind: 'present'; column: keyof Fact }
  | { kind: 'where'; all: readonly Condition[] };

/** Each figure: its name in reports, its rollup column, and how one fact contributes to it. */
export const MEASURES = [
  { key: 'requests', column: 'requests', measure: { kind: 'count' } },
  { key: 'firstTime', column: 'first_time', measure: { kind: 'sum', column: 'first_time' } },
  {
    key: 'operatorMessages',
    column: 'operator_messages',
    measure: { kind: 'sum', column: 'operator_messages' },
  },
  {
    key: 'visitorMessages',
    column: 'visitor_messages',
    measure: { kind: 'sum', column: 'visitor_messages' },
  },
  { key: 'queueSum', column: 'queue_sum', measure: { kind: 'sum', column: 'queue_ms' } },
  { key: 'queueCount', column: 'queue_count', measure: { kind: 'present', column: 'queue_ms' } },
  { key: 'firstReplySum', column: 'first_reply_sum', measure: { kind: 'sum', column: 'first_reply_ms' } },
  { key: 'answered', column: 'answered', measure: { kind: 'present', column: 'first_reply_ms' } },
  { key: 'missedWaitSum', column: 'missed_wait_sum', measure: { kind: 'sum', column: 'missed_wait_ms' } },
  {
    key: 'missedWaitCount',
    column: 'missed_wait_count',
    measure: { kind: 'present', column: 'missed_wait_ms' },
  },
  { key: 'replySum', column: 'reply_sum', measure: { kind: 'sum', column: 'reply_ms_total' } },
  { key: 'replyCount', column: 'reply_count', measure: { kind: 'sum', column: 'reply_count' } },
  { key: 'resolutionSum', column: 'resolution_sum', measure: { kind: 'sum', column: 'resolution_ms' } },
  {
    key: 'resolutionCount',
    column: 'resolution_count',
    measure: { kind: 'present', column: 'resolution_ms' },
  },
  {
    key: 'dialogs',
    column: 'dialogs',
    measure: {
      kind: 'where',
      all: [
        ['operator_messages', '>', 0],
        ['visitor_messages', '>', 0],
      ],
    },
  },
  {
    key: 'within10',
    column: 'within10',
    measure: { kind: 'where', all: [['first_reply_ms', '<=', 10_000]] },
  },
  {
    key: 'within20',
    column: 'within20',
    measure: { kind: 'where', all: [['first_reply_ms', '<=', 20_000]] },
  },
  {
    key: 'within30',
    column: 'within30',
    measure: { kind: 'where', all: [['first_reply_ms', '<=', 30_000]] },
  },
  { key: 'unanswered', column: 'unanswered', measure: { kind: 'sum', column: 'unanswered' } },
  { key: 'abandoned', column: 'abandoned', measure: { kind: 'sum', column: 'abandoned' } },
  { key: 'offline', column: 'offline', measure: { kind: 'sum', column: 'offline' } },
  { key: 'offerMisses', column: 'offer_misses', measure: { kind: 'sum', column: 'offer_misses' } },
  { key: 'ratingsGood', column: 'ratings_good', measure: { kind: 'where', all: [['rating', '=', 'good']] } },
  { key: 'ratingsBad', column: 'ratings_bad', measure: { kind: 'where', all: [['rating', '=', 'bad']] } },
  { key: 'proactive', column: 'proactive', measure: { kind: 'where', all: [['source', '=', 'proactive']] } },
] as const satisfies readonly { key: string; column: string; measure: Measure }[];

export type SumKey = (typeof MEASURES)[number]['key'];
export type RollupColumn = (typeof MEASURES)[number]['column'];
export type Sums = Record<SumKey, number>;

/** The figure as an aggregate over fact rows (null when no row has a value, like SQL's sum). */
export function factAggregate(measure: Measure): RawBuilder<number> {
  switch (measure.kind) {
    case 'count':
      return sql<number>`count(*)`;
    case 'sum':
      return sql<number>`sum(${sql.ref(measure.column)})`;
    case 'present':
      return sql<number>`count(${sql.ref(measure.column)})`;
    case 'where': {
      const tests = measure.all.map(([column, op, value]) => sql`${sql.ref(column)} ${sql.raw(op)} ${value}`);
      return sql<number>`sum(case when ${sql.join(tests, sql` and `)} then 1 else 0 end)`;
    }
  }
}

/** One fact's contribution to the figure: what factAggregate gives over that fact alone (null as 0). */
function shareOf(measure: Measure, fact: Fact): number {
  switch (measure.kind) {
    case 'count':
      return 1;
    case 'sum':
      return Number(fact[measure.column] ?? 0);
    case 'present':
      return fact[measure.column] === null ? 0 : 1;
    case 'where':
      return measure.all.every(([column, op, value]) => {
        const actual = fact[column];
        if (actual === null) return false;
        if (op === '=') return actual === value;
        return op === '>' ? Number(actual) > Number(value) : Number(actual) <= Number(value);
      })
        ? 1
        : 0;
  }
}

/**
 * The rollups, each with the fact columns that key it. A missing department or operator is stored
 * as '' (a primary key cannot hold null), which reports show as '' just as a null key.
 */
export const ROLLUPS = {
  analytics_rollup_hours: {
    keys: ['local_day', 'local_hour', 'local_weekday', 'department_id', 'channel'],
    primaryKey: ['workspace_id', 'local_day', 'local_hour', 'department_id', 'channel'],
  },
  analytics_rollup_operators: {
    keys: ['local_day', 'operator_id'],
    primaryKey: ['workspace_id', 'local_day', 'operator_id'],
  },
} as const satisfies Record<string, { keys: readonly (keyof Fact)[]; primaryKey: readonly string[] }>;

export type RollupTable = keyof typeof ROLLUPS;
const ROLLUP_TABLES = Object.keys(ROLLUPS) as RollupTable[];

const NULLABLE_KEYS = new Set<string>(['department_id', 'operator_id']);
const keySql = (column: string) =>
  NULLABLE_KEYS.has(column) ? sql`coalesce(${sql.ref(column)}, '')` : sql.ref(column);

/**
 * A fact's place and share in one rollup. The values are in MEASURES order: this runs twice for
 * every counted message, and arrays cost a fraction of records keyed by column.
 */
interface Share {
  table: RollupTable;
  /** The rollup row's key columns, `workspace_id` first, in the order of `keyColumns`. */
  key: (string | number)[];
  /** Names the row among all rollups. */
  rowId: string;
  values: number[];
}

const keyColumns = (table: RollupTable) => ['workspace_id', ...ROLLUPS[table].keys] as const;

function shareIn(table: RollupTable, fact: Fact): Share {
  const key: (string | number)[] = [fact.workspace_id];
  for (const column of ROLLUPS[table].keys) key.push(fact[column] ?? '');
  const values = new Array<number>(MEASURES.length);
  for (let i = 0; i < MEASURES.length; i++) values[i] = shareOf(MEASURES[i]!.measure, fact);
  return { table, key, rowId: `${table}:${JSON.stringify(key)}`, values };
}

/** The fact's shares in every rollup, taken before a change so the change can be moved. */
export type Shares = Share[];

export function sharesOf(fact: Fact): Shares {
  return ROLLUP_TABLES.map((table) => shareIn(table, fact));
}

/**
 * The fixed parts of each rollup's upsert, built once: Kysely's query builder costs several times
 * what running the statement does, and this runs for every counted message.
 */
const UPSERTS = Object.fromEntries(
  ROLLUP_TABLES.map((table) => {
    const columns = [...keyColumns(table), ...MEASURES.map((m) => m.column)];
    const adds = MEASURES.map(
      (m) =>
        sql`${sql.ref(m.column)} = ${sql.ref(`${table}.${m.column}`)} + ${sql.ref(`excluded.${m.column}`)}`,
    );
    return [
      table,
      {
        into: sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})`,
        onConflict: sql`on conflict (${sql.join(ROLLUPS[table].primaryKey.map((c) => sql.ref(c)))}) do update set ${sql.join(adds)}`,
      },
    ];
  }),
) as Record<RollupTable, { into: RawBuilder<unknown>; onConflict: RawBuilder<unknown> }>;

async function addToRollup(db: Db, share: Share, sign: 1 | -1): Promise<void> {
  const upsert = UPSERTS[share.table];
  const row = [...share.key, ...share.values.map((value) => sign * value)];
  await sql`${upsert.into} values (${sql.join(row)}) ${upsert.onConflict}`.execute(db);
}

const isZero = (values: number[]) => values.every((value) => value === 0);

/**
 * Moves a fact's shares from what they were (`before`, or nothing for a new fact) to what they are
 * now: in place when the fact stays in the same rollup row, else out of the old row and into the
 * new one (a transfer to another department or operator). Rows left at zero stay; reports skip them.
 */
export async function moveShares(db: Db, before: Shares | null, fact: Fact): Promise<void> {
  // In a grouped write (messages) the moves wait for the end of the shared transaction, summed per
  // rollup row; elsewhere they are made at once.
  const deferred = accumulatorIn(db, 'analytics.rollups', () => new RollupMoves());
  const move = deferred
    ? async (share: Share, sign: 1 | -1) => deferred.add(share, sign)
    : (share: Share, sign: 1 | -1) => addToRollup(db, share, sign);
  const after = sharesOf(fact);
  for (let t = 0; t < after.length; t++) {
    const now = after[t]!;
    const was = before?.[t];
    if (was?.rowId !== now.rowId) {
      if (was) await move(was, -1);
      await move(now, 1);
      continue;
    }
    const delta = now.values.map((value, i) => value - was.values[i]!);
    if (!isZero(delta)) await move({ ...now, values: delta }, 1);
  }
}

/** Rollup moves summed per row until the transaction's end (storage/commit-group.ts). */
class RollupMoves implements CommitAccumulator {
  private readonly rows = new Map<string, Share>();

  add(share: Share, sign: 1 | -1): void {
    const row = this.rows.get(share.rowId);
    if (!row) {
      this.rows.set(share.rowId, { ...share, values: share.values.map((value) => sign * value) });
      return;
    }
    for (let i = 0; i < row.values.length; i++) row.values[i]! += sign * share.values[i]!;
  }

  merge(other: RollupMoves): void {
    for (const row of other.rows.values()) this.add(row, 1);
  }

  async flush(trx: Transaction<Database>): Promise<void> {
    // Rows in one order in every transaction, so two commits on PostgreSQL never wait on each other
    // in a circle.
    for (const rowId of [...this.rows.keys()].sort()) {
      const row = this.rows.get(rowId)!;
      if (!isZero(row.values)) await addToRollup(trx, row, 1);
    }
  }
}

/** Recomputes the workspace's rollups from its facts (after a rebuild, and for a seeded history). */
export async function refreshRollups(db: Db, workspaceId: string): Promise<void> {
  for (const table of ROLLUP_TABLES) {
    await db.deleteFrom(table).where('workspace_id', '=', workspaceId).execute();
    const keys = ROLLUPS[table].keys;
    const columns = ['workspace_id', ...keys, ...MEASURES.map((m) => m.column)];
    const keyed = keys.map(keySql);
    const sums = MEASURES.map((m) => sql`coalesce(${factAggregate(m.measure)}, 0)`);
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
      select workspace_id, ${sql.join([...keyed, ...sums])}
      from analytics_conversations where workspace_id = ${workspaceId}
      group by workspace_id, ${sql.join(keyed)}`.execute(db);
  }
}
