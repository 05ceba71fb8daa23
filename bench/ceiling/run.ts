// The load ceiling (issue 10): keeps adding chatting visitors and their operators, step by step,
// while errors stay under 0.1 %, the 95th percentile of send-to-ack under 200 ms and the server's
// event-loop lag p99 under 100 ms, and prints the level where it settles: one node on SQLite, one
// node on PostgreSQL, and two nodes on PostgreSQL and Redis.
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startFrontline, type Frontline } from '../messaging/servers.js';
import { Population, Tally, type Behaviour } from './population.js';

const LIMITS = { errorShare: 0.001, ackP95Ms: 200, lagP99Ms: 100 };
const TARGETS = ['sqlite', 'postgres', 'cluster'] as const;
type TargetName = (typeof TARGETS)[number];
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** One operator per this many visitors, as the seeds' teams staff their chats. */
const VISITORS_PER_OPERATOR = 25;
const WARMUP_MS = 3_000;

const HELP = `Usage: npm run bench:ceiling -- [options]
  --targets LIST         comma-separated, of ${TARGETS.join(', ')} (default: all)
  --start N              visitors at the first step (default 200)
  --factor F             each step multiplies the visitors by F (default 1.5)
  --max N                stop adding at this many visitors (default 20000)
  --step-seconds S       measurement window of each step (default 15)
  --message-interval S   mean seconds between one visitor's lines (default 10)
Environment: BENCH_POSTGRES_URL (default ${POSTGRES_ADMIN_URL}), BENCH_REDIS_URL (default ${REDIS_URL}).
Run \`npm run build\` first; raise \`ulimit -n\` above twice the visitors.`;

function readSettings() {
  const { values } = parseArgs({
    options: {
      targets: { type: 'string', default: TARGETS.join(',') },
      start: { type: 'string', default: '200' },
      factor: { type: 'string', default: '1.5' },
      max: { type: 'string', default: '20000' },
      'step-seconds': { type: 'string', default: '15' },
      'message-interval': { type: 'string', default: '10' },
      help: { type: 'boolean', default: false },
    },
  });
  const targets = (values.targets ?? '').split(',').map((t) => t.trim());
  const unknown = targets.filter((t) => !(TARGETS as readonly string[]).includes(t));
  if (unknown.length > 0) throw new Error(`unknown target ${unknown.join(', ')}; use ${TARGETS.join(', ')}`);
  return {
    help: values.help,
    targets: targets as TargetName[],
    start: Number(values.start),
    factor: Number(values.factor),
    max: Number(values.max),
    stepMs: Number(values['step-seconds']) * 1000,
    behaviour: {
      messageIntervalS: Number(values['message-interval']),
      replyShare: 0.5,
      reconnectIntervalS: 300,
    } satisfies Behaviour,
  };
}

interface Deployment {
  nodes: Frontline[];
  stop(): Promise<void>;
}

async function withPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `frontline_ceiling_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function deploy(target: TargetName): Promise<Deployment> {
  if (target === 'sqlite') {
    const node = await startFrontline({ databaseUrl: undefined });
    return { nodes: [node], stop: () => node.stop() };
  }
  const database = await withPostgresDatabase();
  const cluster =
    target === 'cluster'
      ? { redisUrl: REDIS_URL, keyPrefix: `frontline-ceiling-${randomUUID()}:` }
      : undefined;
  const first = await startFrontline({ databaseUrl: database.url, cluster });
  const nodes = [first];
  if (cluster)
    nodes.push(await startFrontline({ databaseUrl: database.url, cluster, workspace: first.workspace }));
  return {
    nodes,
    async stop() {
      await Promise.all(nodes.map((node) => node.stop()));
      await database.drop();
    },
  };
}

/** The worst event-loop lag p99 of the nodes since their last scrape (prom-client resets it then). */
async function serverLagP99Ms(nodes: Frontline[]): Promise<number> {
  const lags = await Promise.all(
    nodes.map((node) => node.metric('frontline_nodejs_eventloop_lag_p99_seconds')),
  );
  return Math.max(...lags) * 1000;
}

interface StepResult {
  visitors: number;
  operators: number;
  opsPerSecond: number;
  errorShare: number;
  firstError: string | undefined;
  ackMs: number[];
  serverLagMs: number;
  generatorLagMs: number;
  passed: boolean;
}

async function measureStep(
  deployment: Deployment,
  population: Population,
  stepMs: number,
): Promise<StepResult> {
  await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
  population.tally = new Tally();
  await serverLagP99Ms(deployment.nodes);
  const generatorLag = monitorEventLoopDelay({ resolution: 10 });
  generatorLag.enable();
  await new Promise((resolve) => setTimeout(resolve, stepMs));
  generatorLag.disable();
  const tally = population.tally;
  const serverLagMs = await serverLagP99Ms(deployment.nodes);
  const ackMs = tally.ackMs.percentiles(50, 95, 99);
  const errorShare = tally.operations === 0 ? 1 : tally.errors / tally.operations;
  return {
    visitors: population.visitorCount,
    operators: population.operatorCount,
    opsPerSecond: tally.operations / (stepMs / 1000),
    errorShare,
    firstError: tally.firstError,
    ackMs,
    serverLagMs,
    generatorLagMs: Math.max(0, generatorLag.percentile(99) / 1e6 - 10),
    passed:
      errorShare < LIMITS.errorShare &&
      (ackMs[1] ?? Infinity) < LIMITS.ackP95Ms &&
      serverLagMs < LIMITS.lagP99Ms,
  };
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

function printStep(step: StepResult): void {
  const [p50 = NaN, p95 = NaN, p99 = NaN] = step.ackMs;
  console.log(
    [
      fmt(step.visitors).padStart(8),
      fmt(step.operators).padStart(6),
      fmt(step.opsPerSecond).padStart(7),
      `${fmt(step.errorShare * 100, 2)} %`.padStart(8),
      `${fmt(p50)}/${fmt(p95)}/${fmt(p99)}`.padStart(14),
      fmt(step.serverLagMs).padStart(9),
      fmt(step.generatorLagMs).padStart(9),
      step.passed ? '  ok' : `  over${step.firstError ? ` (${step.firstError})` : ''}`,
    ].join(' '),
  );
}

async function climb(
  target: TargetName,
  settings: ReturnType<typeof readSettings>,
): Promise<StepResult | undefined> {
  const deployment = await deploy(target);
  const population = new Population(deployment.nodes, settings.behaviour);
  console.log(`\n${target}: ${deployment.nodes.length} node(s)`);
  console.log('visitors   oper.   ops/s   errors   ack ms p50/95/99  lag p99  gen. lag');
  let settled: StepResult | undefined;
  try {
    for (let level = settings.start; level <= settings.max; level = Math.round(level * settings.factor)) {
      try {
        await population.grow(
          level - population.visitorCount,
          Math.max(2, Math.ceil(level / VISITORS_PER_OPERATOR)) - population.operatorCount,
        );
      } catch (error) {
        console.log(`${String(level).padStart(8)}  could not connect everyone: ${(error as Error).message}`);
        break;
      }
      const step = await measureStep(deployment, population, settings.stepMs);
      printStep(step);
      if (!step.passed) break;
      settled = step;
    }
  } finally {
    population.stop();
    await deployment.stop();
  }
  return settled;
}

async function main(): Promise<void> {
  const settings = readSettings();
  if (settings.help) return console.log(HELP);
  const { behaviour } = settings;
  console.log(
    `Frontline load ceiling on ${availableParallelism()} CPUs, Node ${process.version}. Each visitor says a line ` +
      `every ${behaviour.messageIntervalS} s on average (typing first), reads replies and drops its connection ` +
      `every ${behaviour.reconnectIntervalS / 60} min on average; one operator per ${VISITORS_PER_OPERATOR} ` +
      `visitors answers ${behaviour.replyShare * 100} % of lines. A step passes with errors < ` +
      `${LIMITS.errorShare * 100} %, ack p95 < ${LIMITS.ackP95Ms} ms and server event-loop lag p99 < ` +
      `${LIMITS.lagP99Ms} ms. The load generator shares the machine (its own lag is shown).`,
  );
  const summary: string[] = [];
  for (const target of settings.targets) {
    const settled = await climb(target, settings);
    summary.push(
      settled
        ? `${target}: settles at ${settled.visitors} chatting visitors and ${settled.operators} operators ` +
            `(${fmt(settled.opsPerSecond)} operations/s, ack p95 ${fmt(settled.ackMs[1] ?? NaN)} ms, ` +
            `lag p99 ${fmt(settled.serverLagMs)} ms)`
        : `${target}: not even the first step (${settings.start} visitors) passed`,
    );
  }
  console.log(`\nCeiling:\n${summary.map((line) => `  ${line}`).join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
