// Discrete-event simulation of a contact centre around the real routing service: Poisson arrivals,
// operators who accept offers after a reaction time (or miss them), exponential handle times and
// visitors who give up after an exponential patience. Time is virtual: each event sets the clock,
// acts through the real services, and runs a routing pass; offer timeouts are the real durable
// jobs, run when due.
import { exponential, seededRandom } from '../../server/dist/modules/routing/random.js';
import { buildWorld } from './services.js';

export interface Scenario {
  name: string;
  operators: number;
  capacity: number;
  /** Arrivals per second. */
  arrivalRate: number;
  handleSeconds: number;
  /** Infinity: nobody gives up. */
  patienceSeconds: number;
  /** Mean time an operator takes to accept an offer (0: at once). */
  reactionSeconds: number;
  /** Share of offers an operator lets run out. */
  missShare: number;
  /** An operator set away after misses comes back after this long. */
  awaySeconds: number;
  arrivals: number;
  /** Arrivals at the start left out of the figures while the queue fills. */
  warmup: number;
  seed: number;
}

export interface DrawnVisitor {
  at: number;
  handleMs: number;
  patienceMs: number;
}

/** What one run counted, kept raw so that runs on several seeds can be pooled before any median. */
export interface RunTallies {
  /** Waits of served visitors after the warm-up, seconds. */
  waits: number[];
  /** |estimate − actual| ÷ actual of the first estimate shown, for served visitors who waited. */
  errors: number[];
  /** (estimate − actual) ÷ actual, the same visitors. */
  signed: number[];
  /** How far the actual wait fell outside the shown range ÷ actual (0 inside it), the same visitors. */
  rangeErrors: number[];
  /** Served visitors with an estimate whose actual wait fell inside the shown range. */
  inRange: number;
  /** Served visitors with an estimate (the denominator of inRange). */
  estimatedServed: number;
  offers: number;
  misses: number;
  counted: number;
  abandoned: number;
  slotBusyMs: number;
  /** Slots × the run's length: the denominator of utilisation. */
  slotMs: number;
}

export interface ScenarioResult {
  scenario: Scenario;
  visitors: DrawnVisitor[];
  tallies: RunTallies;
  wallSeconds: number;
}

export interface ScenarioFigures {
  runs: number;
  meanWait: number;
  p95Wait: number;
  missedShare: number;
  abandonedShare: number;
  utilisation: number;
  /** Median absolute percentage error of the first shown estimate vs the actual wait. */
  estimateMdape: number | null;
  /** Median of (estimate − actual) ÷ actual: above 0 the estimates run long, below 0 short. */
  estimateBias: number | null;
  /** Median of how far the actual wait fell outside the shown range ÷ actual (0 inside it). */
  rangeMdape: number | null;
  /** Share of actual waits inside the range the visitor was shown. */
  withinShownRange: number | null;
  estimated: number;
  wallSeconds: number;
}

type SimEvent =
  | { at: number; kind: 'arrival'; index: number }
  | { at: number; kind: 'accept'; conversationId: string; operatorId: string }
  | { at: number; kind: 'complete'; conversationId: string; operatorId: string }
  | { at: number; kind: 'abandon'; conversationId: string }
  | { at: number; kind: 'jobs' }
  | { at: number; kind: 'back'; operatorId: string };

interface Tracked {
  index: number;
  arrivedAt: number;
  state: 'queued' | 'offered' | 'assigned' | 'done';
  /** When the accepted offer was made: the end of the wait. */
  servedAt: number | null;
  abandoned: boolean;
  estimate: { seconds: number; minMinutes: number; maxMinutes: number } | null;
  offeredAt: number | null;
}

/** A binary heap of events by time (ties in insertion order). */
class Agenda {
  private heap: { event: SimEvent; order: number }[] = [];
  private order = 0;
  push(event: SimEvent): void {
    this.heap.push({ event, order: this.order++ });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  pop(): SimEvent | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (!top || !last) return undefined;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.heap.length && this.before(l, m)) m = l;
        if (r < this.heap.length && this.before(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top.event;
  }
  get size(): number {
    return this.heap.length;
  }
  private before(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.event.at < y.event.at || (x.event.at === y.event.at && x.order < y.order);
  }
  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b]!, this.heap[a]!];
  }
}

const START = Date.UTC(2026, 0, 5, 9, 0, 0);
const S = 1000;

export async function simulate(scenario: Scenario): Promise<ScenarioResult> {
  const wallStart = performance.now();
  const random = seededRandom(scenario.seed);
  const agenda = new Agenda();
  const tracked = new Map<string, Tracked>();
  const newOffers: { conversationId: string; operatorId: string }[] = [];
  let offers = 0;
  let misses = 0;
  let slotBusyMs = 0;
  const heldSince = new Map<string, number>();

  const world = await buildWorld(
    { operators: scenario.operators, capacity: scenario.capacity, startAt: START },
    {
      conversationChanged: (conversation) => {
        const t = tracked.get(conversation.id);
        if (!t) return;
        if (conversation.status === 'offered' && conversation.assigneeId && t.state === 'queued') {
          t.state = 'offered';
          t.offeredAt = world.clock.now;
          heldSince.set(conversation.id, world.clock.now);
          newOffers.push({ conversationId: conversation.id, operatorId: conversation.assigneeId });
        } else if (conversation.status === 'queued' && t.state === 'offered') {
          // The offer ran out: a missed chat, back in line.
          t.state = 'queued';
          misses += 1;
          slotBusyMs += world.clock.now - (heldSince.get(conversation.id) ?? world.clock.now);
          heldSince.delete(conversation.id);
        }
      },
      presenceChanged: (userId, presence) => {
        if (presence === 'away')
          agenda.push({ at: world.clock.now + scenario.awaySeconds * S, kind: 'back', operatorId: userId });
      },
      queueChanged: () => undefined,
    },
    {
      onEstimate: (conversationId, estimate) => {
        const t = tracked.get(conversationId);
        if (t && estimate && t.estimate === null && t.state === 'queued' && world.clock.now === t.arrivedAt)
          t.estimate = {
            seconds: estimate.seconds,
            minMinutes: estimate.minMinutes,
            maxMinutes: estimate.maxMinutes,
          };
      },
    },
  );
  const { workspaceId } = world;

  const route = async () => {
    await world.routing.route(workspaceId, world.clock.now);
    for (const offer of newOffers.splice(0)) {
      offers += 1;
      const reaction = exponential(random, scenario.reactionSeconds) * S;
      const timeoutMs = 30 * S;
      if (random() < scenario.missShare || reaction >= timeoutMs) {
        agenda.push({ at: world.clock.now + timeoutMs, kind: 'jobs' });
      } else {
        agenda.push({ at: world.clock.now + reaction, kind: 'accept', ...offer });
      }
    }
  };

  // Each visitor's arrival, handle time and patience are drawn up front, so a reference queue can
  // be run on exactly the same draws (common random numbers).
  const visitors = drawVisitors(scenario, random);
  for (const [index, visitor] of visitors.entries()) agenda.push({ at: visitor.at, kind: 'arrival', index });

  for (let event = agenda.pop(); event; event = agenda.pop()) {
    world.clock.now = event.at;
    switch (event.kind) {
      case 'arrival': {
        const visitor = await world.newVisitor();
        const conversation = await world.conversations.openForVisitor(visitor, 'sim');
        tracked.set(conversation.id, {
          index: event.index,
          arrivedAt: event.at,
          state: 'queued',
          servedAt: null,
          abandoned: false,
          estimate: null,
          offeredAt: null,
        });
        const patience = visitors[event.index]?.patienceMs ?? Infinity;
        if (Number.isFinite(patience))
          agenda.push({ at: event.at + patience, kind: 'abandon', conversationId: conversation.id });
        await route();
        break;
      }
      case 'accept': {
        const c = tracked.get(event.conversationId);
        if (!c || c.state !== 'offered') break;
        await world.conversations.take(world.operatorPrincipal(event.operatorId), event.conversationId);
        c.state = 'assigned';
        c.servedAt = c.offeredAt;
        agenda.push({
          at: event.at + (visitors[c.index]?.handleMs ?? 0),
          kind: 'complete',
          conversationId: event.conversationId,
          operatorId: event.operatorId,
        });
        break;
      }
      case 'complete': {
        const c = tracked.get(event.conversationId);
        if (!c) break;
        await world.conversations.resolve(world.operatorPrincipal(event.operatorId), event.conversationId);
        c.state = 'done';
        slotBusyMs += event.at - (heldSince.get(event.conversationId) ?? event.at);
        heldSince.delete(event.conversationId);
        await route();
        break;
      }
      case 'abandon': {
        const c = tracked.get(event.conversationId);
        if (!c || c.state !== 'queued') break;
        // The visitor leaves the line: the conversation is closed without an operator.
        await world.conversations.resolve(
          world.operatorPrincipal(world.operatorIds[0]!),
          event.conversationId,
        );
        c.state = 'done';
        c.abandoned = true;
        c.servedAt = null;
        await route();
        break;
      }
      case 'jobs':
        await world.jobs.runDue(event.at);
        await world.routing.settled(workspaceId);
        await route();
        break;
      case 'back':
        await world.routing.setPresence(workspaceId, event.operatorId, 'online');
        await world.routing.settled(workspaceId);
        await route();
        break;
    }
  }
  const end = world.clock.now;
  await world.close();

  const counted = [...tracked.values()].filter((c) => c.index >= scenario.warmup);
  const served = counted.filter((c) => c.servedAt !== null);
  const tallies: RunTallies = {
    waits: served.map((c) => ((c.servedAt ?? 0) - c.arrivedAt) / S),
    errors: [],
    signed: [],
    rangeErrors: [],
    inRange: 0,
    estimatedServed: 0,
    offers,
    misses,
    counted: counted.length,
    abandoned: counted.filter((c) => c.abandoned).length,
    slotBusyMs,
    slotMs: scenario.operators * scenario.capacity * (end - START),
  };
  for (const c of served) {
    if (!c.estimate) continue;
    const actual = ((c.servedAt ?? 0) - c.arrivedAt) / S;
    tallies.estimatedServed += 1;
    if (actual >= c.estimate.minMinutes * 60 && actual <= c.estimate.maxMinutes * 60) tallies.inRange += 1;
    if (actual <= 0) continue;
    tallies.signed.push((c.estimate.seconds - actual) / actual);
    tallies.errors.push(Math.abs(c.estimate.seconds - actual) / actual);
    const [low, high] = [c.estimate.minMinutes * 60, c.estimate.maxMinutes * 60];
    tallies.rangeErrors.push(Math.max(low - actual, actual - high, 0) / actual);
  }
  return { scenario, visitors, tallies, wallSeconds: (performance.now() - wallStart) / 1000 };
}

/** The figures of one or more runs of a scenario, pooled: every visitor of every run counts once. */
export function figuresOf(results: ScenarioResult[]): ScenarioFigures {
  const all = results.map((r) => r.tallies);
  const sum = (pick: (t: RunTallies) => number) => all.reduce((total, t) => total + pick(t), 0);
  const waits = all.flatMap((t) => t.waits).sort((a, b) => a - b);
  const errors = all.flatMap((t) => t.errors).sort((a, b) => a - b);
  const signed = all.flatMap((t) => t.signed).sort((a, b) => a - b);
  const estimatedServed = sum((t) => t.estimatedServed);
  return {
    runs: results.length,
    meanWait: waits.reduce((a, b) => a + b, 0) / Math.max(1, waits.length),
    p95Wait: waits[Math.floor(0.95 * (waits.length - 1))] ?? 0,
    missedShare: sum((t) => t.offers) > 0 ? sum((t) => t.misses) / sum((t) => t.offers) : 0,
    abandonedShare:
      sum((t) => t.abandoned) /
      Math.max(
        1,
        sum((t) => t.counted),
      ),
    utilisation:
      sum((t) => t.slotBusyMs) /
      Math.max(
        1,
        sum((t) => t.slotMs),
      ),
    estimateMdape: median(errors),
    estimateBias: median(signed),
    rangeMdape: median(all.flatMap((t) => t.rangeErrors).sort((a, b) => a - b)),
    withinShownRange: estimatedServed > 0 ? sum((t) => t.inRange) / estimatedServed : null,
    estimated: errors.length,
    wallSeconds: results.reduce((total, r) => total + r.wallSeconds, 0),
  };
}

/** Arrival times, handle times and patience of a scenario's visitors, from `random`. */
export function drawVisitors(scenario: Scenario, random: () => number): DrawnVisitor[] {
  const visitors: DrawnVisitor[] = [];
  let t = START;
  for (let i = 0; i < scenario.arrivals; i++) {
    t += exponential(random, 1 / scenario.arrivalRate) * S;
    visitors.push({
      at: t,
      handleMs: exponential(random, scenario.handleSeconds) * S,
      patienceMs: exponential(random, scenario.patienceSeconds) * S,
    });
  }
  return visitors;
}

/**
 * The textbook queue on the same draws: first come, first served to the earliest free slot, no
 * abandonment. Its mean wait (after the warm-up) is what the real service must reproduce exactly
 * when operators accept at once, and it shares the sampling noise of the run.
 */
export function referenceWaits(visitors: DrawnVisitor[], slots: number, warmup: number): number[] {
  const freeAt: number[] = Array.from({ length: slots }, () => 0);
  const waits: number[] = [];
  for (const [i, visitor] of visitors.entries()) {
    let k = 0;
    for (let j = 1; j < slots; j++) if ((freeAt[j] ?? 0) < (freeAt[k] ?? 0)) k = j;
    const start = Math.max(visitor.at, freeAt[k] ?? 0);
    freeAt[k] = start + visitor.handleMs;
    if (i >= warmup) waits.push((start - visitor.at) / S);
  }
  return waits;
}

/**
 * The floor under the estimate's error on the same draws: in the textbook queue, a visitor who
 * arrives to find every slot busy and p - 1 waiting ahead waits for p departures, each after an
 * exponential time of mean handle ÷ slots, so even an estimator that knew the true mean handle
 * time ((p − ⅓) × handle ÷ slots, the median of that wait) is off by the spread of the wait itself.
 * Absolute percentage errors of that estimate for the visitors who waited, after the warm-up.
 */
export function referenceEstimateErrors(
  visitors: DrawnVisitor[],
  slots: number,
  warmup: number,
  handleSeconds: number,
): number[] {
  const freeAt: number[] = Array.from({ length: slots }, () => 0);
  const starts: number[] = [];
  const errors: number[] = [];
  let firstNotStarted = 0;
  for (const [i, visitor] of visitors.entries()) {
    let k = 0;
    for (let j = 1; j < slots; j++) if ((freeAt[j] ?? 0) < (freeAt[k] ?? 0)) k = j;
    const start = Math.max(visitor.at, freeAt[k] ?? 0);
    freeAt[k] = start + visitor.handleMs;
    starts.push(start);
    if (start <= visitor.at || i < warmup) continue;
    // Starts are in arrival order (first come, first served), so those ahead are a contiguous run.
    while ((starts[firstNotStarted] ?? Infinity) <= visitor.at) firstNotStarted += 1;
    const position = i - firstNotStarted + 1;
    const actual = (start - visitor.at) / S;
    // The median of that gamma wait, as the service shows (wait-estimate.ts): (p − ⅓) gaps.
    errors.push(Math.abs(((position - 1 / 3) * handleSeconds) / slots - actual) / actual);
  }
  return errors;
}

/** The median of sorted values, null for none. */
export function median(sorted: number[]): number | null {
  return sorted.length > 0 ? (sorted[Math.floor((sorted.length - 1) / 2)] ?? null) : null;
}
