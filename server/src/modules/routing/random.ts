// A small seeded random source (mulberry32) for reproducible simulations: the unit tests of the
// estimators and the routing simulation benchmark draw from it.

export type Random = () => number;

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An exponentially distributed draw with the given mean (Infinity stays Infinity). */
export function exponential(random: Random, mean: number): number {
  if (!Number.isFinite(mean)) return Infinity;
  return -mean * Math.log(1 - random());
}
