// Handle time and patience from the recent event log, for the Erlang A fallback of the wait
// estimate. Both are exponential maximum-likelihood estimates with censoring: the total time
// observed (including stints still running at `now`) divided by the number of stints that ended.
// Pure, so it is checked against known distributions in unit tests.

/** One row of the conversation event log, as much of it as the estimate needs. */
export interface HistoryEvent {
  conversationId: string;
  type: string;
  at: number;
  /** For `transferred`: a handover to a person keeps the conversation assigned. */
  toOperator?: boolean;
}

export interface HistoryEstimate {
  /** Mean time an operator slot is held by a conversation (offer to resolve), or undefined when too little is known. */
  meanHandleSeconds: number | undefined;
  /** Mean patience of a waiting visitor; Infinity when nobody gave up (Erlang C), undefined when nobody waited. */
  meanPatienceSeconds: number | undefined;
  handled: number;
  abandoned: number;
  /**
   * The rate (per second) at which waiting visitors were taken while someone was waiting: slots
   * freeing up under load, which is what moves a line. Exponentially weighted towards `now`.
   */
  busyRatePerSecond: number;
  /** Offers to visitors who had waited, behind that rate. */
  busyOffers: number;
}

export interface HistoryOptions {
  /** Time constant of the weighting of the busy rate. */
  timeConstantMs: number;
  /** A wait shorter than this is routing's own latency, not a line. */
  graceMs: number;
}

const DEFAULT_OPTIONS: HistoryOptions = { timeConstantMs: 15 * 60_000, graceMs: 2_000 };

/** Event types the estimate reads; the caller fetches only these. */
export const HISTORY_EVENT_TYPES = [
  'queued',
  'reopened',
  'missed',
  'offered',
  'assigned',
  'transferred',
  'escalated',
  'resolved',
  'closed_idle',
  'went_offline',
] as const;

/** Fewer ended handle stints than this and the mean is not worth showing. */
export const MIN_HANDLED = 3;

interface Open {
  queuedSince?: number | undefined;
  heldSince?: number | undefined;
}

/** `events` in time order. */
export function estimateFromHistory(
  events: readonly HistoryEvent[],
  now: number,
  options: HistoryOptions = DEFAULT_OPTIONS,
): HistoryEstimate {
  const open = new Map<string, Open>();
  /** Stretches of real waiting: [queued + grace, end] of each stint longer than the grace. */
  const lines: [number, number][] = [];
  let busyOffers = 0;
  let weightedOffers = 0;
  const weight = (at: number) => Math.exp(-(now - at) / options.timeConstantMs);
  let handleMs = 0;
  let handled = 0;
  let waitMs = 0;
  let waited = 0;
  let abandoned = 0;
  const endWait = (state: Open, at: number, gaveUp: boolean) => {
    if (state.queuedSince === undefined) return;
    if (at - state.queuedSince > options.graceMs) {
      lines.push([state.queuedSince + options.graceMs, at]);
      if (!gaveUp) {
        busyOffers += 1;
        weightedOffers += weight(at);
      }
    }
    waitMs += at - state.queuedSince;
    waited += 1;
    if (gaveUp) abandoned += 1;
    state.queuedSince = undefined;
  };
  const endHold = (state: Open, at: number) => {
    if (state.heldSince === undefined) return;
    handleMs += at - state.heldSince;
    handled += 1;
    state.heldSince = undefined;
  };
  for (const event of events) {
    let state = open.get(event.conversationId);
    if (!state) open.set(event.conversationId, (state = {}));
    switch (event.type) {
      case 'queued':
      case 'reopened':
      case 'escalated':
        endHold(state, event.at);
        state.queuedSince = event.at;
        break;
      case 'transferred':
        if (event.toOperator) break;
        endHold(state, event.at);
        state.queuedSince = event.at;
        break;
      case 'missed':
        // A missed offer hands the slot back without serving anyone: not a handle time.
        state.heldSince = undefined;
        state.queuedSince = event.at;
        break;
      case 'offered':
        endWait(state, event.at, false);
        state.heldSince = event.at;
        break;
      case 'assigned':
        // Taken by hand from the line, or an offer accepted (already held since the offer).
        endWait(state, event.at, false);
        state.heldSince ??= event.at;
        break;
      case 'resolved':
      case 'closed_idle':
      case 'went_offline':
        endWait(state, event.at, true);
        endHold(state, event.at);
        break;
    }
  }
  // Stints still running are censored observations: their time counts, they did not end.
  let openHoldMs = 0;
  let openWaitMs = 0;
  for (const state of open.values()) {
    if (state.heldSince !== undefined) openHoldMs += now - state.heldSince;
    if (state.queuedSince !== undefined) {
      openWaitMs += now - state.queuedSince;
      if (now - state.queuedSince > options.graceMs) lines.push([state.queuedSince + options.graceMs, now]);
    }
  }
  const busySeconds = weightedUnion(lines, now, options.timeConstantMs) / 1000;
  const meanHandleSeconds = handled >= MIN_HANDLED ? (handleMs + openHoldMs) / handled / 1000 : undefined;
  const exposure = waitMs + openWaitMs;
  let meanPatienceSeconds: number | undefined;
  if (abandoned > 0) meanPatienceSeconds = exposure / abandoned / 1000;
  else if (waited > 0) meanPatienceSeconds = Infinity;
  return {
    meanHandleSeconds,
    meanPatienceSeconds,
    handled,
    abandoned,
    busyRatePerSecond: busySeconds > 0 ? weightedOffers / busySeconds : 0,
    busyOffers,
  };
}

/** ∫ over the union of the intervals of e^(-(now - t)/τ) dt, in ms. */
function weightedUnion(intervals: [number, number][], now: number, tau: number): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let from = -Infinity;
  let to = -Infinity;
  const add = (a: number, b: number) => {
    if (b > a) total += tau * (Math.exp(-(now - b) / tau) - Math.exp(-(now - a) / tau));
  };
  for (const [a, b] of sorted) {
    if (a > to) {
      add(from, to);
      [from, to] = [a, b];
    } else to = Math.max(to, b);
  }
  add(from, to);
  return total;
}
