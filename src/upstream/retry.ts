/**
 * Retries of one upstream call: exponential backoff with full jitter (AWS Architecture Blog, "Exponential
 * Backoff And Jitter"), so that callers that failed together (a 429 burst) do not come back together.
 */
import { UpstreamFailure, UpstreamResponseError } from './upstream-error.js';

export interface RetryPolicy {
  /** Attempts in total, the first one included; 1 disables retries. */
  maxAttempts: number;
  /** Upper bound of the first backoff; each further one doubles it. */
  baseDelayMs: number;
  /** Cap on the exponential bound (a `Retry-After` may still ask for longer). */
  maxDelayMs: number;
  /** No retry is started whose backoff would end later than this long after the first attempt began. */
  deadlineMs: number;
}

export interface RetryDeps {
  /** Uniform in [0, 1). */
  random?: () => number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/**
 * Runs `attempt(1)`, `attempt(2)`, ... until one succeeds, or throws the last error once it is not a retryable
 * `UpstreamFailure`, the attempts are used up, or the next backoff would pass the deadline.
 *
 * The backoff before attempt n + 1 is `random() * min(maxDelayMs, baseDelayMs * 2^(n-1))`, raised to the
 * failure's `retryAfterMs` when the upstream asked for a longer pause.
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps = {},
  signal?: AbortSignal,
): Promise<T> {
  const { random = Math.random, sleep = abortableSleep, now = Date.now } = deps;
  const startedAt = now();
  for (let n = 1; ; n++) {
    signal?.throwIfAborted();
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof UpstreamFailure) || !error.retryable || n >= policy.maxAttempts) throw error;
      const delayMs = backoffMs(n, policy, random, error);
      // Giving up now beats sleeping past the deadline only to fail anyway: the caller is still waiting.
      if (now() + delayMs - startedAt > policy.deadlineMs) throw error;
      await sleep(delayMs, signal);
    }
  }
}

function backoffMs(failedAttempt: number, policy: RetryPolicy, random: () => number, error: UpstreamFailure) {
  const jittered = random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  const retryAfterMs = error instanceof UpstreamResponseError ? error.retryAfterMs : null;
  return retryAfterMs === null ? jittered : Math.max(jittered, retryAfterMs);
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
