/**
 * The upstream's flow limit: at most `limit` requests per key within any window of `windowMs`.
 *
 * Every attempt counts, refused ones included, because the real API counts the requests it receives: a
 * client that retries a 429 without backing off stays refused, which is exactly what a gateway must learn.
 */
export interface SlidingWindowLimiterOptions {
  readonly limit: number;
  readonly windowMs: number;
  /** Monotonic milliseconds. */
  readonly clock: () => number;
}

export class SlidingWindowLimiter {
  readonly #options: SlidingWindowLimiterOptions;
  /** Arrival times inside the current window, oldest first, per key. */
  readonly #arrivals = new Map<string, number[]>();

  constructor(options: SlidingWindowLimiterOptions) {
    this.#options = options;
  }

  /** Counts an attempt for `key`; true when it is within the limit. */
  tryAcquire(key: string): boolean {
    const { limit, windowMs, clock } = this.#options;
    const nowMs = clock();
    const arrivals = (this.#arrivals.get(key) ?? []).filter((atMs) => atMs > nowMs - windowMs);
    arrivals.push(nowMs);
    this.#arrivals.set(key, arrivals);
    return arrivals.length <= limit;
  }
}
