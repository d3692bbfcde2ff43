/**
 * End to end: a real gateway over loopback to the real simulator, whose faults stand in for a misbehaving
 * upstream. Every fault must come back as a typed error within what the configured timeouts and retries allow,
 * leave no socket behind, and (repeated) open the circuit breaker, which closes again by itself.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Fault } from '../../../src/simulator/fault-book.js';
import { type ManualClock, manualClock } from '../../helpers/manual-clock.js';
import { pastRange, startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const HEADERS_TIMEOUT_MS = 300;
const BODY_TIMEOUT_MS = 300;
const MAX_ATTEMPTS = 2;
const MAX_RETRY_DELAY_MS = 20;
const CONNECTIONS = 2;
const FAILURE_THRESHOLD = 3;
const OPEN_MS = 500;
/**
 * undici checks headers and body timeouts on a ~0.5 s tick, so each may fire up to about a second late
 * (call-detail-client.ts).
 */
const UNDICI_TIMER_LATENESS_MS = 1_000;
/**
 * The longest a failing query may take: every attempt waiting out both timeouts, each as late as undici lets
 * it be, plus every backoff. The margin is for a noisy shared machine; a hang (the slow fault answers only
 * after 30 s) is far beyond it.
 */
const MARGIN_MS = 2_000;
const FAILURE_BOUND_MS =
  MAX_ATTEMPTS * (HEADERS_TIMEOUT_MS + BODY_TIMEOUT_MS + 2 * UNDICI_TIMER_LATENESS_MS) +
  (MAX_ATTEMPTS - 1) * MAX_RETRY_DELAY_MS +
  MARGIN_MS;
const SLOW_ANSWER_MS = 30_000;

const ENV = {
  UPSTREAM_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
  UPSTREAM_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
  UPSTREAM_RETRY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
  UPSTREAM_RETRY_BASE_DELAY_MS: '10',
  UPSTREAM_RETRY_MAX_DELAY_MS: String(MAX_RETRY_DELAY_MS),
  UPSTREAM_CONNECTIONS: String(CONNECTIONS),
  // Far above what these tests send, on both sides: no wait in the limiter adds to the measured times.
  RATE_LIMIT_RPS: '100',
};
const SIMULATOR = { requestsPerSecond: 100 };

const QUERY = `query ($users: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "app1", roomId: "room1", userIds: $users, from: $from, to: $to) {
    userId streams { direction peerId }
  }
}`;

interface Entries {
  callQuality: Array<{ userId: string; streams: Array<{ direction: string }> | null }>;
}

/** One user over one past hour: exactly one upstream call per attempt. */
async function queryOne(harness: TestGateway, user: string, nowMs = Date.now()) {
  const startedAt = performance.now();
  const response = await harness.query<Entries>(QUERY, { users: [user], ...pastRange(1, 10, nowMs) });
  return { response, elapsedMs: performance.now() - startedAt };
}

describe('each upstream fault', () => {
  let harness: TestGateway;
  let gatewayClosed = false;
  beforeAll(async () => {
    harness = await startTestGateway({
      // The breaker is the next describe's subject; here it must not turn later faults into fast refusals.
      env: { ...ENV, BREAKER_FAILURE_THRESHOLD: '1000' },
      simulator: SIMULATOR,
    });
  });
  afterAll(async () => {
    if (gatewayClosed) await harness.simulator.close();
    else await harness.close();
  });
  beforeEach(() => {
    harness.simulator.resetCalls();
    harness.simulator.clearFaults();
  });

  const cases: Array<{ fault: Fault; calls: number; extensions: Record<string, unknown> }> = [
    {
      fault: { kind: 'slow', delayMs: SLOW_ANSWER_MS },
      calls: MAX_ATTEMPTS,
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    },
    {
      fault: { kind: 'http500' },
      calls: MAX_ATTEMPTS,
      extensions: {
        code: 'UPSTREAM_ERROR',
        upstream: { code: 'InternalError', httpStatus: 500, requestId: expect.any(String) },
      },
    },
    {
      fault: { kind: 'http429' },
      calls: MAX_ATTEMPTS,
      extensions: {
        code: 'UPSTREAM_ERROR',
        upstream: { code: 'FlowLimitExceeded', httpStatus: 429, requestId: expect.any(String) },
      },
    },
    {
      // An HTML page with a 200 would fail the same way again: no retry.
      fault: { kind: 'malformed' },
      calls: 1,
      extensions: {
        code: 'UPSTREAM_ERROR',
        upstream: { code: 'InvalidResponse', httpStatus: 200, requestId: null },
      },
    },
    { fault: { kind: 'truncated' }, calls: MAX_ATTEMPTS, extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
    { fault: { kind: 'reset' }, calls: MAX_ATTEMPTS, extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
  ];

  it.each(cases)('$fault.kind: a typed error at streams, in time, after $calls call(s)', async (testCase) => {
    const user = `faulty-${testCase.fault.kind}`;
    harness.simulator.injectFault(testCase.fault);
    const { response, elapsedMs } = await queryOne(harness, user);

    expect(response.data?.callQuality).toEqual([{ userId: user, streams: null }]);
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.path).toEqual(['callQuality', 0, 'streams']);
    expect(response.errors?.[0]?.extensions).toEqual(testCase.extensions);
    expect(elapsedMs).toBeLessThan(FAILURE_BOUND_MS);
    expect(harness.simulator.calls.map((call) => call.fault)).toEqual(
      Array(testCase.calls).fill(testCase.fault.kind),
    );
    // The pool never holds more than its size: a socket lost on an error path would come on top.
    expect(harness.simulator.openConnections()).toBeLessThanOrEqual(CONNECTIONS);
  });

  it('leaves at most UPSTREAM_CONNECTIONS sockets open after all faults, and none once the gateway closes', async () => {
    const { response } = await queryOne(harness, 'healthy');
    expect(response.errors).toBeUndefined();
    // The answered call's socket stays open for keep-alive: the count sees it.
    expect(harness.simulator.openConnections()).toBeGreaterThanOrEqual(1);
    expect(harness.simulator.openConnections()).toBeLessThanOrEqual(CONNECTIONS);

    gatewayClosed = true;
    await harness.gateway.close();
    await vi.waitFor(() => expect(harness.simulator.openConnections()).toBe(0), { timeout: 5_000 });
  });
});

describe('circuit breaker', () => {
  let harness: TestGateway;
  // The gateway's clock, moved past BREAKER_OPEN_MS instead of sleeping through it.
  let clock: ManualClock;

  beforeEach(async () => {
    clock = manualClock(Date.now());
    harness = await startTestGateway({
      env: {
        ...ENV,
        BREAKER_FAILURE_THRESHOLD: String(FAILURE_THRESHOLD),
        BREAKER_OPEN_MS: String(OPEN_MS),
      },
      simulator: SIMULATOR,
      now: clock.now,
    });
  });
  afterEach(() => harness.close());

  /** Fails FAILURE_THRESHOLD queries, each after all its attempts reached the upstream. */
  async function openTheCircuit(fault: Fault['kind']) {
    harness.simulator.injectFault({ kind: fault });
    for (let i = 0; i < FAILURE_THRESHOLD; i++) {
      const { response } = await queryOne(harness, `failing-${i}`, clock.now());
      expect(response.errors?.[0]?.extensions?.code).toMatch(/^UPSTREAM_/);
    }
    expect(harness.simulator.calls).toHaveLength(FAILURE_THRESHOLD * MAX_ATTEMPTS);
    harness.simulator.resetCalls();
  }

  it('opens after the threshold, fails fast without calling, still serves cached windows, then closes', async () => {
    const cached = await queryOne(harness, 'cached-user', clock.now());
    expect(cached.response.errors).toBeUndefined();
    const cachedEntries = cached.response.data?.callQuality;
    expect(cachedEntries?.[0]?.streams?.length).toBeGreaterThan(0);
    harness.simulator.resetCalls();

    await openTheCircuit('http500');

    const refused = await queryOne(harness, 'someone-else', clock.now());
    expect(refused.response.data?.callQuality).toEqual([{ userId: 'someone-else', streams: null }]);
    expect(refused.response.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(refused.response.errors?.[0]?.message).toMatch(/upstream is failing: calls to it are paused/);
    expect(harness.simulator.calls).toHaveLength(0);

    const fromCache = await queryOne(harness, 'cached-user', clock.now());
    expect(fromCache.response.errors).toBeUndefined();
    expect(fromCache.response.data?.callQuality).toEqual(cachedEntries);
    expect(harness.simulator.calls).toHaveLength(0);

    harness.simulator.clearFaults();
    clock.advance(OPEN_MS);
    const recovered = await queryOne(harness, 'someone-else', clock.now());
    expect(recovered.response.errors).toBeUndefined();
    expect(recovered.response.data?.callQuality[0]?.streams?.length).toBeGreaterThan(0);
    expect(harness.simulator.calls).toHaveLength(1);
    // Closed, not still trying: the next uncached query goes to the upstream too.
    const next = await queryOne(harness, 'another-one', clock.now());
    expect(next.response.errors).toBeUndefined();
    expect(harness.simulator.calls).toHaveLength(2);
  });

  it('a trial call that fails re-opens the circuit for another BREAKER_OPEN_MS', async () => {
    await openTheCircuit('reset');

    clock.advance(OPEN_MS);
    const trial = await queryOne(harness, 'trial', clock.now());
    expect(trial.response.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(harness.simulator.calls).toHaveLength(MAX_ATTEMPTS);
    harness.simulator.resetCalls();

    const refused = await queryOne(harness, 'trial', clock.now());
    expect(refused.response.errors?.[0]?.message).toMatch(/paused/);
    expect(harness.simulator.calls).toHaveLength(0);

    harness.simulator.clearFaults();
    clock.advance(OPEN_MS);
    const recovered = await queryOne(harness, 'trial', clock.now());
    expect(recovered.response.errors).toBeUndefined();
    expect(harness.simulator.calls).toHaveLength(1);
  });
});
