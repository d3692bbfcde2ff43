/**
 * Wires one access key's upstream path: an undici Pool for the endpoint, the key's rate limiter, and retries.
 * Made once per process by the composition root; the returned fetch is what every request's loader calls.
 */
import type { RateLimitConfig, UpstreamConfig } from '../config.js';
import { createCallDetailClient } from './call-detail-client.js';
import { createCallDetailFetcher, type FetchCallDetail } from './call-detail-fetcher.js';
import { createRateLimiter, type RateLimiter } from './rate-limiter.js';
import type { Credentials } from './signer.js';

export interface Upstream {
  readonly fetchCallDetail: FetchCallDetail;
  readonly limiter: RateLimiter;
  close(): Promise<void>;
}

export function createUpstream(
  config: Omit<UpstreamConfig, 'mode' | 'credentials'> & { readonly credentials: Credentials },
  rateLimit: RateLimitConfig,
): Upstream {
  const client = createCallDetailClient({
    endpoint: config.endpoint,
    credentials: config.credentials,
    region: config.region,
    timeouts: config.timeouts,
    connections: config.connections,
  });
  const limiter = createRateLimiter(rateLimit);
  return {
    fetchCallDetail: createCallDetailFetcher({ client, limiter, retry: config.retry }),
    limiter,
    close: () => client.close(),
  };
}
