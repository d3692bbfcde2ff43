/**
 * Reducing a run of metric values to one number: per downsampling bucket, and for summaries.
 */

/** How a bucket of values becomes one value. */
export type Aggregate = 'AVG' | 'MIN' | 'MAX' | 'LAST' | 'P95';

/**
 * Aggregates `values[start, end)`, which must not be empty and must be in time order (LAST is the value at
 * `end - 1`).
 *
 * P95 sorts a copy of the run. Pass a `scratch` array at least `end - start` long to sort in it instead of
 * allocating (downsampling reuses one across all buckets).
 */
export function aggregate(
  kind: Aggregate,
  values: Float64Array,
  start: number,
  end: number,
  scratch?: Float64Array,
): number {
  switch (kind) {
    case 'AVG':
      return mean(values, start, end);
    case 'MIN': {
      let min = Number.POSITIVE_INFINITY;
      for (let i = start; i < end; i += 1) min = Math.min(min, values[i] as number);
      return min;
    }
    case 'MAX': {
      let max = Number.NEGATIVE_INFINITY;
      for (let i = start; i < end; i += 1) max = Math.max(max, values[i] as number);
      return max;
    }
    case 'LAST':
      return values[end - 1] as number;
    case 'P95': {
      const run = values.subarray(start, end);
      const sorted = scratch === undefined ? run.slice() : scratch.subarray(0, run.length);
      if (scratch !== undefined) sorted.set(run);
      return quantileOfSorted(sorted.sort(), 0.95);
    }
  }
}

/**
 * The arithmetic mean of `values[start, end)` (not empty), finite for any finite values: a plain sum of values
 * near the double range (1.2e308 + 1.2e308) overflows to Infinity, which GraphQL cannot serialise. Such a sum is
 * redone over `value / count`, whose terms can never add up past the largest value; the common case keeps the
 * exact `sum / count`.
 */
export function mean(values: Float64Array, start: number, end: number): number {
  const count = end - start;
  let sum = 0;
  for (let i = start; i < end; i += 1) sum += values[i] as number;
  if (Number.isFinite(sum)) return sum / count;
  let scaled = 0;
  for (let i = start; i < end; i += 1) scaled += (values[i] as number) / count;
  return scaled;
}

/**
 * The `p`-quantile (0 <= p <= 1) of ascending, non-empty `sorted` values, by linear interpolation between
 * closest ranks: the R-7 method, NumPy's and spreadsheets' default. With n values x[0..n-1] and
 * h = (n - 1) * p, the result is x[floor h] + (h - floor h) * (x[floor h + 1] - x[floor h]). So p = 0.5 of
 * [1..10] is 5.5, p = 0.95 of [1..10] is 9.55, and any quantile of a single value is that value.
 */
export function quantileOfSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const lower = sorted[below] as number;
  const fraction = h - below;
  // At an exact rank (always so at p = 1) there is no upper neighbour to read.
  if (fraction === 0) return lower;
  const upper = sorted[below + 1] as number;
  const gap = upper - lower;
  // Neighbours of opposite signs near the double range are further apart than a double reaches.
  return Number.isFinite(gap) ? lower + fraction * gap : lower * (1 - fraction) + upper * fraction;
}
