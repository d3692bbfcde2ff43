/**
 * /metrics end to end: a real gateway in front of a real simulator, scraped over HTTP before and after a known
 * sequence of requests, so every counter is checked against what actually happened upstream and in the cache.
 */
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseExposition, type Sample, sampleValue } from '../../helpers/exposition.js';
import { pastRange, startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

let harness: TestGateway;
beforeAll(async () => {
  // One attempt per call, so an injected failure is exactly one failed attempt.
  harness = await startTestGateway({ env: { UPSTREAM_RETRY_MAX_ATTEMPTS: '1' } });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.simulator.resetCalls();
  harness.simulator.clearFaults();
});

const document = (streams: string) => `query ($user: ID!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "app1", roomId: "room1", userIds: [$user], from: $from, to: $to) { userId streams { ${streams} } }
}`;
const QUERY = document('direction');
/**
 * The same data with more of it selected: a different operation, so no whole-response cache can answer it, yet
 * every slot it needs is in the window cache.
 */
const WIDER_QUERY = document('direction peerId metrics { name }');
/** One user over one aligned hour: 12 five-minute slots in 2 directions, each one cache lookup. */
const LOOKUPS_PER_QUERY = 24;

type Entries = { callQuality: Array<{ userId: string; streams: Array<{ direction: string }> | null }> };

async function scrape(): Promise<Sample[]> {
  const response = await fetch(`${new URL(harness.gateway.graphqlUrl).origin}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await response.text());
}

/** How much one sample grew between two scrapes; an absent sample counts as 0. */
function growth(before: Sample[], after: Sample[], name: string, labels: Record<string, string> = {}) {
  return (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
}

describe('GET /metrics over a known sequence of requests', () => {
  it('counts a cold query, a window cache hit and a bad input exactly', async () => {
    const range = pastRange(1);
    const before = await scrape();

    const cold = await harness.query<Entries>(QUERY, { user: 'alice', ...range });
    expect(cold.errors).toBeUndefined();
    expect(harness.simulator.calls).toHaveLength(1);
    const repeated = await harness.query<Entries>(WIDER_QUERY, { user: 'alice', ...range });
    expect(repeated.errors).toBeUndefined();
    expect(repeated.data?.callQuality[0]?.streams?.map((stream) => stream.direction)).toEqual(
      cold.data?.callQuality[0]?.streams?.map((stream) => stream.direction),
    );
    expect(harness.simulator.calls).toHaveLength(1);
    const bad = await harness.query<Entries>(QUERY, { user: 'alice', from: range.to, to: range.to });
    expect(bad.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);

    const after = await scrape();
    const delta = (name: string, labels?: Record<string, string>) => growth(before, after, name, labels);
    expect(delta('callq_upstream_attempts_total', { outcome: 'ok' })).toBe(1);
    expect(delta('callq_upstream_attempts_total', { outcome: 'UPSTREAM_ERROR' })).toBe(0);
    expect(delta('callq_upstream_attempts_total', { outcome: 'UPSTREAM_UNAVAILABLE' })).toBe(0);
    expect(delta('callq_upstream_attempt_duration_seconds_count', { outcome: 'ok' })).toBe(1);
    expect(delta('callq_upstream_users_per_call_sum')).toBe(1);
    expect(delta('callq_window_cache_misses_total')).toBe(LOOKUPS_PER_QUERY);
    expect(delta('callq_window_cache_hits_total')).toBe(LOOKUPS_PER_QUERY);
    expect(delta('callq_graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBe(1);
    expect(delta('callq_graphql_errors_total', { code: 'UPSTREAM_ERROR' })).toBe(0);
    // All three executed: bad input is refused by a resolver, not before execution.
    expect(delta('callq_graphql_operation_duration_seconds_count', { operation_type: 'query' })).toBe(3);
    // The bad one never reached the loader.
    expect(delta('callq_loader_batch_keys_count')).toBe(2);
    expect(sampleValue(after, 'callq_window_cache_entries')).toBeGreaterThanOrEqual(LOOKUPS_PER_QUERY);
  });

  it('counts a failed upstream attempt under its outcome, and the error it caused', async () => {
    harness.simulator.injectFault({ kind: 'http500', times: 1 });
    const before = await scrape();

    const failed = await harness.query<Entries>(QUERY, { user: 'bob', ...pastRange(1) });
    expect(failed.data?.callQuality).toEqual([{ userId: 'bob', streams: null }]);
    expect(failed.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['callQuality', 0, 'streams'], 'UPSTREAM_ERROR'],
    ]);
    expect(harness.simulator.calls.map((call) => call.fault)).toEqual(['http500']);

    const after = await scrape();
    const delta = (name: string, labels?: Record<string, string>) => growth(before, after, name, labels);
    expect(delta('callq_upstream_attempts_total', { outcome: 'UPSTREAM_ERROR' })).toBe(1);
    expect(delta('callq_upstream_attempts_total', { outcome: 'ok' })).toBe(0);
    expect(delta('callq_upstream_attempt_duration_seconds_count', { outcome: 'UPSTREAM_ERROR' })).toBe(1);
    expect(delta('callq_graphql_errors_total', { code: 'UPSTREAM_ERROR' })).toBe(1);
    // Errors are never cached: nothing was found, and nothing was stored for a later hit.
    expect(delta('callq_window_cache_misses_total')).toBe(LOOKUPS_PER_QUERY);
    expect(delta('callq_window_cache_hits_total')).toBe(0);
    expect(delta('callq_graphql_operation_duration_seconds_count', { operation_type: 'query' })).toBe(1);
    // One failure is below the breaker's threshold: the circuit stays closed.
    expect(sampleValue(after, 'callq_upstream_circuit_state', { state: 'closed' })).toBe(1);
  });
});

describe('GET /metrics with a live subscription', () => {
  it('counts the open subscription, its room and the event sent, then neither once it ends', async () => {
    const before = await scrape();
    const client = createClient({ url: harness.gateway.graphqlUrl, retryAttempts: 0 });
    const events = client.iterate({
      query: `subscription { liveCallQuality(appId: "app1", roomId: "room1", userIds: ["alice"], last: 60) {
        initial } }`,
    });
    try {
      const first = await events.next();
      expect(first.value).toEqual({ data: { liveCallQuality: { initial: true } } });
      const open = await scrape();
      expect(sampleValue(open, 'callq_live_subscriptions')).toBe(1);
      expect(sampleValue(open, 'callq_live_rooms_polled')).toBe(1);
      expect(growth(before, open, 'callq_live_events_sent_total')).toBe(1);
      expect(growth(before, open, 'callq_live_events_dropped_total')).toBe(0);
    } finally {
      await events.return?.();
      client.dispose();
    }
    await expect.poll(async () => sampleValue(await scrape(), 'callq_live_subscriptions')).toBe(0);
    expect(sampleValue(await scrape(), 'callq_live_rooms_polled')).toBe(0);
  });
});
