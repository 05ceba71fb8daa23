// bench/messaging: widget visitors send, operators receive, over real Socket.IO connections on
// loopback. Prints sustained messages/s with visitor→operator and ack latency, closed-loop
// throughput, RSS per idle widget connection, and throughput as a share of a bare Socket.IO relay.
// `npm run build` first, then `npm run bench:messaging [-- --flags]` (see bench/README.md).
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { bareRelayTarget, closeChat, frontlineTarget, openChat, type Target } from './clients.js';
import { openIdleConnections, type IdleFigures } from './idle.js';
import { MessageLoad } from './load.js';
import { printIdle, printMessagePhases, printSummary, type RunSettings, type TargetRun } from './report.js';
import { startBareRelay, startFrontline } from './servers.js';
import { openFileLimit } from './stats.js';

const WARMUP_SECONDS = 3;
/** Descriptors besides the idle sockets: the message phases' sockets, HTTP, the database, stdio. */
const FILE_HEADROOM = 1_000;

const USAGE = `Usage: npm run bench:messaging -- [options]
  --visitors N        widget visitors sending messages (default 200)
  --operators N       operators receiving them (default 10)
  --rate N            aggregate send rate of the rate phase, msg/s (default 2000)
  --duration S        seconds measured per phase, after a ${WARMUP_SECONDS} s warm-up (default 15)
  --window K          sends each visitor keeps in flight in the closed loop (default 4)
  --idle N            idle widget connections to open (default 10000)
  --skip-idle         skip the idle connections
  --skip-bare         skip the bare Socket.IO relay and the durable relay
  --database-url URL  run Frontline on this empty PostgreSQL database instead of SQLite
  --cpu-prof DIR      write a V8 CPU profile of the Frontline server into DIR`;

function parseFlags() {
  try {
    return parseArgs({
      options: {
        visitors: { type: 'string', default: '200' },
        operators: { type: 'string', default: '10' },
        rate: { type: 'string', default: '2000' },
        duration: { type: 'string', default: '15' },
        window: { type: 'string', default: '4' },
        idle: { type: 'string', default: '10000' },
        'skip-idle': { type: 'boolean', default: false },
        'skip-bare': { type: 'boolean', default: false },
        'database-url': { type: 'string' },
        'cpu-prof': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
}

function readSettings() {
  const values = parseFlags();
  const positive = (name: keyof typeof values) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n <= 0)
      throw new Error(`--${name} must be a positive whole number\n\n${USAGE}`);
    return n;
  };
  const settings: RunSettings = {
    visitors: positive('visitors'),
    operators: positive('operators'),
    rate: positive('rate'),
    seconds: positive('duration'),
    outstanding: positive('window'),
    idle: positive('idle'),
  };
  return {
    settings,
    help: values.help,
    skipIdle: values['skip-idle'],
    skipBare: values['skip-bare'],
    databaseUrl: values['database-url'],
    cpuProfileDir: values['cpu-prof'],
  };
}

const progress = (line: string) => console.log(`· ${line}`);

/** Why the idle phase cannot run in this shell, or undefined if it can. */
function idleBlocker(count: number): string | undefined {
  const limit = openFileLimit();
  if (limit === undefined || limit >= count + FILE_HEADROOM) return undefined;
  return `open-file limit ${limit} < ${count + FILE_HEADROOM}`;
}

async function runMessages(target: Target, settings: RunSettings): Promise<TargetRun> {
  const chat = await openChat(target, settings.visitors, settings.operators);
  progress(`${target.label}: ${settings.visitors} visitors and ${settings.operators} operators connected`);
  const load = new MessageLoad(chat, target.server.pid);
  try {
    const rate = await load.atRate(settings.rate, WARMUP_SECONDS, settings.seconds);
    progress(
      `${target.label}: rate phase ${rate.ackedPerSecond.toFixed(0)} msg/s acked, ` +
        `p99 visitor→operator ${(rate.deliveryMs[2] ?? NaN).toFixed(1)} ms`,
    );
    const closedLoop = await load.closedLoopOf(settings.outstanding, WARMUP_SECONDS, settings.seconds);
    progress(`${target.label}: closed loop ${closedLoop.ackedPerSecond.toFixed(0)} msg/s acked`);
    const failed = rate.errors + closedLoop.errors > 0;
    return {
      label: target.label,
      rate,
      closedLoop,
      serverLog: failed ? target.server.lastLogLine() : undefined,
    };
  } finally {
    closeChat(chat);
  }
}

async function runRelay(label: string, durable: boolean, settings: RunSettings): Promise<TargetRun> {
  const relay = await startBareRelay({ durable });
  progress(`${label} started (pid ${relay.pid})`);
  try {
    return await runMessages(bareRelayTarget(label, relay), settings);
  } finally {
    await relay.stop();
  }
}

async function main(): Promise<void> {
  const { settings, help, skipIdle, skipBare, databaseUrl, cpuProfileDir } = readSettings();
  if (help) {
    console.log(USAGE);
    return;
  }
  const database = databaseUrl ? 'PostgreSQL' : 'SQLite';
  console.log(
    `Frontline messaging benchmark on ${availableParallelism()} CPUs, Node ${process.version}, ${database}: ` +
      `${settings.visitors} visitors, ${settings.operators} operators, ${settings.rate} msg/s, ` +
      `${settings.seconds} s per phase after ${WARMUP_SECONDS} s warm-up`,
  );
  const idleSkipped = skipIdle ? 'skipped (--skip-idle)' : idleBlocker(settings.idle);
  if (idleSkipped && !skipIdle) {
    console.log(
      `Idle connections skipped: ${idleSkipped}. Raise the limit in this shell ` +
        `(\`ulimit -n ${settings.idle + FILE_HEADROOM}\`, as root above the hard limit) and run again.`,
    );
  }

  const label = `Frontline (${database})`;
  const frontline = await startFrontline({ databaseUrl, cpuProfileDir });
  progress(`Frontline started (pid ${frontline.pid})`);
  let ours: TargetRun;
  try {
    ours = await runMessages(frontlineTarget(label, frontline), settings);
  } finally {
    await frontline.stop();
  }

  // A server of their own for the idle connections: on a fresh heap, RSS growth is what the
  // connections cost, not heap the message phases left free; and their garbage disturbs nothing.
  let idle: IdleFigures | undefined;
  if (!idleSkipped) {
    const fresh = await startFrontline({
      databaseUrl,
      workspace: databaseUrl ? frontline.workspace : undefined,
    });
    progress(`Frontline started afresh for idle connections (pid ${fresh.pid})`);
    try {
      idle = await openIdleConnections(fresh, frontlineTarget(label, fresh), settings.idle, progress);
    } finally {
      await fresh.stop();
    }
  }

  let bare: TargetRun | undefined;
  let durable: TargetRun | undefined;
  if (!skipBare) {
    bare = await runRelay('Bare Socket.IO relay', false, settings);
    durable = await runRelay('Durable relay (SQLite)', true, settings);
  }

  printMessagePhases(
    [ours, bare, durable].filter((run) => run !== undefined),
    settings,
  );
  if (idle) printIdle(idle);
  printSummary({ settings, database, ours, bare, durable, idle, idleSkipped });
  if (cpuProfileDir) console.log(`\nCPU profile of the Frontline server written to ${cpuProfileDir}`);
}

main().then(
  // fetch keeps its connections alive for a while; nothing is left to wait for once the figures are out.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
