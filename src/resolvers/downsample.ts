/**
 * Fewer points for charts: one aggregated point per fixed-length bucket.
 */
import { type Aggregate, aggregate } from './aggregate.js';

/** Points as parallel columns; `times` in unix ms, increasing. */
export interface PointColumns {
  readonly times: Float64Array;
  readonly values: Float64Array;
}

/** A day: coarser steps would turn even a 6-day range into a handful of points, and buckets stay readable. */
export const MAX_STEP_SECONDS = 86_400;

/** A message naming `step` when it is not a whole number of seconds in 1..86400, else null. */
export function validateStep(step: number): string | null {
  if (Number.isInteger(step) && step >= 1 && step <= MAX_STEP_SECONDS) return null;
  return `\`step\` must be a whole number of seconds from 1 to ${MAX_STEP_SECONDS}, got ${step}.`;
}

/**
 * One point per non-empty bucket of `stepSeconds`, its time the bucket's start and its value the aggregate
 * of the bucket's values. Buckets are aligned to the Unix epoch (start = floor(t / step) * step), not to the
 * range's `from`: the same instant then always falls in the same bucket, so charts of overlapping ranges,
 * or of several users, line up point for point. Empty buckets produce no point rather than a made-up value.
 *
 * @throws RangeError when `stepSeconds` fails `validateStep` (callers validate the argument first).
 */
export function downsample(series: PointColumns, stepSeconds: number, kind: Aggregate): PointColumns {
  const problem = validateStep(stepSeconds);
  if (problem !== null) throw new RangeError(problem);
  const stepMs = stepSeconds * 1000;
  const { times, values } = series;
  const n = times.length;

  // Times increase, so each bucket is one contiguous run; a first pass sizes the output exactly.
  let buckets = 0;
  let longestRun = 0;
  for (let start = 0; start < n; ) {
    const end = bucketEnd(times, start, stepMs);
    buckets += 1;
    longestRun = Math.max(longestRun, end - start);
    start = end;
  }

  const outTimes = new Float64Array(buckets);
  const outValues = new Float64Array(buckets);
  // One sort buffer shared by every bucket, so P95 allocates once per series instead of once per bucket.
  const scratch = kind === 'P95' ? new Float64Array(longestRun) : undefined;
  let out = 0;
  for (let start = 0; start < n; out += 1) {
    const end = bucketEnd(times, start, stepMs);
    outTimes[out] = bucketStart(times[start] as number, stepMs);
    outValues[out] = aggregate(kind, values, start, end, scratch);
    start = end;
  }
  return { times: outTimes, values: outValues };
}

function bucketStart(ms: number, stepMs: number): number {
  return Math.floor(ms / stepMs) * stepMs;
}

/** The index just past the bucket that begins at index `start`. */
function bucketEnd(times: Float64Array, start: number, stepMs: number): number {
  const limit = bucketStart(times[start] as number, stepMs) + stepMs;
  let end = start + 1;
  while (end < times.length && (times[end] as number) < limit) end += 1;
  return end;
}
