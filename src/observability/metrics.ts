/**
 * The gateway's Prometheus metrics, on a registry of its own: tests run several gateways in one process, and
 * prom-client's global registry would mix (and refuse to re-register) their metrics.
 *
 * Labels are bounded by construction: outcomes, operation types, breaker states and error codes come from
 * small sets the gateway chooses. Nothing a client sends (operation names, AppIds, user ids) becomes a label.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { LiveStats } from '../live/live-hub.js';
import type { ResponseCacheStats } from '../response-cache/response-cache-plugin.js';
import type { WindowCacheStats } from '../slots/window-cache.js';
import type { AttemptInfo } from '../upstream/call-detail-fetcher.js';
import { CIRCUIT_STATES, type CircuitState } from '../upstream/circuit-breaker.js';
import { type UpstreamErrorCode, UpstreamFailure } from '../upstream/upstream-error.js';
import { clampErrorCode } from './result-error-codes.js';

/** `ok`, the failure's code, or `aborted` when the caller gave up (the only other way an attempt ends). */
export type UpstreamOutcome = 'ok' | UpstreamErrorCode | 'aborted';
export type OperationType = 'query' | 'mutation' | 'subscription';

const OUTCOMES: readonly UpstreamOutcome[] = [
  'ok',
  'UPSTREAM_ERROR',
  'UPSTREAM_UNAVAILABLE',
  'RATE_LIMITED',
  'aborted',
];

/** Read at scrape time, so the hot path pays nothing for them. */
export interface MetricsSources {
  readonly cacheStats?: () => WindowCacheStats;
  readonly responseCacheStats?: () => ResponseCacheStats;
  readonly limiterQueueLength?: () => number;
  readonly limiterQueuedFlows?: () => number;
  readonly breakerState?: () => CircuitState;
  readonly liveStats?: () => LiveStats;
  /** Bytes the archive takes in its database; null while the database is down. */
  readonly archiveBytes?: () => Promise<number | null>;
  /** Whether the archive's database answered its last operation. */
  readonly archiveUp?: () => boolean;
}

export interface GatewayMetrics {
  /** This gateway's registry: `metrics()` for the exposition, `contentType` for its header. */
  readonly registry: Registry;
  /** One upstream attempt as the fetcher reports it (`onAttempt`). */
  upstreamAttempt(info: Pick<AttemptInfo, 'error' | 'users' | 'waitMs' | 'durationMs'>): void;
  /** Keys in one DataLoader batch (`onBatch`). */
  loaderBatch(size: number): void;
  /** How long one GraphQL operation took to execute. */
  graphqlOperation(type: OperationType, seconds: number): void;
  /** One error of a GraphQL response, by its `extensions.code` (clamped to a bounded set). */
  graphqlError(code: string): void;
  /** Sets (or replaces) what the collected metrics read at scrape time. */
  watch(sources: MetricsSources): void;
}

/** The outcome label of an attempt; the client's only non-UpstreamFailure is the caller's own abort. */
export function attemptOutcome(error: unknown): UpstreamOutcome {
  if (error === undefined) return 'ok';
  return error instanceof UpstreamFailure ? error.code : 'aborted';
}

export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: 'callq_' });
  let sources: MetricsSources = {};

  const attempts = new Counter({
    name: 'callq_upstream_attempts_total',
    help: 'ListCallDetail attempts (retries included), by outcome: ok, the error code, or aborted.',
    labelNames: ['outcome'],
    registers,
  });
  // Zeroed up front so that rate() and alerts see every outcome from the first scrape on.
  for (const outcome of OUTCOMES) attempts.inc({ outcome }, 0);
  const attemptSeconds = new Histogram({
    name: 'callq_upstream_attempt_duration_seconds',
    help: 'Duration of ListCallDetail requests that were sent, by outcome (limiter wait excluded).',
    labelNames: ['outcome'],
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const usersPerCall = new Histogram({
    name: 'callq_upstream_users_per_call',
    help: 'Users per ListCallDetail request sent (the upstream takes at most 20).',
    buckets: [1, 2, 5, 10, 15, 20],
    registers,
  });
  const limiterWait = new Histogram({
    name: 'callq_rate_limiter_wait_seconds',
    help: 'Time a ListCallDetail request waited for its rate-limiter turn before it was sent.',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  new Gauge({
    name: 'callq_rate_limiter_queue_length',
    help: 'Upstream requests waiting for a rate-limiter turn.',
    registers,
    collect() {
      const length = sources.limiterQueueLength?.();
      if (length !== undefined) this.set(length);
    },
  });
  new Gauge({
    name: 'callq_rate_limiter_queued_flows',
    help: 'Operations with upstream requests waiting for a rate-limiter turn (taken in turn by principal, then operation).',
    registers,
    collect() {
      const flows = sources.limiterQueuedFlows?.();
      if (flows !== undefined) this.set(flows);
    },
  });
  const batchKeys = new Histogram({
    name: 'callq_loader_batch_keys',
    help: 'Keys (user and range requests) per call-detail DataLoader batch, i.e. per GraphQL operation tick.',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers,
  });

  // The caches keep running totals; the exported counters add what grew since the last scrape, so they stay
  // monotonic whatever the source does (a total that went down is taken as a source that started over).
  const totalCounter = (name: string, read: () => number | undefined, help: string) => {
    let seen = 0;
    return new Counter({
      name,
      help,
      registers,
      collect() {
        const total = read();
        if (total === undefined) return;
        const grown = total >= seen ? total - seen : total;
        seen = total;
        if (grown > 0) this.inc(grown);
      },
    });
  };
  const collectedGauge = (name: string, read: () => number | undefined, help: string) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        const value = read();
        if (value !== undefined) this.set(value);
      },
    });
  const windowCache = (field: keyof WindowCacheStats) => () => sources.cacheStats?.()[field];
  totalCounter(
    'callq_window_cache_hits_total',
    windowCache('hits'),
    'Window cache lookups that found the slot.',
  );
  totalCounter(
    'callq_window_cache_misses_total',
    windowCache('misses'),
    'Window cache lookups that did not find the slot.',
  );
  totalCounter(
    'callq_window_cache_evictions_total',
    windowCache('evictions'),
    'Slots evicted from the window cache to stay within its byte bound.',
  );
  collectedGauge(
    'callq_window_cache_bytes',
    windowCache('bytes'),
    'Bytes held by the window cache (its own size estimate, bounded by its maximum).',
  );
  collectedGauge('callq_window_cache_entries', windowCache('entries'), 'Slots held by the window cache.');
  const responseCache = (field: keyof ResponseCacheStats) => () => sources.responseCacheStats?.()[field];
  totalCounter(
    'callq_response_cache_hits_total',
    responseCache('hits'),
    'Operations answered with the kept response of a settled identical operation (no execution).',
  );
  totalCounter(
    'callq_response_cache_misses_total',
    responseCache('misses'),
    'Operations executed because no kept response matched.',
  );
  collectedGauge('callq_response_cache_bytes', responseCache('bytes'), 'Bytes held by the response cache.');
  const live = (field: keyof LiveStats) => () => sources.liveStats?.()[field];
  collectedGauge(
    'callq_live_subscriptions',
    live('subscriptions'),
    'Open live subscriptions (liveCallQuality), over SSE and WebSocket.',
  );
  collectedGauge(
    'callq_live_rooms_polled',
    live('pollers'),
    'Rooms (with their directions) that live subscriptions watch: one poller each, however many subscribe.',
  );
  totalCounter('callq_live_events_sent_total', live('eventsSent'), 'Live events handed to subscribers.');
  totalCounter(
    'callq_live_events_dropped_total',
    live('eventsDropped'),
    'Live events thrown away with the backlog of a subscriber dropped for reading too slowly.',
  );

  new Gauge({
    name: 'callq_archive_bytes',
    help: 'Bytes the archive of settled slots takes in its database (the SQLite file, or the PostgreSQL table).',
    registers,
    async collect() {
      const bytes = await sources.archiveBytes?.();
      if (bytes !== undefined && bytes !== null) this.set(bytes);
    },
  });
  collectedGauge(
    'callq_archive_up',
    () => {
      const up = sources.archiveUp?.();
      return up === undefined ? undefined : Number(up);
    },
    "1 while the archive's database answers, 0 while the gateway serves from the upstream only.",
  );

  new Gauge({
    name: 'callq_upstream_circuit_state',
    help: 'Circuit breaker state of the upstream: 1 for the current state, 0 for the others.',
    labelNames: ['state'],
    registers,
    collect() {
      const current = sources.breakerState?.();
      if (current === undefined) return;
      for (const state of CIRCUIT_STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });

  const operationSeconds = new Histogram({
    name: 'callq_graphql_operation_duration_seconds',
    help: 'Execution time of GraphQL operations (parsing and validation excluded), by operation type.',
    labelNames: ['operation_type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers,
  });
  const graphqlErrors = new Counter({
    name: 'callq_graphql_errors_total',
    help: 'Errors in GraphQL responses, by extensions.code (NONE without a code, OTHER for odd ones).',
    labelNames: ['code'],
    registers,
  });

  return {
    registry,
    upstreamAttempt(info) {
      const outcome = attemptOutcome(info.error);
      attempts.inc({ outcome });
      // An attempt the limiter refused, or that was aborted in the queue, never reached the upstream.
      if (info.durationMs === undefined) return;
      attemptSeconds.observe({ outcome }, info.durationMs / 1000);
      usersPerCall.observe(info.users);
      limiterWait.observe(info.waitMs / 1000);
    },
    loaderBatch: (size) => batchKeys.observe(size),
    graphqlOperation: (type, seconds) => operationSeconds.observe({ operation_type: type }, seconds),
    graphqlError: (code) => graphqlErrors.inc({ code: clampErrorCode(code) }),
    watch(next) {
      sources = next;
    },
  };
}
