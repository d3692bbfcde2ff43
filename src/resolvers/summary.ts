/**
 * One metric's values over the whole range, reduced to the numbers a dashboard tile shows.
 */
import { mean, quantileOfSorted } from './aggregate.js';

/** Every statistic is null when there are no values; `count` is then 0. */
export interface MetricSummary {
  readonly count: number;
  readonly min: number | null;
  readonly max: number | null;
  readonly avg: number | null;
  /** The median, by the same R-7 interpolation as `p95` (see `quantileOfSorted`). */
  readonly p50: number | null;
  readonly p95: number | null;
  /** The value of the latest point. */
  readonly last: number | null;
}

const EMPTY_SUMMARY: MetricSummary = {
  count: 0,
  min: null,
  max: null,
  avg: null,
  p50: null,
  p95: null,
  last: null,
};

/**
 * Summarizes `values`, given in time order. Percentiles interpolate linearly between closest ranks (the R-7
 * method, NumPy's default): with the n values sorted as x[0..n-1] and h = (n - 1) * p, the p-quantile is
 * x[floor h] + (h - floor h) * (x[floor h + 1] - x[floor h]).
 */
export function summarize(values: Float64Array): MetricSummary {
  const count = values.length;
  if (count === 0) return EMPTY_SUMMARY;
  // One sorted copy serves min, max and both percentiles; the input may be a cached array, never sorted in place.
  const sorted = values.slice().sort();
  return {
    count,
    min: sorted[0] as number,
    max: sorted[count - 1] as number,
    avg: mean(values, 0, count),
    p50: quantileOfSorted(sorted, 0.5),
    p95: quantileOfSorted(sorted, 0.95),
    last: values[count - 1] as number,
  };
}
