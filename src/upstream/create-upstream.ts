/**
 * Wires one access key's upstream path: an undici Pool for the endpoint, the key's rate limiter (local, or
 * shared through Redis by the caller), retries, and a circuit breaker around all of them.
 * Made once per process by the composition root; the returned fetch is what every request's loader calls.
 */
import type { CircuitBreakerConfig, UpstreamConfig } from '../config/config.js';
import { createCallDetailClient } from './call-detail-client.js';
import { type AttemptInfo, createCallDetailFetcher, type FetchCallDetail } from './call-detail-fetcher.js';
import { type CircuitBreaker, type CircuitState, createCircuitBreaker } from './circuit-breaker.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Credentials } from './signer.js';

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
  config: Omit<UpstreamConfig, 'credentials'> & { readonly credentials: Credentials },
  limiter: RateLimiter,
  breakerConfig: CircuitBreakerConfig,
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
