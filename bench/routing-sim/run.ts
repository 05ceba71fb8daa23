// bench:routing — the routing simulation and the routing-decision latency, printed as tables.
// Short runs by design (the machine is shared): figures carry the noise of a few thousand arrivals.
import os from 'node:os';
import { erlangCMeanWait, queueFigures } from '../../server/dist/modules/routing/queueing.js';
import { decisionLatency } from './latency.js';
import { seededRandom } from '../../server/dist/modules/routing/random.js';
import { drawVisitors, referenceEstimateMdape, referenceMeanWait, simulate, type Scenario } from './sim.js';

const quick = process.argv.includes('--quick');
const long = process.argv.includes('--long');
const scale = quick ? 0.3 : long ? 5 : 1;
/** `--only 0.80` runs the scenarios whose name contains the text, and skips the latency part. */
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;

const base: Omit<Scenario, 'name' | 'arrivalRate'> = {
  operators: 5,
  capacity: 2,
  handleSeconds: 120,
  patienceSeconds: Infinity,
  reactionSeconds: 0,
  missShare: 0,
  awaySeconds: 120,
  arrivals: Math.round(4000 * scale),
  warmup: Math.round(300 * scale),
  seed: 1,
};
const slots = base.operators * base.capacity;
const rateFor = (utilisation: number) => (utilisation * slots) / base.handleSeconds;

const scenarios: Scenario[] = [
  { ...base, name: 'ρ 0.70, no abandonment', arrivalRate: rateFor(0.7) },
  { ...base, name: 'ρ 0.80, no abandonment', arrivalRate: rateFor(0.8) },
  { ...base, name: 'ρ 0.90, no abandonment', arrivalRate: rateFor(0.9) },
  {
    ...base,
    name: 'ρ 0.95 offered, patience 180 s, 5 % misses, 8 s reaction',
    arrivalRate: rateFor(0.95),
    patienceSeconds: 180,
    missShare: 0.05,
    reactionSeconds: 8,
    arrivals: Math.round(2500 * scale),
  },
];

const f = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '∞');
const pct = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)} %`);

console.log(
  `Routing simulation: ${base.operators} operators × capacity ${base.capacity} = ${slots} slots, mean handle ${base.handleSeconds} s, Poisson arrivals; the real RoutingService on in-memory SQLite with a virtual clock${quick ? ' (quick run)' : ''}.\n`,
);
const rows: string[][] = [
  [
    'scenario',
    'arrivals',
    'mean wait s',
    'Erlang C/A s',
    'Δ',
    'Erlang C at drawn load s',
    'same-draws FCFS s',
    'Δ',
    'p95 wait s',
    'missed',
    'abandoned',
    'utilisation',
    'estimate MdAPE',
    'floor MdAPE',
    'estimate bias',
    'in shown range',
    'wall s',
  ],
];
for (const scenario of scenarios.filter((s) => only === undefined || s.name.includes(only))) {
  const result = await simulate(scenario);
  const model = {
    arrivalRate: scenario.arrivalRate,
    handleSeconds: scenario.handleSeconds + (scenario.missShare > 0 ? scenario.reactionSeconds : 0),
    servers: slots,
  };
  const theory = Number.isFinite(scenario.patienceSeconds)
    ? queueFigures({ ...model, patienceSeconds: scenario.patienceSeconds }).meanWaitSeconds
    : erlangCMeanWait(model);
  rows.push([
    scenario.name,
    String(scenario.arrivals),
    f(result.meanWait),
    f(theory),
    Number.isFinite(scenario.patienceSeconds)
      ? `(${pct(result.meanWait / theory - 1)})`
      : pct(result.meanWait / theory - 1),
    ...(Number.isFinite(scenario.patienceSeconds) || scenario.missShare > 0
      ? ['—', '—', '—']
      : [
          `${f(drawnErlangC(result))} (ρ ${f(drawnLoad(result), 3)})`,
          f(reference(result)),
          pct(result.meanWait / reference(result) - 1),
        ]),
    f(result.p95Wait),
    pct(result.missedShare),
    pct(result.abandonedShare),
    pct(result.utilisation),
    `${pct(result.estimateMdape)} (n=${result.estimated})`,
    Number.isFinite(scenario.patienceSeconds) || scenario.missShare > 0
      ? '—'
      : pct(referenceEstimateMdape(result.visitors, slots, scenario.warmup, scenario.handleSeconds)),
    pct(result.estimateBias),
    pct(result.withinShownRange),
    f(result.wallSeconds),
  ]);
}
printTable(rows);
console.log(
  '\nSame-draws FCFS: the textbook first-come-first-served queue run on exactly the arrivals and handle times the service saw; it isolates what routing does from the sampling noise a short run has against Erlang C.',
);
console.log(
  'Δ: simulated mean wait against closed-form Erlang C for the same parameters (target within 10 %); in brackets, against Erlang A where visitors give up and operators miss (a rough model: reaction time added to handle time).',
);
console.log(
  'Estimate: the first wait the visitor was shown (its central value) against the wait they then had, over served visitors who waited; "in shown range" counts actual waits inside the rounded range shown. Floor: the same error for the textbook queue on the same draws with an estimator that knows the true mean handle time (position × handle ÷ slots): the wait of the p-th in line is a sum of p exponential gaps, and no estimate that does not see the future does much better. Bias: median of (estimate − actual) ÷ actual.\n',
);

console.log(
  'How far a run this long can land from Erlang C by chance alone: the textbook queue (not the service) on 30 other seeds, mean wait ÷ Erlang C, 10th–90th percentile:',
);
for (const scenario of scenarios.filter(
  (s) => Number.isFinite(s.patienceSeconds) === false && s.missShare === 0,
)) {
  const ratios = Array.from({ length: 30 }, (_, i) => {
    const visitors = drawVisitors(scenario, seededRandom(1000 + i));
    const model = {
      arrivalRate: scenario.arrivalRate,
      handleSeconds: scenario.handleSeconds,
      servers: slots,
    };
    return referenceMeanWait(visitors, slots, scenario.warmup) / erlangCMeanWait(model);
  }).sort((a, b) => a - b);
  console.log(
    `  ${scenario.name}, ${scenario.arrivals} arrivals: ${f(ratios[3] ?? 0, 2)}–${f(ratios[26] ?? 0, 2)}`,
  );
}
console.log('');
if (only !== undefined) process.exit(0);
const latency = await decisionLatency({ operators: 400, capacity: 3, waiting: 1000 });
console.log(
  'Routing decision (choose an operator + the conditional offer transaction), 1,000 waiting, 400 operators online:',
);
printTable([
  ['case', 'decisions', 'p50 ms', 'p99 ms', 'max ms', 'CPU p50 ms', 'CPU p99 ms', 'pass s'],
  ...latency.map((l) => [
    l.name,
    String(l.count),
    f(l.p50, 3),
    f(l.p99, 3),
    f(l.max, 3),
    f(l.cpuP50, 3),
    f(l.cpuP99, 3),
    f(l.passSeconds, 2),
  ]),
]);
console.log(
  `\nMachine shared with other engineers' work: timings are upper bounds of an idle machine (load average ${os.loadavg()[0]?.toFixed(1)} on ${os.availableParallelism()} cores at the end). CPU columns: the process's CPU time per decision, which the scheduler's queueing does not add to.`,
);

/** The load the run actually drew: its arrival rate and mean handle time, not the nominal ones. */
function drawn(result: Awaited<ReturnType<typeof simulate>>) {
  const { visitors } = result;
  const span = ((visitors.at(-1)?.at ?? 0) - (visitors[0]?.at ?? 0)) / 1000;
  const handleSeconds = visitors.reduce((sum, v) => sum + v.handleMs, 0) / visitors.length / 1000;
  return { arrivalRate: (visitors.length - 1) / span, handleSeconds, servers: slots };
}
function drawnErlangC(result: Awaited<ReturnType<typeof simulate>>): number {
  return erlangCMeanWait(drawn(result));
}
function drawnLoad(result: Awaited<ReturnType<typeof simulate>>): number {
  const d = drawn(result);
  return (d.arrivalRate * d.handleSeconds) / d.servers;
}

function reference(result: Awaited<ReturnType<typeof simulate>>): number {
  return referenceMeanWait(
    result.visitors,
    result.scenario.operators * result.scenario.capacity,
    result.scenario.warmup,
  );
}

function printTable(table: string[][]): void {
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  for (const [r, row] of table.entries()) {
    console.log(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
    if (r === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
