import { describe, expect, it } from 'vitest';
import { type RetryPolicy, withRetry } from '../../../src/upstream/retry.js';
import {
  RateLimitedError,
  UpstreamResponseError,
  UpstreamUnavailableError,
} from '../../../src/upstream/upstream-error.js';
import { manualClock } from '../../helpers/manual-clock.js';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 300, deadlineMs: 10_000 };

function responseError(httpStatus: number, upstreamCode: string, retryAfterMs: number | null = null) {
  return new UpstreamResponseError(upstreamCode, {
    upstreamCode,
    httpStatus,
    requestId: null,
    retryAfterMs,
  });
}

/** A manual clock that moves when the code under test sleeps, recording every delay. */
function fakeTime(random = 0.5) {
  const clock = manualClock(1_000_000);
  const sleeps: number[] = [];
  return {
    sleeps,
    deps: {
      random: () => random,
      now: clock.now,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        clock.advance(ms);
      },
    },
    advance: clock.advance,
  };
}

/** An attempt function that fails with the given errors in order, then returns 'ok'. */
function failing(...errors: Error[]) {
  const attempts: number[] = [];
  return {
    attempts,
    attempt: async (n: number) => {
      attempts.push(n);
      const error = errors[n - 1];
      if (error) throw error;
      return 'ok';
    },
  };
}

describe('withRetry', () => {
  it('returns the first success without sleeping', async () => {
    const time = fakeTime();
    const { attempt, attempts } = failing();
    await expect(withRetry(attempt, policy, time.deps)).resolves.toBe('ok');
    expect(attempts).toEqual([1]);
    expect(time.sleeps).toEqual([]);
  });

  it('backs off exponentially with full jitter, capped at maxDelayMs', async () => {
    const time = fakeTime(0.5);
    const unavailable = () => new UpstreamUnavailableError('reset');
    const { attempt, attempts } = failing(unavailable(), unavailable(), unavailable());
    await expect(withRetry(attempt, policy, time.deps)).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2, 3, 4]);
    // 0.5 * min(300, 100), 0.5 * min(300, 200), 0.5 * min(300, 400)
    expect(time.sleeps).toEqual([50, 100, 150]);
  });

  it('scales the whole bound by random(), down to no delay at all', async () => {
    const time = fakeTime(0);
    const { attempt } = failing(responseError(500, 'InternalError'), responseError(503, 'HTTP_503'));
    await expect(withRetry(attempt, policy, time.deps)).resolves.toBe('ok');
    expect(time.sleeps).toEqual([0, 0]);
  });

  it('waits at least as long as Retry-After asks, even past maxDelayMs', async () => {
    const time = fakeTime(0.5);
    const { attempt } = failing(
      responseError(429, 'FlowLimitExceeded', 1000),
      responseError(429, 'FlowLimitExceeded', 10),
    );
    await expect(withRetry(attempt, policy, time.deps)).resolves.toBe('ok');
    expect(time.sleeps).toEqual([1000, 100]);
  });

  it('throws the last error once maxAttempts is used up', async () => {
    const time = fakeTime();
    const errors = [1, 2, 3, 4, 5].map((n) => new UpstreamUnavailableError(`failure ${n}`));
    const { attempt, attempts } = failing(...errors);
    await expect(withRetry(attempt, policy, time.deps)).rejects.toBe(errors[3]);
    expect(attempts).toEqual([1, 2, 3, 4]);
    expect(time.sleeps).toHaveLength(3);
  });

  it('does not retry errors that are not retryable', async () => {
    for (const error of [
      responseError(401, 'SignatureDoesNotMatch'),
      responseError(400, 'InvalidParameter'),
      new RateLimitedError(900, 500),
      new TypeError('a bug'),
    ]) {
      const time = fakeTime();
      const { attempt, attempts } = failing(error);
      await expect(withRetry(attempt, policy, time.deps)).rejects.toBe(error);
      expect(attempts).toEqual([1]);
      expect(time.sleeps).toEqual([]);
    }
  });

  it('gives up when the next backoff would end past the deadline, measured from the first attempt', async () => {
    const time = fakeTime(1);
    const errors = [1, 2, 3].map((n) => new UpstreamUnavailableError(`failure ${n}`));
    const { attempts } = failing(...errors);
    const tight: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000, deadlineMs: 500 };
    const attempt = async (n: number) => {
      attempts.push(n);
      // Each attempt itself takes 100 ms; that time counts against the deadline too.
      time.advance(100);
      throw errors[n - 1] ?? new Error('unexpected attempt');
    };
    // t=100 fail -> +100 (t=200) -> t=300 fail -> +200 would end at 500, allowed -> t=600 fail -> +400 > 500.
    await expect(withRetry(attempt, tight, time.deps)).rejects.toBe(errors[2]);
    expect(attempts).toEqual([1, 2, 3]);
    expect(time.sleeps).toEqual([100, 200]);
  });

  it('stops at once when the signal is aborted, with the abort reason', async () => {
    const controller = new AbortController();
    const time = fakeTime();
    let calls = 0;
    const attempt = async () => {
      calls++;
      controller.abort();
      throw new UpstreamUnavailableError('reset');
    };
    const sleep = async (_ms: number, signal?: AbortSignal) => signal?.throwIfAborted();
    const outcome = withRetry(attempt, policy, { ...time.deps, sleep }, controller.signal);
    await expect(outcome).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(1);
  });

  it('interrupts the default sleep when the signal aborts', async () => {
    const controller = new AbortController();
    const slow: RetryPolicy = {
      maxAttempts: 3,
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      deadlineMs: 600_000,
    };
    const startedAt = Date.now();
    const outcome = withRetry(
      async () => {
        throw new UpstreamUnavailableError('reset');
      },
      slow,
      { random: () => 1 },
      controller.signal,
    );
    setTimeout(() => controller.abort(new Error('caller gone')), 20);
    await expect(outcome).rejects.toThrow('caller gone');
    // Far less than the 60 s backoff; generous for a busy machine.
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });
});
