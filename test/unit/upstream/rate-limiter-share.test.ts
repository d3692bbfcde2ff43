/**
 * The local limiter as a replica's fallback: it grants the share of the rate it is told (which follows the
 * replicas alive), and none before the moment it is told (when the shared window it takes over has passed).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter } from '../../../src/upstream/rate-limiter.js';
import { RateLimitedError } from '../../../src/upstream/upstream-error.js';

// Fake timers also fake Date.now, the limiter's injected clock here: time only moves when we say.
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const WINDOW_MS = 1050;

/** Starts `count` runs now: when each task started, or the error its run failed with. */
function grantsOf(limiter: ReturnType<typeof createRateLimiter>, count: number) {
  return Promise.all(
    Array.from({ length: count }, () => limiter.run(async () => Date.now()).catch((error: unknown) => error)),
  );
}

describe('createRateLimiter with a share and a start', () => {
  it('grants the current share per window, and follows it when it changes', async () => {
    let share = 3;
    const limiter = createRateLimiter({
      requestsPerSecond: 10,
      marginMs: 50,
      maxWaitMs: 60_000,
      currentRate: () => share,
      now: () => Date.now(),
    });

    const grants = grantsOf(limiter, 7);
    await vi.advanceTimersByTimeAsync(0);
    // A fourth replica joins before the second window: the share drops to 2.
    share = 2;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await grants).toEqual([0, 0, 0, WINDOW_MS, WINDOW_MS, 2 * WINDOW_MS, 2 * WINDOW_MS]);
  });

  it('holds every grant until notBefore, and refuses at once a caller it would hold past maxWaitMs', async () => {
    const limiter = createRateLimiter({
      requestsPerSecond: 3,
      marginMs: 50,
      maxWaitMs: 2_000,
      notBefore: () => 1_500,
      now: () => Date.now(),
    });

    const grants = grantsOf(limiter, 4);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await grants).toEqual([1_500, 1_500, 1_500, expect.any(RateLimitedError)]);
  });
});
