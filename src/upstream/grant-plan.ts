/**
 * When the next grants of a sliding-log limiter can come, if nothing else asked: what both limiters plan
 * admissions with (is a turn more than maxWaitMs away?) and what the fair queue checks before letting a later
 * caller go first (would the callers it passes still be served in time?).
 *
 * The two need different plans. Admission plans a lower bound (`holdMs` 0: a planned grant counts from the
 * moment it is granted, a running task from now at the earliest), so nobody is refused a turn that could still
 * come in time. Lending a turn must not be that optimistic: a slot counts until its task settles, so on a slow
 * upstream every window is longer by the request's duration, and a plan without it would lend an export's
 * slack that does not exist and push its last calls past their deadline. That check plans with `holdMs`, the
 * recent mean duration of a task (see `createHoldEstimate`).
 */

/**
 * `log`: when the slots of the current window count from, in grant order (a running one: an estimate no
 * earlier than now). `holdMs`: how long each planned grant is expected to hold its slot before it counts.
 * Returns the time of the `k`-th next grant (0: the next one), memoized as it goes.
 */
export function planGrants(
  at: number,
  rate: number,
  windowMs: number,
  log: readonly number[],
  holdMs = 0,
): (k: number) => number {
  const planned: number[] = [];
  return (k) => {
    for (let j = planned.length; j <= k; j++) {
      const earlier = planned[j - rate];
      const limiting = j >= rate ? (earlier as number) + holdMs : log[log.length - (rate - j)];
      const previous = planned[j - 1] ?? at;
      planned.push(Math.max(at, previous, limiting === undefined ? at : limiting + windowMs));
    }
    return planned[k] as number;
  };
}

export interface HoldEstimate {
  /** Records how long a task held its slot, from its grant until it settled. */
  add(ms: number): void;
  /** The mean of the last few; 0 before any. */
  readonly meanMs: number;
}

/** The mean over the last `size` tasks: recent enough to follow the upstream, long enough to smooth one outlier. */
export function createHoldEstimate(size: number): HoldEstimate {
  const recent: number[] = [];
  let sum = 0;
  return {
    add(ms) {
      recent.push(ms);
      sum += ms;
      if (recent.length > size) sum -= recent.shift() as number;
    },
    get meanMs() {
      return recent.length === 0 ? 0 : sum / recent.length;
    },
  };
}
