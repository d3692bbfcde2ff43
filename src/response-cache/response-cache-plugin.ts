/**
 * Whole serialised responses of operations whose data can no longer change, per principal.
 *
 * A dashboard re-asking for a past window is answered from the window cache without any upstream call, but
 * GraphQL still executes it: one resolver call, one Path object and one completion per float, then
 * JSON.stringify of a megabyte, for an answer that is the same every time (bench/RESULTS.md: that work, not the
 * cache, is what a cache hit costs). Once an operation is answered without errors and every range it asked
 * for ended before the settle time (the window cache's own rule for immutable slots), its bytes are kept and
 * served to the same principal for the same operation text and variables, skipping parse, validation,
 * execution and serialisation.
 *
 * The key holds the principal's scope (who, and every AppId it may read): an answer is only ever served to a
 * principal allowed exactly what the one it was made for was allowed.
 * Answers with errors (partial failures, rate limits, refusals) are never kept.
 */
import { createHash } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { RequestPrincipal } from '../auth/request-principal.js';
import type { GatewayContext } from '../context.js';

export interface ResponseCacheOptions {
  /** Bound on the serialised responses kept (UTF-16 code units counted as bytes: an upper bound). */
  readonly maxBytes: number;
  readonly principalOf: RequestPrincipal;
  /** A range ending this long before the request's instant can no longer change upstream. */
  readonly settleMs: number;
}

export interface ResponseCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly bytes: number;
  readonly entries: number;
}

export interface ResponseCache {
  readonly plugin: Plugin;
  stats(): ResponseCacheStats;
}

// Bumped when the response format changes, so no process ever serves an older format.
const KEY_VERSION = 'v1';

/**
 * The entry key: who may read what, and everything of the request that shapes the answer. Null when the
 * variables cannot be serialised (nested deeper than the stack allows): such a request is just not cached.
 */
function cacheKey(
  scope: string,
  params: { readonly operationName?: unknown; readonly query?: unknown; readonly variables?: unknown },
): string | null {
  let material: string;
  try {
    material = JSON.stringify([
      KEY_VERSION,
      scope,
      params.operationName ?? null,
      params.query,
      params.variables ?? null,
    ]);
  } catch {
    return null;
  }
  return createHash('sha256').update(material).digest('base64url');
}

export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  let hits = 0;
  let misses = 0;
  const lru = new LRUCache<string, string>({
    maxSize: options.maxBytes,
    sizeCalculation: (text, key) => text.length * 2 + key.length,
  });
  /** The key of each request that may be stored once executed: set on a miss, read when the result is in. */
  const pending = new WeakMap<Request, string>();

  const plugin: Plugin = {
    async onParams({ params, request, setResult }) {
      if (typeof params.query !== 'string') return;
      let principal: Awaited<ReturnType<RequestPrincipal>>;
      try {
        principal = await options.principalOf(request);
      } catch {
        // Refused by useAuthentication, which answers it; nothing is cached for it.
        return;
      }
      const key = cacheKey(principal.scope, params);
      if (key === null) return;
      const cached = lru.get(key);
      if (cached === undefined) {
        misses += 1;
        pending.set(request, key);
        return;
      }
      hits += 1;
      // The result object is only a carrier: Yoga serialises through `stringify`, which returns the kept bytes.
      setResult({ stringify: () => cached } as ExecutionResult & { stringify: () => string });
    },
    onExecutionResult({ request, result, context }) {
      const key = pending.get(request);
      if (key === undefined || result === undefined || Symbol.asyncIterator in result) return;
      pending.delete(request);
      const { rangeEnds, nowMs } = context as unknown as Partial<GatewayContext>;
      if (rangeEnds === undefined || nowMs === undefined) return;
      if (result.errors?.length || result.data == null) return;
      // Nothing asked for may still change: every range ended before the upstream's settle time.
      if (rangeEnds.latestMs > nowMs - options.settleMs) return;
      lru.set(key, JSON.stringify(result));
    },
  };
  return {
    plugin,
    stats: () => ({ hits, misses, bytes: lru.calculatedSize, entries: lru.size }),
  };
}
