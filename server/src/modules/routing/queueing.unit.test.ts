import { describe, expect, it } from 'vitest';
import { erlangCMeanWait, expectedWaitAtPosition, queueFigures } from './queueing.js';

describe('queue figures', () => {
  it('match the closed-form Erlang C without abandonment', () => {
    for (const [arrivalRate, handleSeconds, servers] of [
      [0.1, 60, 8],
      [1, 180, 200],
      [0.05, 300, 18],
    ] as const) {
      const chain = queueFigures({ arrivalRate, handleSeconds, servers, patienceSeconds: Infinity });
      expect(chain.meanWaitSeconds).toBeCloseTo(erlangCMeanWait({ arrivalRate, handleSeconds, servers }), 6);
      expect(chain.utilisation).toBeCloseTo((arrivalRate * handleSeconds) / servers, 6);
    }
  });

  it('reproduce a textbook Erlang C value', () => {
    // 2 servers, offered load 1 Erlang: P(wait) = 1/3, mean wait = P(wait) / (nμ - λ).
    const figures = queueFigures({
      arrivalRate: 1 / 60,
      handleSeconds: 60,
      servers: 2,
      patienceSeconds: Infinity,
    });
    expect(figures.waitProbability).toBeCloseTo(1 / 3, 9);
    expect(figures.meanWaitSeconds).toBeCloseTo(1 / 3 / (2 / 60 - 1 / 60), 6);
  });

  it('with patience: stay finite when overloaded, and abandonment balances the excess', () => {
    const figures = queueFigures({ arrivalRate: 0.2, handleSeconds: 60, servers: 10, patienceSeconds: 120 });
    expect(Number.isFinite(figures.meanWaitSeconds)).toBe(true);
    // Served rate = λ(1 - abandonment) cannot exceed capacity n/handle.
    expect(0.2 * (1 - figures.abandonment)).toBeLessThanOrEqual(10 / 60 + 1e-9);
    expect(figures.abandonment).toBeGreaterThan(0.1);
  });

  it('M/M/1+M: abandonment share equals θ·E[Q]/λ by construction and is below the no-patience wait', () => {
    const patient = queueFigures({
      arrivalRate: 0.009,
      handleSeconds: 100,
      servers: 1,
      patienceSeconds: Infinity,
    });
    const impatient = queueFigures({
      arrivalRate: 0.009,
      handleSeconds: 100,
      servers: 1,
      patienceSeconds: 200,
    });
    expect(impatient.meanWaitSeconds).toBeLessThan(patient.meanWaitSeconds);
    expect(patient.meanWaitSeconds).toBeCloseTo(0.9 / (0.01 - 0.009), 3);
  });

  it('grow the wait with the position in line, and shrink it with impatience ahead', () => {
    expect(expectedWaitAtPosition(3, 2, 60, Infinity)).toBeCloseTo(90, 9);
    expect(expectedWaitAtPosition(3, 2, 60, 60)).toBeLessThan(90);
  });
});
