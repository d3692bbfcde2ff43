/**
 * What the gateway's loader calls for one ListCallDetail query: the client behind the rate limiter, with
 * retries. Every attempt, retries included, takes a limiter slot first, because a retry spends the same
 * upstream quota as a first try (and a 429 retried around the limiter would only earn another 429). The slot
 * counts until the attempt settles (`RateLimiter.run`), see rate-limiter.ts for why.
 */

import type { CallDetailQuery, CallDetailResult } from '../model/call-detail.js';
import type { Flow } from '../model/flow.js';
import type { CallDetailClient } from './call-detail-client.js';
import type { RateLimiter } from './rate-limiter.js';
import { type RetryPolicy, withRetry } from './retry.js';

/** `flow`: whose call it is, for the limiter's fair turns; retries stay in the flow of their first try. */
export type FetchCallDetail = (
  query: CallDetailQuery,
  signal?: AbortSignal,
  flow?: Flow,
) => Promise<CallDetailResult>;

export interface CallDetailFetcherDeps {
  client: CallDetailClient;
  /** The limiter of the access key the client signs with. */
  limiter: RateLimiter;
  retry: RetryPolicy;
  /** Called after every attempt, with its error when it failed: for logs and metrics. */
  onAttempt?: (info: AttemptInfo) => void;
}

/** One attempt as `onAttempt` sees it. */
export interface AttemptInfo {
  /** 1 for the first try, 2 for the first retry, ... */
  readonly attempt: number;
  /** Why the attempt failed; absent when it succeeded. */
  readonly error?: unknown;
  /** Users in the query: the batch size the upstream sees. */
  readonly users: number;
  /** From asking the limiter for a turn until the request started (or was refused, or the caller aborted). */
  readonly waitMs: number;
  /** The request itself; absent when it was never sent (refused by the limiter, aborted while waiting). */
  readonly durationMs?: number;
  /** The upstream's RequestId and HTTP status of a successful attempt (a failed one's error carries its own). */
  readonly requestId?: string;
  readonly httpStatus?: number;
}

export function createCallDetailFetcher(deps: CallDetailFetcherDeps): FetchCallDetail {
  const { client, limiter, retry, onAttempt } = deps;
  return (query, signal, flow) =>
    withRetry(
      async (attempt) => {
        const users = query.userIds.length;
        // Durations on the monotonic clock: the gateway's wall clock is injectable and moved by tests.
        const askedAt = performance.now();
        let startedAt: number | undefined;
        const timing = () => {
          const now = performance.now();
          return startedAt === undefined
            ? { waitMs: now - askedAt }
            : { waitMs: startedAt - askedAt, durationMs: now - startedAt };
        };
        try {
          const result = await limiter.run(
            () => {
              startedAt = performance.now();
              return client.listCallDetail(query, signal);
            },
            signal,
            flow,
          );
          onAttempt?.({
            attempt,
            users,
            ...timing(),
            requestId: result.requestId,
            httpStatus: result.httpStatus,
          });
          return result;
        } catch (error) {
          onAttempt?.({ attempt, error, users, ...timing() });
          throw error;
        }
      },
      retry,
      {},
      signal,
    );
}
