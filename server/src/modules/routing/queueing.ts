// Queueing formulas for the wait estimate: Erlang C (no abandonment) and Erlang A (exponential
// patience), computed from the birth-death chain so both come from one small, checkable routine.

export interface QueueModel {
  /** Arrivals per second. */
  arrivalRate: number;
  /** Mean handle time in seconds (an agent slot serves at 1 / handle time). */
  handleSeconds: number;
  /** Servers: operator slots (operators × capacity). */
  servers: number;
  /** Mean patience in seconds before a waiting visitor leaves; Infinity for none (Erlang C). */
  patienceSeconds: number;
}

export interface QueueFigures {
  /** Probability an arrival has to wait. */
  waitProbability: number;
  /** Mean time in queue over all arrivals, in seconds. */
  meanWaitSeconds: number;
  /** Share of arrivals that abandon (0 without patience limits). */
  abandonment: number;
  /** Busy share of server capacity. */
  utilisation: number;
}

const TAIL_EPSILON = 1e-12;
const MAX_STATES = 200_000;

/** Stationary figures of the M/M/n+M queue (Erlang A); with infinite patience, Erlang C. */
export function queueFigures(model: QueueModel): QueueFigures {
  const { arrivalRate: lambda, servers: n } = model;
  const mu = 1 / model.handleSeconds;
  const theta = Number.isFinite(model.patienceSeconds) ? 1 / model.patienceSeconds : 0;
  if (n <= 0) throw new RangeError('At least one server is needed');
  if (theta === 0 && lambda >= n * mu) {
    return { waitProbability: 1, meanWaitSeconds: Infinity, abandonment: 0, utilisation: 1 };
  }
  // Unnormalised probabilities p_k with p_0 = 1: p_k = p_{k-1} * λ / death(k).
  let p = 1;
  let total = 1;
  let waitingMass = 0;
  let queueLength = 0;
  let busy = 0;
  for (let k = 1; k < MAX_STATES; k++) {
    const death = Math.min(k, n) * mu + Math.max(k - n, 0) * theta;
    p *= lambda / death;
    total += p;
    busy += Math.min(k, n) * p;
    if (k >= n) waitingMass += p;
    if (k > n) queueLength += (k - n) * p;
    if (k > n && p < TAIL_EPSILON * total && (theta > 0 || lambda / (n * mu) < 1)) break;
  }
  const meanQueue = queueLength / total;
  const abandonment = lambda > 0 ? (theta * meanQueue) / lambda : 0;
  return {
    waitProbability: waitingMass / total,
    meanWaitSeconds: lambda > 0 ? meanQueue / lambda : 0,
    abandonment,
    utilisation: busy / total / n,
  };
}

/** Closed-form Erlang C mean wait, used to check the chain above (and by the simulation bench). */
export function erlangCMeanWait(model: Omit<QueueModel, 'patienceSeconds'>): number {
  const { arrivalRate: lambda, servers: n } = model;
  const mu = 1 / model.handleSeconds;
  const load = lambda / mu;
  if (load >= n) return Infinity;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < n; k++) {
    term *= load / k;
    sum += term;
  }
  const last = (term * load) / n;
  const waitProbability = (last * (n / (n - load))) / (sum + last * (n / (n - load)));
  return waitProbability / (n * mu - lambda);
}

/**
 * Closed-form Erlang A (M/M/n+M) of Mandelbaum and Zeltyn, used to check the chain above:
 * with x = nμ/θ, y = λ/θ and A(x, y) = Σ_k y^k / ((x+1)…(x+k)) (the incomplete-gamma term),
 * P(wait) = A·B / (1 + (A − 1)·B) with B the Erlang B blocking of n servers, and
 * P(abandon) = (1/(ρA) + 1 − 1/ρ)·P(wait), mean wait = P(abandon)/θ.
 */
export function erlangAClosedForm(model: QueueModel): Omit<QueueFigures, 'utilisation'> {
  const { arrivalRate: lambda, servers: n } = model;
  const mu = 1 / model.handleSeconds;
  const theta = 1 / model.patienceSeconds;
  const x = (n * mu) / theta;
  const y = lambda / theta;
  let a = 1;
  let term = 1;
  for (let k = 1; k < MAX_STATES && term > TAIL_EPSILON * a; k++) {
    term *= y / (x + k);
    a += term;
  }
  let blocking = 1;
  for (let k = 1; k <= n; k++) blocking = ((lambda / mu) * blocking) / (k + (lambda / mu) * blocking);
  const rho = lambda / (n * mu);
  const waitProbability = (a * blocking) / (1 + (a - 1) * blocking);
  const abandonment = (1 / (rho * a) + 1 - 1 / rho) * waitProbability;
  return { waitProbability, abandonment, meanWaitSeconds: abandonment / theta };
}

/**
 * Expected wait of the visitor at `position` (1 = next) while every slot is busy: each step ahead
 * ends when any slot frees (rate n·μ) or anyone ahead gives up (rate θ each).
 */
export function expectedWaitAtPosition(
  position: number,
  servers: number,
  handleSeconds: number,
  patienceSeconds: number,
): number {
  const mu = 1 / handleSeconds;
  const theta = Number.isFinite(patienceSeconds) ? 1 / patienceSeconds : 0;
  let seconds = 0;
  for (let ahead = position - 1; ahead >= 0; ahead--) seconds += 1 / (servers * mu + ahead * theta);
  return seconds;
}
