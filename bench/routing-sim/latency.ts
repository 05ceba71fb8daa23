// The routing decision's latency at scale: 400 operators online and 1,000 conversations waiting,
// timed inside the real RoutingService for every conversation of a pass (choosing the operator by
// the strategy and, when one is free, the conditional offer transaction).
import { buildWorld } from './services.js';

export interface LatencyResult {
  name: string;
  count: number;
  p50: number;
  p99: number;
  max: number;
  /** The same decisions' CPU time: what the service costs, without the shared machine's queueing. */
  cpuP50: number;
  cpuP99: number;
  passSeconds: number;
}

export async function decisionLatency(options: {
  operators: number;
  capacity: number;
  waiting: number;
}): Promise<LatencyResult[]> {
  let timings: { ms: number; cpuMs: number }[] = [];
  const world = await buildWorld(
    { operators: options.operators, capacity: options.capacity, startAt: Date.UTC(2026, 0, 5, 9) },
    { conversationChanged: () => undefined, presenceChanged: () => undefined, queueChanged: () => undefined },
    { onDecision: (timing) => timings.push(timing) },
  );
  const fill = async () => {
    for (let i = 0; i < options.waiting; i++) {
      world.clock.now += 10;
      await world.conversations.openForVisitor(await world.newVisitor(), 'sim');
    }
  };
  const results: LatencyResult[] = [];
  const pass = async (name: string) => {
    timings = [];
    const started = performance.now();
    await world.routing.route(world.workspaceId, world.clock.now);
    const passSeconds = (performance.now() - started) / 1000;
    const wall = timings.map((t) => t.ms).sort((a, b) => a - b);
    const cpu = timings.map((t) => t.cpuMs).sort((a, b) => a - b);
    const at = (sorted: number[], q: number) =>
      sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    results.push({
      name,
      count: wall.length,
      p50: at(wall, 0.5),
      p99: at(wall, 0.99),
      max: wall.at(-1) ?? 0,
      cpuP50: at(cpu, 0.5),
      cpuP99: at(cpu, 0.99),
      passSeconds,
    });
  };
  await fill();
  await pass(
    `${options.waiting} waiting, ${options.operators * options.capacity} free slots: every decision offers`,
  );
  await fill();
  await pass(
    `${options.waiting} waiting, ${options.operators * options.capacity - options.waiting} free slots left`,
  );
  await fill();
  await pass(`${options.waiting * 3 - options.operators * options.capacity} waiting, everyone full`);
  await world.close();
  return results;
}
