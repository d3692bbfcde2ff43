/**
 * When the next grants of a sliding-log limiter can come at the earliest, if nothing else asked: what both
 * limiters plan admissions with (is a turn more than maxWaitMs away?) and what the fair queue checks before
 * letting a later caller go first (would the callers it passes still be served in time?).
 *
 * A lower bound by design: planned grants count from when they are granted, since their tasks have not even
 * started, and a task still running counts from now, since it cannot end any earlier.
 */

/**
 * `log`: when the slots of the current window count from (a running one: now at the earliest), in grant
 * order. Returns the earliest time of the `k`-th next grant (0: the next one), memoized as it goes.
 */
export function planGrants(
  at: number,
  rate: number,
  windowMs: number,
  log: readonly number[],
): (k: number) => number {
  const planned: number[] = [];
  return (k) => {
    for (let j = planned.length; j <= k; j++) {
      const limiting = j >= rate ? planned[j - rate] : log[log.length - (rate - j)];
      const previous = planned[j - 1] ?? at;
      planned.push(Math.max(at, previous, limiting === undefined ? at : limiting + windowMs));
    }
    return planned[k] as number;
  };
}
