import { describe, expect, it } from 'vitest';
import { estimateFromHistory, type HistoryEvent } from './history.js';
import { erlangAClosedForm, queueFigures, type QueueModel } from './queueing.js';
import { exponential, seededRandom } from './random.js';

const S = 1000;

/** FCFS M/M/n+M queue, written as the event log routing would leave behind. */
function simulatedLog(model: QueueModel, arrivals: number, seed: number) {
  const random = seededRandom(seed);
  const freeAt: number[] = Array.from({ length: model.servers }, () => 0);
  const events: HistoryEvent[] = [];
  let t = 0;
  let totalWait = 0;
  let gaveUp = 0;
  for (let i = 0; i < arrivals; i++) {
    t += exponential(random, 1 / model.arrivalRate) * S;
    const id = `c${i}`;
    events.push({ conversationId: id, type: 'queued', at: t });
    const server = freeAt.indexOf(Math.min(...freeAt));
    const start = Math.max(t, freeAt[server] ?? 0);
    const patience = exponential(random, model.patienceSeconds) * S;
    if (start - t > patience) {
      events.push({ conversationId: id, type: 'resolved', at: t + patience });
      totalWait += patience;
      gaveUp += 1;
      continue;
    }
    const end = start + exponential(random, model.handleSeconds) * S;
    freeAt[server] = end;
    totalWait += start - t;
    events.push({ conversationId: id, type: 'offered', at: start });
    events.push({ conversationId: id, type: 'assigned', at: start + 1 });
    events.push({ conversationId: id, type: 'resolved', at: end });
  }
  events.sort((a, b) => a.at - b.at);
  return { events, end: t, meanWaitSeconds: totalWait / arrivals / S, abandonment: gaveUp / arrivals };
}

describe('Erlang A', () => {
  it('the birth-death chain matches the closed form (incomplete gamma) for several loads', () => {
    for (const model of [
      { arrivalRate: 0.1, handleSeconds: 60, servers: 5, patienceSeconds: 120 },
      { arrivalRate: 0.5, handleSeconds: 300, servers: 140, patienceSeconds: 600 },
      { arrivalRate: 0.2, handleSeconds: 60, servers: 10, patienceSeconds: 45 }, // overloaded
      { arrivalRate: 0.01, handleSeconds: 100, servers: 1, patienceSeconds: 1000 },
    ]) {
      const chain = queueFigures(model);
      const closed = erlangAClosedForm(model);
      expect(chain.waitProbability).toBeCloseTo(closed.waitProbability, 6);
      expect(chain.abandonment).toBeCloseTo(closed.abandonment, 6);
      expect(chain.meanWaitSeconds / closed.meanWaitSeconds).toBeCloseTo(1, 5);
    }
  });

  it('with very long patience tends to Erlang C', () => {
    const closed = erlangAClosedForm({
      arrivalRate: 1 / 60,
      handleSeconds: 60,
      servers: 2,
      patienceSeconds: 1e9,
    });
    // Erlang C for 2 servers at 1 Erlang: P(wait) = 1/3.
    expect(closed.waitProbability).toBeCloseTo(1 / 3, 4);
  });
});

describe('handle time and patience from the event log', () => {
  it('reads handle stints from offer to resolve and counts waits that ended without service as abandoned', () => {
    const events: HistoryEvent[] = [
      { conversationId: 'a', type: 'queued', at: 0 },
      { conversationId: 'a', type: 'offered', at: 10 * S },
      { conversationId: 'a', type: 'assigned', at: 12 * S },
      { conversationId: 'a', type: 'resolved', at: 110 * S }, // held 100 s, waited 10 s
      { conversationId: 'b', type: 'queued', at: 0 },
      { conversationId: 'b', type: 'offered', at: 5 * S },
      { conversationId: 'b', type: 'missed', at: 35 * S }, // the miss is not a handle stint
      { conversationId: 'b', type: 'offered', at: 40 * S }, // waited 5 + 5 s
      { conversationId: 'b', type: 'transferred', at: 90 * S, toOperator: true }, // stays held
      { conversationId: 'b', type: 'resolved', at: 240 * S }, // held 200 s
      { conversationId: 'c', type: 'queued', at: 0 },
      { conversationId: 'c', type: 'resolved', at: 60 * S }, // gave up after 60 s
      { conversationId: 'd', type: 'queued', at: 100 * S },
      { conversationId: 'd', type: 'assigned', at: 100 * S }, // taken by hand
      { conversationId: 'd', type: 'closed_idle', at: 400 * S }, // held 300 s
      { conversationId: 'e', type: 'queued', at: 200 * S }, // still waiting at 300: 100 s censored
    ];
    const estimate = estimateFromHistory(events, 300 * S);
    expect(estimate.handled).toBe(3);
    expect(estimate.meanHandleSeconds).toBeCloseTo((100 + 200 + 300) / 3, 9);
    expect(estimate.abandoned).toBe(1);
    // Exposure: 10 + 10 + 60 + 0 + 100 (censored) = 180 s for one abandonment.
    expect(estimate.meanPatienceSeconds).toBeCloseTo(180, 9);
  });

  it('knows nothing from too little, and no abandonment means infinite patience', () => {
    expect(estimateFromHistory([], 0)).toMatchObject({
      meanHandleSeconds: undefined,
      meanPatienceSeconds: undefined,
    });
    const served = estimateFromHistory(
      [
        { conversationId: 'a', type: 'queued', at: 0 },
        { conversationId: 'a', type: 'offered', at: 1 },
      ],
      10,
    );
    expect(served.meanHandleSeconds).toBeUndefined();
    expect(served.meanPatienceSeconds).toBe(Infinity);
  });

  it('recovers the parameters of a simulated M/M/n+M queue, whose waits match closed-form Erlang A', () => {
    const model = { arrivalRate: 0.09, handleSeconds: 100, servers: 10, patienceSeconds: 200 };
    const log = simulatedLog(model, 60_000, 7);
    const estimate = estimateFromHistory(log.events, log.end);
    expect(estimate.meanHandleSeconds! / model.handleSeconds).toBeCloseTo(1, 1);
    expect(estimate.meanPatienceSeconds! / model.patienceSeconds).toBeGreaterThan(0.9);
    expect(estimate.meanPatienceSeconds! / model.patienceSeconds).toBeLessThan(1.1);
    const closed = erlangAClosedForm(model);
    expect(log.meanWaitSeconds / closed.meanWaitSeconds).toBeGreaterThan(0.9);
    expect(log.meanWaitSeconds / closed.meanWaitSeconds).toBeLessThan(1.1);
    expect(log.abandonment).toBeCloseTo(closed.abandonment, 2);
  });

  it('measures the rate the line moves at only while someone waits: the slots freeing up, n/handle', () => {
    // 10 slots of 100 s: under load a slot frees every 10 s; at ρ 0.8 assignments come only every 12.5 s.
    const model = { arrivalRate: 0.08, handleSeconds: 100, servers: 10, patienceSeconds: Infinity };
    const log = simulatedLog(model, 40_000, 11);
    const estimate = estimateFromHistory(log.events, log.end, { timeConstantMs: 1e12, graceMs: 2_000 });
    expect(estimate.busyOffers).toBeGreaterThan(1000);
    expect(estimate.busyRatePerSecond * model.handleSeconds).toBeGreaterThan(9);
    expect(estimate.busyRatePerSecond * model.handleSeconds).toBeLessThan(11);
  });

  it('weighs recent stretches of waiting more than old ones', () => {
    const stint = (id: string, from: number, to: number): HistoryEvent[] => [
      { conversationId: id, type: 'queued', at: from },
      { conversationId: id, type: 'offered', at: to },
    ];
    // Long ago the line moved one every 100 s, lately one every 10 s.
    const events = [...stint('old', 0, 100 * S), ...stint('new', 3_600 * S, 3_610 * S)];
    const estimate = estimateFromHistory(events, 3_610 * S, { timeConstantMs: 600 * S, graceMs: 0 });
    expect(estimate.busyOffers).toBe(2);
    expect(1 / estimate.busyRatePerSecond).toBeLessThan(12);
  });
});
