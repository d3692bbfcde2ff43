import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallDetailQuery } from '../../../src/model/call-detail.js';
import { type Simulator, startSimulator } from '../../../src/simulator/simulator.js';
import { type CallDetailClient, createCallDetailClient } from '../../../src/upstream/call-detail-client.js';
import { type AttemptInfo, createCallDetailFetcher } from '../../../src/upstream/call-detail-fetcher.js';
import { createRateLimiter, type RateLimiterOptions } from '../../../src/upstream/rate-limiter.js';
import type { RetryPolicy } from '../../../src/upstream/retry.js';
import { RateLimitedError } from '../../../src/upstream/upstream-error.js';

const credentials = { accessKeyId: 'AKFETCHERTEST', secretAccessKey: 'SKFETCHERTEST' };
// Both sides run on a clock pinned near a fixed instant, so the synthetic data of the queried window (which
// ended hours before "now", beyond the upstream's ~100 s latency) is the same on every run.
const clockOffsetMs = Date.parse('2026-11-25T12:00:00Z') - Date.now();
const clock = () => Date.now() + clockOffsetMs;
const startMs = Date.parse('2026-11-25T09:00:00Z');
const query: CallDetailQuery = {
  appId: 'app-1',
  roomId: 'room-1',
  userIds: ['viewer-1'],
  startMs,
  endMs: startMs + 60_000,
  direction: 1,
};
// Short backoffs keep the tests quick; the deadline is far away so only maxAttempts ends a retry loop.
const retry: RetryPolicy = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100, deadlineMs: 10_000 };
const relaxedLimit: RateLimiterOptions = { requestsPerSecond: 10, marginMs: 50, maxWaitMs: 10_000 };

let simulator: Simulator;
let client: CallDetailClient;

beforeEach(async () => {
  simulator = await startSimulator({ credentials, now: clock });
  client = createCallDetailClient({
    endpoint: simulator.url,
    credentials,
    region: 'cn-north-1',
    now: clock,
    timeouts: { connectMs: 2_000, headersMs: 5_000, bodyMs: 5_000, attemptMs: 10_000 },
  });
});
afterEach(async () => {
  await client.close();
  await simulator.close();
});

function fetcher(limit: RateLimiterOptions = relaxedLimit, policy: RetryPolicy = retry) {
  const attempts: AttemptInfo[] = [];
  const fetch = createCallDetailFetcher({
    client,
    limiter: createRateLimiter(limit),
    retry: policy,
    onAttempt: (info) => attempts.push(info),
  });
  return { fetch, attempts };
}

describe('createCallDetailFetcher: retries', () => {
  it('retries a 429 and succeeds, with two calls at the upstream', async () => {
    simulator.injectFault({ kind: 'http429', times: 1 });
    const { fetch, attempts } = fetcher();
    const result = await fetch(query);
    expect(result.streams.map((stream) => [stream.userId, stream.direction])).toEqual([['viewer-1', 'up']]);
    expect(simulator.calls.map((call) => [call.httpStatus, call.errorCode])).toEqual([
      [429, 'FlowLimitExceeded'],
      [200, null],
    ]);
    expect(
      attempts.map((info) => [info.attempt, (info.error as { upstreamCode?: string })?.upstreamCode]),
    ).toEqual([
      [1, 'FlowLimitExceeded'],
      [2, undefined],
    ]);
  });

  it('retries a 500 and succeeds, with two calls at the upstream', async () => {
    simulator.injectFault({ kind: 'http500', times: 1 });
    const { fetch } = fetcher();
    await expect(fetch(query)).resolves.toMatchObject({ streams: expect.any(Array) });
    expect(simulator.calls.map((call) => call.httpStatus)).toEqual([500, 200]);
  });

  it('retries a reset connection and succeeds', async () => {
    simulator.injectFault({ kind: 'reset', times: 1 });
    const { fetch } = fetcher();
    await expect(fetch(query)).resolves.toMatchObject({ streams: expect.any(Array) });
    expect(simulator.calls.filter((call) => call.httpStatus === 200)).toHaveLength(1);
  });

  it('does not retry a non-retryable error: exactly one call at the upstream', async () => {
    const { fetch, attempts } = fetcher();
    const userIds = Array.from({ length: 21 }, (_, i) => `user-${i}`);
    await expect(fetch({ ...query, userIds })).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstreamCode: 'InvalidParameter',
    });
    expect(simulator.calls).toHaveLength(1);
    expect(attempts).toHaveLength(1);
  });

  it('gives up after maxAttempts with the last error', async () => {
    simulator.injectFault({ kind: 'http500' });
    const { fetch } = fetcher();
    await expect(fetch(query)).rejects.toMatchObject({ upstreamCode: 'InternalError', retryable: true });
    expect(simulator.calls).toHaveLength(3);
  });
});

describe('createCallDetailFetcher: attempt reports', () => {
  it('reports the users, the wait for a turn and the duration of each attempt', async () => {
    simulator.injectFault({ kind: 'slow', delayMs: 300, times: 1 });
    const { fetch, attempts } = fetcher({ ...relaxedLimit, requestsPerSecond: 1 });
    await fetch({ ...query, userIds: ['viewer-1', 'viewer-2', 'viewer-3'] });
    // The second call's turn comes one window (1 s + 50 ms margin) after the first one settled.
    await fetch(query);
    expect(attempts.map((info) => [info.attempt, info.users, info.error])).toEqual([
      [1, 3, undefined],
      [1, 1, undefined],
    ]);
    const [slow, queued] = attempts as [AttemptInfo, AttemptInfo];
    expect(slow.durationMs).toBeGreaterThanOrEqual(290);
    expect(slow.waitMs).toBeLessThan(500);
    expect(queued.waitMs).toBeGreaterThanOrEqual(950);
    expect(queued.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports no duration for an attempt the limiter refused: it never reached the upstream', async () => {
    const { fetch, attempts } = fetcher({ ...relaxedLimit, requestsPerSecond: 1, maxWaitMs: 0 });
    await fetch(query);
    await expect(fetch(query)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(simulator.calls).toHaveLength(1);
    expect(attempts[0]?.durationMs).toEqual(expect.any(Number));
    expect(attempts[1]).toMatchObject({ attempt: 1, users: 1, error: expect.any(RateLimitedError) });
    expect(attempts[1]?.durationMs).toBeUndefined();
  });
});

describe('createCallDetailFetcher: rate limit', () => {
  it('sends 30 simultaneous calls through a 10/s limiter without a single 429', async () => {
    const { fetch } = fetcher(relaxedLimit, { ...retry, maxAttempts: 1 });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => fetch({ ...query, userIds: [`viewer-${i}`] })),
    );
    expect(results).toHaveLength(30);
    expect(simulator.calls).toHaveLength(30);
    expect(simulator.calls.filter((call) => call.httpStatus !== 200)).toEqual([]);
    const arrivals = simulator.calls.map((call) => call.atMs).sort((a, b) => a - b);
    for (let k = 10; k < arrivals.length; k++) {
      // The 11th arrival after any arrival is more than a second later: no 1 s window holds more than 10.
      expect((arrivals[k] as number) - (arrivals[k - 10] as number)).toBeGreaterThan(1000);
    }
  });

  it('refuses at once, without calling the upstream, the calls whose turn is over maxWaitMs away', async () => {
    const { fetch } = fetcher({ ...relaxedLimit, maxWaitMs: 500 });
    const startedAt = Date.now();
    const outcomes = Array.from({ length: 25 }, (_, i) =>
      fetch({ ...query, userIds: [`viewer-${i}`] }).then(
        () => 'ok',
        (error: unknown) => {
          // Refusals must not wait for the queue: they come back long before a second window opens.
          expect(Date.now() - startedAt).toBeLessThan(500);
          return error;
        },
      ),
    );
    const settled = await Promise.all(outcomes);
    expect(settled.filter((outcome) => outcome === 'ok')).toHaveLength(10);
    const refused = settled.filter((outcome) => outcome !== 'ok');
    expect(refused).toHaveLength(15);
    for (const error of refused) {
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({ code: 'RATE_LIMITED', maxWaitMs: 500 });
    }
    expect(simulator.calls).toHaveLength(10);
  });

  it('lets the caller abort while waiting for a turn; the call never reaches the upstream', async () => {
    const { fetch } = fetcher({ ...relaxedLimit, requestsPerSecond: 1 });
    await fetch(query);
    const controller = new AbortController();
    const waiting = fetch(query, controller.signal);
    setTimeout(() => controller.abort(), 50);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(simulator.calls).toHaveLength(1);
  });

  it('lets the caller abort an in-flight request', async () => {
    simulator.injectFault({ kind: 'slow', delayMs: 3_000, times: 1 });
    const { fetch, attempts } = fetcher();
    const controller = new AbortController();
    const startedAt = Date.now();
    const pending = fetch(query, controller.signal);
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    // Not retried: an abort is the caller's decision, not an upstream failure.
    expect(attempts).toHaveLength(1);
  });
});
