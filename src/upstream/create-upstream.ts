/**
 * Wires one access key's upstream path: an undici Pool for the endpoint, the key's rate limiter (local, or
 * shared through Redis by the caller), retries, and a circuit breaker around all of them.
 * Made once per process by the composition root; the returned fetch is what every request's loader calls.
 */
import { type CallDetailClientOptions, createCallDetailClient } from './call-detail-client.js';
import { type AttemptInfo, createCallDetailFetcher, type FetchCallDetail } from './call-detail-fetcher.js';
import {
  type CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
  createCircuitBreaker,
} from './circuit-breaker.js';
import type { RateLimiter } from './rate-limiter.js';
import type { RetryPolicy } from './retry.js';
import type { Credentials } from './signer.js';

/**
 * What the upstream path is built from, in the upstream's own terms: the layer below config does not import
 * it; config's `UpstreamConfig` (once the credentials are known) and `CircuitBreakerConfig` fit these shapes.
 */
export interface UpstreamSettings {
  readonly endpoint: string;
  readonly credentials: Credentials;
  readonly region: string;
  readonly connections: number;
  readonly timeouts: Readonly<CallDetailClientOptions['timeouts']>;
  readonly retry: Readonly<RetryPolicy>;
}

export type BreakerSettings = Readonly<Pick<CircuitBreakerOptions, 'failureThreshold' | 'openMs'>>;

export interface Upstream {
  readonly fetchCallDetail: FetchCallDetail;
  /** Open while the upstream keeps failing; its `state` is exported as a metric. */
  readonly breaker: CircuitBreaker;
  close(): Promise<void>;
}

export interface UpstreamOptions {
  /** The clock of the breaker and of the client (X-Date, the retention's edge); the gateway passes its own. */
  readonly now?: () => number;
  /** Every upstream attempt, retries included, for metrics (see `CallDetailFetcherDeps.onAttempt`). */
  readonly onAttempt?: (info: AttemptInfo) => void;
  /** Every transition of the breaker, for logs: an open circuit is what an operator must hear about. */
  readonly onBreakerStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

export function createUpstream(
  config: UpstreamSettings,
  limiter: RateLimiter,
  breakerConfig: BreakerSettings,
  options: UpstreamOptions = {},
): Upstream {
  const client = createCallDetailClient({
    endpoint: config.endpoint,
    credentials: config.credentials,
    region: config.region,
    timeouts: config.timeouts,
    connections: config.connections,
    now: options.now,
  });
  // Outermost, so an open circuit costs neither a limiter slot nor a retry, and one failure it counts is one
  // call that failed after all its retries.
  const breaker = createCircuitBreaker({
    failureThreshold: breakerConfig.failureThreshold,
    openMs: breakerConfig.openMs,
    now: options.now,
    onStateChange: options.onBreakerStateChange,
  });
  const fetcher = createCallDetailFetcher({
    client,
    limiter,
    retry: config.retry,
    onAttempt: options.onAttempt,
  });
  return {
    fetchCallDetail: breaker.wrap(fetcher),
    breaker,
    close: () => client.close(),
  };
}
