/**
 * The one clock tests move by hand: it stands still until told to move, so what a test asserts about TTLs,
 * settling slots, open circuits or backoff never depends on how fast the machine runs.
 */
export interface ManualClock {
  /** The clock to inject (`now` of the gateway, a cache, a breaker, a simulator, ...). */
  readonly now: () => number;
  /** Moves the clock `ms` forward and returns the new time. */
  advance(ms: number): number;
  /** Puts the clock at `ms`. */
  set(ms: number): void;
}

/**
 * A clock at `startMs`. Tests that sign requests or ask for data inside the retention start it at `Date.now()`;
 * others at a fixed instant far from 0 (lru-cache reads a start time of 0 as "no TTL").
 */
export function manualClock(startMs: number): ManualClock {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advance: (ms) => {
      nowMs += ms;
      return nowMs;
    },
    set: (ms) => {
      nowMs = ms;
    },
  };
}
