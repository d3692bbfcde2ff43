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
    case 'AVG': {
      let sum = 0;
      for (let i = start; i < end; i += 1) sum += values[i] as number;
      return sum / (end - start);
    }
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
  return lower + fraction * ((sorted[below + 1] as number) - lower);
}
