import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics, type GatewayMetrics } from '../../../src/observability/metrics.js';
import { createCallDetailLoader } from '../../../src/slots/call-detail-loader.js';
import type { CallDetailRequest, CallDetailSource } from '../../../src/slots/call-detail-source.js';
import type { WindowCacheStats } from '../../../src/slots/window-cache.js';
import type { CircuitState } from '../../../src/upstream/circuit-breaker.js';
import {
  RateLimitedError,
  UpstreamResponseError,
  UpstreamUnavailableError,
} from '../../../src/upstream/upstream-error.js';
import { parseExposition, type Sample, sampleValue } from '../../helpers/exposition.js';

async function scrape(metrics: GatewayMetrics): Promise<Sample[]> {
  return parseExposition(await metrics.registry.metrics());
}

const upstreamError = new UpstreamResponseError('refused', {
  upstreamCode: 'InvalidParameter',
  httpStatus: 400,
  requestId: 'req-1',
  retryAfterMs: null,
});
const abort = new DOMException('This operation was aborted', 'AbortError');

describe('createMetrics: upstream attempts', () => {
  it('counts attempts by outcome; observes latency, users and limiter wait of those sent', async () => {
    const metrics = createMetrics();
    metrics.upstreamAttempt({ users: 20, waitMs: 0, durationMs: 80 });
    metrics.upstreamAttempt({ users: 5, waitMs: 300, durationMs: 120 });
    metrics.upstreamAttempt({ error: upstreamError, users: 3, waitMs: 0, durationMs: 40 });
    metrics.upstreamAttempt({
      error: new UpstreamUnavailableError('timeout'),
      users: 1,
      waitMs: 0,
      durationMs: 2_000,
    });
    // Never sent: refused by the limiter, and aborted while waiting for a turn.
    metrics.upstreamAttempt({ error: new RateLimitedError(12_000, 10_000), users: 7, waitMs: 0 });
    metrics.upstreamAttempt({ error: abort, users: 7, waitMs: 1_500 });
    // Aborted while in flight: it was sent.
    metrics.upstreamAttempt({ error: abort, users: 2, waitMs: 0, durationMs: 10 });

    const samples = await scrape(metrics);
    const attempts = (outcome: string) => sampleValue(samples, 'callq_upstream_attempts_total', { outcome });
    expect(attempts('ok')).toBe(2);
    expect(attempts('UPSTREAM_ERROR')).toBe(1);
    expect(attempts('UPSTREAM_UNAVAILABLE')).toBe(1);
    expect(attempts('RATE_LIMITED')).toBe(1);
    expect(attempts('aborted')).toBe(2);

    const latency = (suffix: string, labels: Record<string, string>) =>
      sampleValue(samples, `callq_upstream_attempt_duration_seconds_${suffix}`, labels);
    expect(latency('count', { outcome: 'ok' })).toBe(2);
    expect(latency('sum', { outcome: 'ok' })).toBeCloseTo(0.2, 9);
    expect(latency('bucket', { outcome: 'ok', le: '0.1' })).toBe(1);
    expect(latency('bucket', { outcome: 'ok', le: '0.25' })).toBe(2);
    expect(latency('count', { outcome: 'UPSTREAM_UNAVAILABLE' })).toBe(1);
    expect(latency('bucket', { outcome: 'UPSTREAM_UNAVAILABLE', le: '1' })).toBe(0);
    expect(latency('count', { outcome: 'aborted' })).toBe(1);
    expect(latency('count', { outcome: 'RATE_LIMITED' })).toBeUndefined();

    // The five attempts that reached the upstream, with 20, 5, 3, 1 and 2 users.
    expect(sampleValue(samples, 'callq_upstream_users_per_call_count')).toBe(5);
    expect(sampleValue(samples, 'callq_upstream_users_per_call_sum')).toBe(31);
    expect(sampleValue(samples, 'callq_upstream_users_per_call_bucket', { le: '5' })).toBe(4);
    expect(sampleValue(samples, 'callq_upstream_users_per_call_bucket', { le: '20' })).toBe(5);
    expect(sampleValue(samples, 'callq_rate_limiter_wait_seconds_count')).toBe(5);
    expect(sampleValue(samples, 'callq_rate_limiter_wait_seconds_sum')).toBeCloseTo(0.3, 9);
    expect(sampleValue(samples, 'callq_rate_limiter_wait_seconds_bucket', { le: '0.25' })).toBe(4);
  });

  it('keeps every gateway on its own registry, never the global one', async () => {
    const first = createMetrics();
    const second = createMetrics();
    first.upstreamAttempt({ users: 1, waitMs: 0, durationMs: 5 });
    expect(sampleValue(await scrape(first), 'callq_upstream_attempts_total', { outcome: 'ok' })).toBe(1);
    expect(sampleValue(await scrape(second), 'callq_upstream_attempts_total', { outcome: 'ok' })).toBe(0);
    expect(await globalRegistry.metrics()).not.toContain('callq_');
  });

  it('registers the default process metrics with the callq_ prefix', async () => {
    const samples = await scrape(createMetrics());
    // CPU time counts from the collector's creation, so a fresh one may still report 0.
    expect(samples.map((sample) => sample.name)).toContain('callq_process_cpu_user_seconds_total');
    expect(sampleValue(samples, 'callq_process_start_time_seconds')).toBeGreaterThan(1_600_000_000);
    expect(sampleValue(samples, 'callq_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });
});

describe('createMetrics: loader batches', () => {
  it('observes the keys of each DataLoader batch through the loader onBatch option', async () => {
    const metrics = createMetrics();
    const source: CallDetailSource = { load: async (requests) => requests.map(() => []) };
    const loader = createCallDetailLoader(source, { onBatch: (size) => metrics.loaderBatch(size) });
    const request = (userId: string): CallDetailRequest => ({
      appId: 'app',
      roomId: 'room',
      userId,
      fromMs: 0,
      toMs: 60_000,
      directions: ['up'],
    });
    // Loaded in one tick: one batch of three keys; then a batch of one.
    await Promise.all([loader.load(request('a')), loader.load(request('b')), loader.load(request('c'))]);
    await loader.load(request('d'));

    const samples = await scrape(metrics);
    expect(sampleValue(samples, 'callq_loader_batch_keys_count')).toBe(2);
    expect(sampleValue(samples, 'callq_loader_batch_keys_sum')).toBe(4);
    expect(sampleValue(samples, 'callq_loader_batch_keys_bucket', { le: '1' })).toBe(1);
    expect(sampleValue(samples, 'callq_loader_batch_keys_bucket', { le: '5' })).toBe(2);
  });
});

describe('createMetrics: collected at scrape time', () => {
  it('reports the window cache, with counters monotonic across scrapes and source restarts', async () => {
    const metrics = createMetrics();
    let stats: WindowCacheStats = { hits: 5, misses: 3, evictions: 0, bytes: 4_096, entries: 2 };
    metrics.watch({ cacheStats: () => stats });
    const cache = async () => {
      const samples = await scrape(metrics);
      return ['hits_total', 'misses_total', 'evictions_total', 'bytes', 'entries'].map((name) =>
        sampleValue(samples, `callq_window_cache_${name}`),
      );
    };
    expect(await cache()).toEqual([5, 3, 0, 4_096, 2]);
    // A scrape with no change adds nothing.
    expect(await cache()).toEqual([5, 3, 0, 4_096, 2]);
    stats = { hits: 9, misses: 4, evictions: 1, bytes: 1_024, entries: 1 };
    expect(await cache()).toEqual([9, 4, 1, 1_024, 1]);
    // A source whose totals went down started over: its totals are added, the counters never go down.
    stats = { hits: 2, misses: 0, evictions: 0, bytes: 512, entries: 1 };
    expect(await cache()).toEqual([11, 4, 1, 512, 1]);
    stats = { hits: 3, misses: 1, evictions: 0, bytes: 512, entries: 1 };
    expect(await cache()).toEqual([12, 5, 1, 512, 1]);
  });

  it('reports open live subscriptions, rooms polled, and events sent and dropped', async () => {
    const metrics = createMetrics();
    let stats = { subscriptions: 12, pollers: 2, eventsSent: 40, eventsDropped: 0 };
    metrics.watch({ liveStats: () => stats });
    const live = async () => {
      const samples = await scrape(metrics);
      return ['subscriptions', 'rooms_polled', 'events_sent_total', 'events_dropped_total'].map((name) =>
        sampleValue(samples, `callq_live_${name}`),
      );
    };
    expect(await live()).toEqual([12, 2, 40, 0]);
    stats = { subscriptions: 3, pollers: 1, eventsSent: 55, eventsDropped: 7 };
    expect(await live()).toEqual([3, 1, 55, 7]);
  });

  it('reports how many operations have calls waiting for a limiter turn', async () => {
    const metrics = createMetrics();
    let flows = 3;
    metrics.watch({ limiterQueuedFlows: () => flows });
    expect(sampleValue(await scrape(metrics), 'callq_rate_limiter_queued_flows')).toBe(3);
    flows = 0;
    expect(sampleValue(await scrape(metrics), 'callq_rate_limiter_queued_flows')).toBe(0);
  });

  it('reports the limiter queue length and the breaker state as a state set', async () => {
    const metrics = createMetrics();
    let queued = 4;
    let state: CircuitState = 'closed';
    metrics.watch({ limiterQueueLength: () => queued, breakerState: () => state });
    const read = async () => {
      const samples = await scrape(metrics);
      const circuit = (label: string) =>
        sampleValue(samples, 'callq_upstream_circuit_state', { state: label });
      return [
        sampleValue(samples, 'callq_rate_limiter_queue_length'),
        circuit('closed'),
        circuit('open'),
        circuit('half-open'),
      ];
    };
    expect(await read()).toEqual([4, 1, 0, 0]);
    queued = 0;
    state = 'open';
    expect(await read()).toEqual([0, 0, 1, 0]);
    state = 'half-open';
    expect(await read()).toEqual([0, 0, 0, 1]);
  });
});

describe('createMetrics: GraphQL', () => {
  it('observes operation durations by type and counts errors by a bounded code', async () => {
    const metrics = createMetrics();
    metrics.graphqlOperation('query', 0.02);
    metrics.graphqlOperation('query', 0.3);
    metrics.graphqlOperation('mutation', 0.001);
    for (const code of [
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'UPSTREAM_ERROR',
      'lowercase',
      'A'.repeat(41),
      'NONE',
    ])
      metrics.graphqlError(code);

    const samples = await scrape(metrics);
    const duration = (suffix: string, labels: Record<string, string>) =>
      sampleValue(samples, `callq_graphql_operation_duration_seconds_${suffix}`, labels);
    expect(duration('count', { operation_type: 'query' })).toBe(2);
    expect(duration('sum', { operation_type: 'query' })).toBeCloseTo(0.32, 9);
    expect(duration('bucket', { operation_type: 'query', le: '0.025' })).toBe(1);
    expect(duration('count', { operation_type: 'mutation' })).toBe(1);
    const errors = (code: string) => sampleValue(samples, 'callq_graphql_errors_total', { code });
    expect(errors('BAD_USER_INPUT')).toBe(2);
    expect(errors('UPSTREAM_ERROR')).toBe(1);
    expect(errors('OTHER')).toBe(2);
    expect(errors('NONE')).toBe(1);
    expect(errors('lowercase')).toBeUndefined();
  });
});
