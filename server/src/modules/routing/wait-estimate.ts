// The wait a queued visitor is shown: the recent rate the line moved at and the Erlang A model
// (handle time and patience from recent history), each weighted by the count it rests on; always
// a rounded range, never a falsely precise number, and nothing at all when nobody is online or
// nothing is known.
import { expectedWaitAtPosition } from './queueing.js';

/**
 * The rate the line moves at (visitors taken per second while someone waited, exponentially
 * weighted towards `updatedAt`; see history.ts), and how many offers it rests on.
 */
export interface Throughput {
  ratePerSecond: number;
  updatedAt: number;
  /** Events seen, to know when the rate is trustworthy. */
  events: number;
}

export function decayedRate(state: Throughput, now: number, timeConstantMs: number): number {
  return state.ratePerSecond * Math.exp(-Math.max(0, now - state.updatedAt) / timeConstantMs);
}

export interface WaitInputs {
  /** 1 for the next in line. */
  position: number;
  onlineOperators: number;
  /** Operator slots online (Σ capacity), the servers of the model. */
  slots: number;
  throughput: Throughput;
  now: number;
  timeConstantMs: number;
  /** From recent history; undefined when there is none. */
  meanHandleSeconds: number | undefined;
  /** Ended handle stints behind meanHandleSeconds. */
  handled: number;
  meanPatienceSeconds: number | undefined;
}

export interface WaitRange {
  /** Central estimate in seconds: the median wait. */
  seconds: number;
  minMinutes: number;
  maxMinutes: number;
  basis: 'throughput' | 'erlang-a' | 'both';
}

/** Enough events in the window that the rate means something. */
const MIN_EVENTS = 8;
const RANGES_MINUTES: readonly [number, number][] = [
  [0, 1],
  [1, 2],
  [2, 5],
  [5, 10],
  [10, 15],
  [15, 30],
  [30, 60],
];

export function estimateWait(inputs: WaitInputs): WaitRange | null {
  const mean = meanWait(inputs);
  return mean && toRange(mean.seconds * medianShare(inputs.position), mean.basis);
}

/**
 * The wait of the p-th in line is p gaps between departures: a skewed (gamma) wait whose median
 * lies below its mean, at about (p − ⅓) / p of it (two thirds for the next in line, nearly all of it
 * far down the line). The visitor is shown the median: as many wait less than shown as wait more.
 */
function medianShare(position: number): number {
  const p = Math.max(1, position);
  return (p - 1 / 3) / p;
}

function meanWait(inputs: WaitInputs): { seconds: number; basis: WaitRange['basis'] } | null {
  if (inputs.onlineOperators === 0 || inputs.slots === 0) return null;
  const measured = fromThroughput(inputs);
  const modelled = fromErlangA(inputs);
  if (measured && modelled) {
    // Two estimates of one wait, each as sure as the count it rests on (a rate from n events is
    // off by about 1/√n): weighted by those counts. The busy rate only counts visitors who had
    // waited, a few per busy minute; handle times come from every conversation handled, so while
    // the line is short and its rate thin the model carries the estimate, and the measured rate
    // takes over where the line really moves at a pace of its own.
    const seconds =
      (measured.seconds * measured.weight + modelled.seconds * modelled.weight) /
      (measured.weight + modelled.weight);
    return { seconds, basis: 'both' };
  }
  return measured ?? modelled;
}

interface PointEstimate {
  seconds: number;
  weight: number;
  basis: WaitRange['basis'];
}

function fromThroughput(inputs: WaitInputs): PointEstimate | null {
  const rate = decayedRate(inputs.throughput, inputs.now, inputs.timeConstantMs);
  if (inputs.throughput.events < MIN_EVENTS || rate <= 0) return null;
  return { seconds: inputs.position / rate, weight: inputs.throughput.events, basis: 'throughput' };
}

function fromErlangA(inputs: WaitInputs): PointEstimate | null {
  if (inputs.meanHandleSeconds === undefined) return null;
  const seconds = expectedWaitAtPosition(
    inputs.position,
    inputs.slots,
    inputs.meanHandleSeconds,
    inputs.meanPatienceSeconds ?? Infinity,
  );
  return { seconds, weight: inputs.handled, basis: 'erlang-a' };
}

function toRange(seconds: number, basis: WaitRange['basis']): WaitRange {
  const minutes = seconds / 60;
  const range = RANGES_MINUTES.find(([, max]) => minutes < max) ?? [60, 120];
  return { seconds, minMinutes: range[0], maxMinutes: range[1], basis };
}
