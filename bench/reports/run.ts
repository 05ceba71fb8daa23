// `npm run bench:reports -- --db <sqlite file | postgres://...>`: times every report over the
// biggest workspace in a database seeded by `npm run seed:load`, against the target
// (each report under 2 s). Each report runs once cold and then --runs times; the median and the
// slowest of those are printed.
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { ReportQuery } from '@frontline/protocol';
import { AnalyticsService } from '../../server/src/modules/analytics/service.js';
import { addDays } from '../../server/src/modules/analytics/time.js';
import { closeTarget, openTarget, targetOf } from './db.js';

const TARGET_MS = 2000;
const { values } = parseArgs({
  options: {
    db: { type: 'string', default: '/tmp/frontline-reports-bench.db' },
    runs: { type: 'string', default: '3' },
  },
});

const target = targetOf(values.db);
const storage = await openTarget(target);
const db = storage.db;
const biggest = await db
  .selectFrom('analytics_conversations')
  .select([
    'workspace_id',
    sql<number>`count(*)`.as('n'),
    sql<string>`min(local_day)`.as('first'),
    sql<string>`max(local_day)`.as('last'),
  ])
  .groupBy('workspace_id')
  .orderBy(sql`count(*)`, 'desc')
  .limit(1)
  .executeTakeFirst();
if (!biggest)
  throw new Error(`No analytics rows in ${values.db}: run "npm run seed:load -- --db ${values.db}" first`);
const workspaceId = biggest.workspace_id;
const [messages, departments, operator] = await Promise.all([
  db
    .selectFrom('messages')
    .select(sql<number>`count(*)`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow(),
  db
    .selectFrom('departments')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .limit(1)
    .executeTakeFirst(),
  db
    .selectFrom('users')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'operator')
    .limit(1)
    .executeTakeFirst(),
]);
const service = new AnalyticsService(db);
const all: ReportQuery = { from: biggest.first, to: biggest.last };
const month: ReportQuery = { from: addDays(biggest.last, -29), to: biggest.last };

const cases: [string, () => Promise<unknown>][] = [
  // A calibration line: the cheapest full pass over the workspace's rows, to read the others against.
  [
    'baseline: count(*) of the rows (not a report)',
    () =>
      db
        .selectFrom('analytics_conversations')
        .select(sql<number>`count(*)`.as('n'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst(),
  ],
  ['daily report, whole period (by day + totals)', () => service.report(workspaceId, all, 'day')],
  ['by hour of day, whole period', () => service.report(workspaceId, all, 'hour')],
  ['hour × weekday heat map, whole period', () => service.report(workspaceId, all, 'weekday_hour')],
  ['per operator (+ hours online), whole period', () => service.operators(workspaceId, all)],
  ['per department, whole period', () => service.report(workspaceId, all, 'department')],
  ['per channel, whole period', () => service.report(workspaceId, all, 'channel')],
  ['summary: mean/median/p90 + previous period, whole', () => service.summary(workspaceId, all)],
  ['summary, last 30 days', () => service.summary(workspaceId, month)],
  [
    'daily report, 30 days, one department',
    () => service.report(workspaceId, { ...month, departmentId: departments?.id }, 'day'),
  ],
  [
    'daily report, 30 days, one operator',
    () => service.report(workspaceId, { ...month, operatorId: operator?.id }, 'day'),
  ],
  [
    'daily report, 30 days, tag "refund"',
    () => service.report(workspaceId, { ...month, tag: 'refund' }, 'day'),
  ],
  ['topics (tags per day), whole period', () => service.tags(workspaceId, all)],
  ['CSAT with comments, whole period', () => service.csat(workspaceId, all)],
  ['repeat contacts within 7 days, 30 days', () => service.repeat(workspaceId, month, 7)],
  ['SLA compliance + trend, whole period', () => service.sla(workspaceId, all)],
  ['CSV export, daily report, whole period', () => service.csv(workspaceId, all, 'day')],
  ['bot report, 30 days', () => service.bots(workspaceId, month)],
  ['bot report, whole period', () => service.bots(workspaceId, all)],
  ['live snapshot', () => service.live(workspaceId)],
];

console.log(
  `bench:reports on ${target.engine} (${values.db}): workspace with ${Number(biggest.n).toLocaleString('en')} conversations, ` +
    `${Number(messages.n).toLocaleString('en')} messages, ${biggest.first} … ${biggest.last}. Target: each report < ${TARGET_MS} ms.`,
);
console.log(
  'The machine is shared (2 cores, other engineers building and testing): figures are upper bounds.\n',
);
const runs = Number(values.runs);
let failed = 0;
const pad = (s: string, n: number) => s.padEnd(n);
console.log(`${pad('report', 52)} ${pad('cold ms', 9)} ${pad('median ms', 10)} ${pad('max ms', 8)} verdict`);
for (const [name, run] of cases) {
  const time = async () => {
    const started = performance.now();
    await run();
    return performance.now() - started;
  };
  const cold = await time();
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) warm.push(await time());
  warm.sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)]!;
  const max = Math.max(cold, ...warm);
  const ok = max < TARGET_MS;
  if (!ok && !name.startsWith('baseline')) failed += 1;
  console.log(
    `${pad(name, 52)} ${pad(cold.toFixed(0), 9)} ${pad(median.toFixed(0), 10)} ${pad(max.toFixed(0), 8)} ${ok ? 'ok' : 'SLOWER THAN TARGET'}`,
  );
}
await closeTarget(storage);
console.log(failed === 0 ? '\nEvery report met the target.' : `\n${failed} report(s) missed the target.`);
process.exitCode = failed === 0 ? 0 : 1;
