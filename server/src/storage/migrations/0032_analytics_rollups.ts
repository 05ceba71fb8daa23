// Analytics rollups: the facts' report sums per local day × hour × department × channel and per
// local day × operator (kept in the transaction that changes a fact), filled here from the facts
// already stored; and each operator's online time per completed local day, filled on first use from
// the status history (it needs the zone's local midnights, which SQL cannot compute on both engines).
// A covering index lets the median and p90 read only the two durations.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Rollup column and its sum over the facts, as analytics/rollup.ts defined them at this migration. */
const FIGURES: [string, string][] = [
  ['requests', 'count(*)'],
  ['first_time', 'sum(first_time)'],
  ['operator_messages', 'sum(operator_messages)'],
  ['visitor_messages', 'sum(visitor_messages)'],
  ['queue_sum', 'sum(queue_ms)'],
  ['queue_count', 'count(queue_ms)'],
  ['first_reply_sum', 'sum(first_reply_ms)'],
  ['answered', 'count(first_reply_ms)'],
  ['missed_wait_sum', 'sum(missed_wait_ms)'],
  ['missed_wait_count', 'count(missed_wait_ms)'],
  ['reply_sum', 'sum(reply_ms_total)'],
  ['reply_count', 'sum(reply_count)'],
  ['resolution_sum', 'sum(resolution_ms)'],
  ['resolution_count', 'count(resolution_ms)'],
  ['dialogs', 'sum(case when operator_messages > 0 and visitor_messages > 0 then 1 else 0 end)'],
  ['within10', 'sum(case when first_reply_ms <= 10000 then 1 else 0 end)'],
  ['within20', 'sum(case when first_reply_ms <= 20000 then 1 else 0 end)'],
  ['within30', 'sum(case when first_reply_ms <= 30000 then 1 else 0 end)'],
  ['unanswered', 'sum(unanswered)'],
  ['abandoned', 'sum(abandoned)'],
  ['offline', 'sum(offline)'],
  ['offer_misses', 'sum(offer_misses)'],
  ['ratings_good', "sum(case when rating = 'good' then 1 else 0 end)"],
  ['ratings_bad', "sum(case when rating = 'bad' then 1 else 0 end)"],
  ['proactive', "sum(case when source = 'proactive' then 1 else 0 end)"],
];

const ROLLUPS: { table: string; keys: [string, 'text' | 'integer', string][]; primaryKey: string[] }[] = [
  {
    table: 'analytics_rollup_hours',
    keys: [
      ['local_day', 'text', 'local_day'],
      ['local_hour', 'integer', 'local_hour'],
      ['local_weekday', 'integer', 'local_weekday'],
      ['department_id', 'text', "coalesce(department_id, '')"],
      ['channel', 'text', 'channel'],
    ],
    primaryKey: ['workspace_id', 'local_day', 'local_hour', 'department_id', 'channel'],
  },
  {
    table: 'analytics_rollup_operators',
    keys: [
      ['local_day', 'text', 'local_day'],
      ['operator_id', 'text', "coalesce(operator_id, '')"],
    ],
    primaryKey: ['workspace_id', 'local_day', 'operator_id'],
  },
];

export async function up(db: AnyDb): Promise<void> {
  for (const rollup of ROLLUPS) {
    let table = db.schema.createTable(rollup.table).addColumn('workspace_id', 'text', (c) => c.notNull());
    for (const [column, type] of rollup.keys) table = table.addColumn(column, type, (c) => c.notNull());
    for (const [column] of FIGURES)
      table = table.addColumn(column, 'bigint', (c) => c.notNull().defaultTo(0));
    await table.addPrimaryKeyConstraint(`${rollup.table}_pk`, rollup.primaryKey as never).execute();
    const columns = ['workspace_id', ...rollup.keys.map(([c]) => c), ...FIGURES.map(([c]) => c)];
    const keyed = rollup.keys.map(([, , expression]) => expression);
    await sql
      .raw(
        `insert into ${rollup.table} (${columns.join(', ')})
         select workspace_id, ${[...keyed, ...FIGURES.map(([, sum]) => `coalesce(${sum}, 0)`)].join(', ')}
         from analytics_conversations
         group by workspace_id, ${keyed.join(', ')}`,
      )
      .execute(db);
  }

  await db.schema
    .createTable('analytics_online_days')
    .addColumn('workspace_id', 'text', (c) => c.notNull())
    .addColumn('operator_id', 'text', (c) => c.notNull())
    .addColumn('local_day', 'text', (c) => c.notNull())
    .addColumn('online_ms', 'bigint', (c) => c.notNull())
    .addColumn('online_at_end', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('analytics_online_days_pk', ['workspace_id', 'local_day', 'operator_id'])
    .execute();
  await db.schema
    .createTable('analytics_online_through')
    .addColumn('workspace_id', 'text', (c) => c.primaryKey())
    .addColumn('through_day', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createIndex('analytics_conversations_durations')
    .on('analytics_conversations')
    .columns(['workspace_id', 'local_day', 'first_reply_ms', 'resolution_ms'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('analytics_conversations_durations').execute();
  for (const table of [
    'analytics_online_through',
    'analytics_online_days',
    'analytics_rollup_operators',
    'analytics_rollup_hours',
  ])
    await db.schema.dropTable(table).execute();
}
