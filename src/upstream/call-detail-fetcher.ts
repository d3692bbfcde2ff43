/**
 * What the gateway's loader calls for one ListCallDetail query: the client behind the rate limiter, with
 * retries. Every attempt, retries included, takes a limiter slot first, because a retry spends the same
 * upstream quota as a first try (and a 429 retried around the limiter would only earn another 429). The slot
 * counts until the attempt settles (`RateLimiter.run`), see rate-limiter.ts for why.
 */

import type { CallDetailQuery, CallDetailResult } from './call-detail.js';
import type { CallDetailClient } from './call-detail-client.js';
import type { RateLimiter } from './rate-limiter.js';
import { type RetryPolicy, withRetry } from './retry.js';

export type FetchCallDetail = (query: CallDetailQuery, signal?: AbortSignal) => Promise<CallDetailResult>;

export interface CallDetailFetcherDeps {
  client: CallDetailClient;
  /** The limiter of the access key the client signs with. */
  limiter: RateLimiter;
  retry: RetryPolicy;
  /** Called after every attempt, with its error when it failed: for logs and metrics. */
  onAttempt?: (info: { attempt: number; error?: unknown }) => void;
}

export function createCallDetailFetcher(deps: CallDetailFetcherDeps): FetchCallDetail {
  const { client, limiter, retry, onAttempt } = deps;
  return (query, signal) =>
    withRetry(
      async (attempt) => {
        try {
          const result = await limiter.run(() => client.listCallDetail(query, signal), signal);
          onAttempt?.({ attempt });
          return result;
        } catch (error) {
          onAttempt?.({ attempt, error });
          throw error;
        }
      },
      retry,
      {},
      signal,
    );
}
