// Prints the benchmark's figures: one table of the message phases of every server, the idle
// connections, and the targets of issue 2 with whether this run met them.
import type { IdleFigures } from './idle.js';
import type { MessageFigures } from './load.js';

/** The targets of issue 2 on a 2-core machine with SQLite. */
const TARGETS = {
  idleConnections: 10_000,
  sustainedRate: 2_000,
  deliveryP99Ms: 100,
  shareOfBareRelay: 0.5,
};

/** "Sustained" allows for the window's edges, which cut a few in-flight sends either way. */
const SUSTAINED_SHARE = 0.98;
/** Above these the generator, not the server, may be what limits a row. */
const GENERATOR_BUSY_CPU = 0.9;
const GENERATOR_BUSY_LAG_MS = 20;
/** Above this other processes took enough of the shared cores to lower a row's figures. */
const OTHERS_BUSY_CPU = 0.15;
/** A log line is JSON with a stack; its start names the error. */
const LOG_LINE_CHARS = 400;

export interface TargetRun {
  label: string;
  rate: MessageFigures;
  closedLoop: MessageFigures;
  /** What the server logged last, when sends failed: the likely cause. */
  serverLog: string | undefined;
}

export interface RunSettings {
  visitors: number;
  operators: number;
  rate: number;
  seconds: number;
  outstanding: number;
  idle: number;
}

const num = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const ms = (values: number[]) => values.map((v) => num(v, v < 10 ? 1 : 0)).join(' / ');
const percent = (share: number) => `${num(share * 100)} %`;
const mb = (bytes: number) => `${num(bytes / 2 ** 20, 1)} MB`;

/** Columns before `leftAligned` are text, padded on the right; the rest are figures. */
function table(header: string[], rows: string[][], leftAligned = 1): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c < leftAligned ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ');
  return [line(header), ...rows.map(line)].map((l) => `  ${l.trimEnd()}`).join('\n');
}

function generatorBound(figures: MessageFigures, offeredRate?: number): boolean {
  return (
    figures.generatorCpu >= GENERATOR_BUSY_CPU ||
    figures.generatorLagP99Ms >= GENERATOR_BUSY_LAG_MS ||
    (offeredRate !== undefined && figures.sentPerSecond < offeredRate * SUSTAINED_SHARE)
  );
}

export function printMessagePhases(runs: TargetRun[], settings: RunSettings): void {
  let anyBound = false;
  let anyDisturbed = false;
  const rows = runs.flatMap((run) =>
    (
      [
        [`${run.label}, ${settings.rate} msg/s`, run.rate, settings.rate],
        [`${run.label}, closed loop`, run.closedLoop, undefined],
      ] as const
    ).map(([name, f, offered]) => {
      const bound = generatorBound(f, offered);
      const disturbed = f.otherCpu >= OTHERS_BUSY_CPU;
      anyBound ||= bound;
      anyDisturbed ||= disturbed;
      return [
        `${name}${bound ? ' *' : ''}${disturbed ? ' †' : ''}`,
        offered === undefined ? '—' : num(f.sentPerSecond),
        num(f.ackedPerSecond),
        ms(f.deliveryMs),
        ms(f.ackMs),
        num(f.errors),
        num(f.unanswered),
        num(f.undelivered),
        percent(f.serverCpu),
        percent(f.generatorCpu),
        num(f.generatorLagP99Ms, 1),
        percent(f.otherCpu),
      ];
    }),
  );
  console.log(
    `\nMessages: ${settings.visitors} visitors, ${settings.operators} operators, ${settings.seconds} s measured per phase; ` +
      `closed loop keeps ${settings.outstanding} sends in flight per visitor`,
  );
  console.log(
    table(
      [
        'phase',
        'sent/s',
        'acked/s',
        'visitor→operator p50/95/99 ms',
        'ack p50/95/99 ms',
        'errors',
        'unacked',
        'undelivered',
        'server CPU',
        'generator CPU',
        'generator lag p99 ms',
        'others CPU',
      ],
      rows,
    ),
  );
  console.log("  CPU is a share of one core; the server's JavaScript runs on one thread (and SQLite in it).");
  for (const run of runs) {
    for (const [phase, f] of [
      ['rate phase', run.rate],
      ['closed loop', run.closedLoop],
    ] as const) {
      if (f.firstError) console.log(`  first error of ${run.label}, ${phase}: ${f.firstError}`);
    }
    if (run.serverLog) console.log(`  ${run.label} last logged: ${run.serverLog.slice(0, LOG_LINE_CHARS)}`);
  }
  if (anyBound) {
    console.log(
      `  * the load generator was near its own limit (CPU ≥ ${percent(GENERATOR_BUSY_CPU)}, loop lag p99 ≥ ${GENERATOR_BUSY_LAG_MS} ms, ` +
        'or it fell behind the rate): that row measures the generator as much as the server, and the server can do at least that much.',
    );
  }
  if (anyDisturbed) {
    console.log(
      `  † other processes used ≥ ${percent(OTHERS_BUSY_CPU)} of a core meanwhile ("others CPU"): ` +
        'on a quiet machine that row would do better; run again when nothing else is running.',
    );
  }
}

export function printIdle(idle: IdleFigures): void {
  const perConnection = (idle.rssAfterBytes - idle.rssBeforeBytes) / Math.max(1, idle.connected);
  console.log('\nIdle widget connections (Frontline), each its own visitor session');
  console.log(`  sessions created     ${idle.requested} in ${num(idle.sessionSeconds, 1)} s`);
  console.log(
    `  sockets connected    ${idle.connected} of ${idle.requested} at once (the server counts ${idle.serverCounted}), ` +
      `opened in ${num(idle.connectSeconds, 1)} s, ${idle.failed} failed${idle.firstFailure ? ` (first: ${idle.firstFailure})` : ''}`,
  );
  console.log(
    `  server RSS           ${mb(idle.rssBeforeBytes)} before, ${mb(idle.rssAfterBytes)} after: ` +
      `${num(perConnection / 1024, 1)} KB per idle connection`,
  );
}

export interface Summary {
  settings: RunSettings;
  database: string;
  ours: TargetRun;
  bare: TargetRun | undefined;
  /** The durable relay: what storing each message before its ack costs at the least. */
  durable: TargetRun | undefined;
  idle: IdleFigures | undefined;
  idleSkipped: string | undefined;
}

export function printSummary({ settings, database, ours, bare, durable, idle, idleSkipped }: Summary): void {
  const verdict = (met: boolean | undefined) =>
    met === undefined ? 'not measured' : met ? 'MET' : 'NOT MET';
  const rows: string[][] = [];

  const idleTarget = `${TARGETS.idleConnections} concurrent idle widget connections in one process`;
  if (idle) {
    const perConnection = (idle.rssAfterBytes - idle.rssBeforeBytes) / Math.max(1, idle.connected) / 1024;
    const met =
      settings.idle >= TARGETS.idleConnections ? idle.connected >= TARGETS.idleConnections : undefined;
    rows.push([
      idleTarget,
      `${idle.connected} connected at once, ${num(perConnection, 1)} KB RSS each`,
      verdict(met),
    ]);
  } else rows.push([idleTarget, idleSkipped ?? 'skipped', verdict(undefined)]);

  const rate = ours.rate;
  const p99 = rate.deliveryMs[2] ?? NaN;
  const sustained =
    rate.ackedPerSecond >= TARGETS.sustainedRate * SUSTAINED_SHARE &&
    rate.errors + rate.unanswered + rate.undelivered === 0 &&
    p99 < TARGETS.deliveryP99Ms;
  rows.push([
    `${TARGETS.sustainedRate} msg/s sustained, p99 visitor→operator < ${TARGETS.deliveryP99Ms} ms`,
    `${num(rate.ackedPerSecond)} msg/s acked at ${settings.rate} offered, p99 ${num(p99, 1)} ms`,
    verdict(settings.rate >= TARGETS.sustainedRate ? sustained : undefined),
  ]);

  const shareTarget = `Throughput ≥ ${percent(TARGETS.shareOfBareRelay)} of the bare relay (closed loop)`;
  if (bare) {
    const share = ours.closedLoop.ackedPerSecond / bare.closedLoop.ackedPerSecond;
    const caveat = generatorBound(bare.closedLoop)
      ? ' (bare relay generator-bound: share is an upper bound)'
      : '';
    rows.push([
      shareTarget,
      `${num(ours.closedLoop.ackedPerSecond)} / ${num(bare.closedLoop.ackedPerSecond)} msg/s = ${percent(share)}${caveat}`,
      verdict(share >= TARGETS.shareOfBareRelay),
    ]);
  } else rows.push([shareTarget, 'skipped (--skip-bare)', verdict(undefined)]);

  console.log(`\nSummary (Frontline on ${database})`);
  console.log(table(['target', 'measured', 'result'], rows, 3));
  if (bare && durable) printFloor(ours, bare, durable);
}

/** Where the durable relay lands between the bare relay and Frontline (closed loops). */
function printFloor(ours: TargetRun, bare: TargetRun, durable: TargetRun): void {
  const rate = (run: TargetRun) => run.closedLoop.ackedPerSecond;
  console.log(
    `\nStoring each message before its ack, and nothing else (the durable relay): ${num(rate(durable))} msg/s, ` +
      `${percent(rate(durable) / rate(bare))} of the bare relay; Frontline reaches ` +
      `${percent(rate(ours) / rate(durable))} of the durable relay.`,
  );
}
