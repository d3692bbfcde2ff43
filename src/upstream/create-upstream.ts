/**
 * Wires one access key's upstream path: an undici Pool for the endpoint, the key's rate limiter (local, or
 * shared through Redis by the caller), and retries.
 * Made once per process by the composition root; the returned fetch is what every request's loader calls.
 */
import type { UpstreamConfig } from '../config.js';
import { createCallDetailClient } from './call-detail-client.js';
import { createCallDetailFetcher, type FetchCallDetail } from './call-detail-fetcher.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Credentials } from './signer.js';

export interface Upstream {
  readonly fetchCallDetail: FetchCallDetail;
  close(): Promise<void>;
}

export function createUpstream(
  config: Omit<UpstreamConfig, 'mode' | 'credentials'> & { readonly credentials: Credentials },
  limiter: RateLimiter,
): Upstream {
  const client = createCallDetailClient({
    endpoint: config.endpoint,
    credentials: config.credentials,
    region: config.region,
    timeouts: config.timeouts,
    connections: config.connections,
  });
  return {
    fetchCallDetail: createCallDetailFetcher({ client, limiter, retry: config.retry }),
    close: () => client.close(),
  };
}
