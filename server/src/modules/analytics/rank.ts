// Exact percentiles of many durations without sorting them all: the values a report reads arrive as
// one comma-joined string (string_agg) and the ranks it needs are selected in linear time.

/** The integers a string_agg joined with commas (none for null), read without splitting the string. */
export function joinedIntegers(joined: string | null): Float64Array {
  if (!joined) return new Float64Array(0);
  let count = 1;
  for (let i = 0; i < joined.length; i++) if (joined.charCodeAt(i) === 44) count += 1;
  const values = new Float64Array(count);
  let value = 0;
  let negative = false;
  let n = 0;
  for (let i = 0; i < joined.length; i++) {
    const code = joined.charCodeAt(i);
    if (code === 44 /* , */) {
      values[n++] = negative ? -value : value;
      value = 0;
      negative = false;
    } else if (code === 45 /* - */) negative = true;
    else value = value * 10 + (code - 48);
  }
  values[n] = negative ? -value : value;
  return values;
}

/** The k-th smallest value (0-based), reordering `values` (Hoare's selection: linear on average). */
function kthSmallest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i += 1;
      while (values[j]! > pivot) j -= 1;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i += 1;
        j -= 1;
      }
    }
    // [lo..j] ≤ pivot ≤ [i..hi], and what lies between equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}

/** Nearest rank: the value at position ceil(p·n) of the values in ascending order (reorders them). */
export function nearestRank(values: Float64Array, p: number): number | null {
  if (values.length === 0) return null;
  return kthSmallest(values, Math.max(0, Math.ceil(p * values.length) - 1));
}
