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
 *
 * What is kept is JSON, so only requests Yoga would answer in JSON are answered from it (negotiatesJson):
 * GraphQL over SSE and multipart/mixed requests are executed and answered by Yoga in their own format. Their
 * result is still kept for JSON clients when nothing is kept for it yet, since the kept bytes are the result's
 * JSON whatever format it travelled in.
 *
 * With compression on, a hit is answered in the coding the request prefers, made once per entry and coding and
 * kept with it (counted in the bound), not compressed again for every hit: the compression plugin leaves a
 * response that already has a Content-Encoding alone.
 */
import { createHash } from 'node:crypto';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { RequestPrincipal } from '../auth/request-principal.js';
import { LIST_CALL_DETAIL_LIMITS } from '../model/call-detail.js';
import { isRangeSettled, type SlotTiming } from '../slots/slots.js';
import { negotiatesJson } from './negotiates-json.js';

export interface ResponseCacheOptions {
  /** Bound on the serialised responses kept, in bytes. */
  readonly maxBytes: number;
  readonly principalOf: RequestPrincipal;
  /** The gateway's clock: an answer expires when the start of its earliest range leaves the retention. */
  readonly now: () => number;
  /** Null: hits are answered uncompressed. */
  readonly compression: AnswerCompression | null;
}

export type KeptCoding = 'br' | 'gzip';

/** The gateway's compression (src/http/compression.ts), as far as the cache uses it. */
export interface AnswerCompression {
  /** Null: too small to compress, sent as it is whatever the request accepts. */
  codingFor(request: Request, byteLength: number): KeptCoding | 'identity' | null;
  compress(bytes: Uint8Array, coding: KeptCoding): Promise<Uint8Array<ArrayBuffer>>;
}

/** An answer's JSON bytes and the compressed copies made of them so far; replaced, never changed in place. */
interface KeptAnswer {
  readonly identity: Uint8Array<ArrayBuffer>;
  readonly coded: Readonly<Partial<Record<KeptCoding, Uint8Array<ArrayBuffer>>>>;
  /** The earliest start of the ranges the operation asked for (infinite: none), for HTTP caching of hits. */
  readonly earliestFromMs: number;
}

export interface ResponseCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly bytes: number;
  readonly entries: number;
  /** Compressed copies made of kept answers (one per entry and coding at most, unless evicted in between). */
  readonly compressions: number;
}

/** What the cache reads of the request context once the result is in (see `ResponseCachePlugin`). */
export interface ResponseCacheContext {
  readonly nowMs: number;
  readonly slotTiming: SlotTiming;
  /** The earliest start and latest end of the ranges the operation's fields asked for. */
  readonly ranges: { readonly earliestFromMs: number; readonly latestToMs: number };
}

/**
 * Yoga types the context of `onExecutionResult` as the server context (the second parameter). It is the
 * request context once the context factory has run, and only then: a result made before (a document refused
 * in parsing or validation, an answer set in onParams) comes with none of these fields, hence Partial.
 */
export type ResponseCachePlugin = Plugin<Record<string, unknown>, Partial<ResponseCacheContext>>;

export interface ResponseCache {
  readonly plugin: ResponseCachePlugin;
  stats(): ResponseCacheStats;
  /**
   * The earliest range start of the kept answer `request` is answered from, or undefined when it is not a hit;
   * known from onParams until the response is made. A hit is settled and error-free by construction.
   */
  hitOf(request: Request): { readonly earliestFromMs: number } | undefined;
}

const utf8 = new TextEncoder();

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
  let compressions = 0;
  const lru = new LRUCache<string, KeptAnswer>({
    maxSize: options.maxBytes,
    sizeCalculation: (kept, key) =>
      kept.identity.length + (kept.coded.br?.length ?? 0) + (kept.coded.gzip?.length ?? 0) + key.length,
    // lru-cache reads the clock through `perf`; ttlResolution 0 so an injected clock is read on every check.
    perf: { now: options.now },
    ttlResolution: 0,
  });
  /** The key of each request that may be stored once executed: set on a miss, read when the result is in. */
  const pending = new WeakMap<Request, string>();
  /** The kept bytes of each request answered from the cache, until its response is made. */
  const answered = new WeakMap<Request, { readonly key: string; readonly kept: KeptAnswer }>();
  /** Compressions under way, by entry key and coding: concurrent hits wait for the same one. */
  const compressing = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

  /** The kept copy of an answer in `coding`, made (and kept along with the entry) on the first hit asking. */
  function codedCopy(
    compression: AnswerCompression,
    key: string,
    kept: KeptAnswer,
    coding: KeptCoding,
  ): Promise<Uint8Array<ArrayBuffer>> {
    const done = kept.coded[coding];
    if (done !== undefined) return Promise.resolve(done);
    const id = `${coding}:${key}`;
    let making = compressing.get(id);
    if (making === undefined) {
      making = compression.compress(kept.identity, coding).then((bytes) => {
        compressions += 1;
        const current = lru.peek(key);
        // A new object, so lru-cache weighs the entry again; not when it was evicted or replaced meanwhile.
        if (current?.identity === kept.identity) {
          lru.set(key, { ...current, coded: { ...current.coded, [coding]: bytes } }, { noUpdateTTL: true });
        }
        return bytes;
      });
      compressing.set(id, making);
      const forget = () => compressing.delete(id);
      making.then(forget, forget);
    }
    return making;
  }

  const plugin: ResponseCachePlugin = {
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
      if (!negotiatesJson(request)) {
        // Neither a hit nor a miss: the cache could not have answered it in its format.
        if (!lru.has(key)) pending.set(request, key);
        return;
      }
      const cached = lru.get(key);
      if (cached === undefined) {
        misses += 1;
        pending.set(request, key);
        return;
      }
      hits += 1;
      answered.set(request, { key, kept: cached });
      // Skips execution; the body Yoga makes of this empty carrier is replaced by the kept bytes in onResponse.
      setResult({ stringify: () => '' } as ExecutionResult & { stringify: () => string });
    },
    onExecutionResult({ request, result, context }) {
      const key = pending.get(request);
      if (key === undefined || result === undefined || Symbol.asyncIterator in result) return;
      pending.delete(request);
      const { ranges, nowMs, slotTiming } = context;
      if (ranges === undefined || nowMs === undefined || slotTiming === undefined) return;
      if (result.errors?.length || result.data == null) return;
      // Nothing asked for may still change: the rule of `final`, so a kept answer is one the gateway would give
      // again. (An operation without ranges has none left to settle.)
      const { earliestFromMs, latestToMs } = ranges;
      if (Number.isFinite(latestToMs) && !isRangeSettled(latestToMs, nowMs, slotTiming)) return;
      // Kept no longer than every range stays servable: once the earliest `from` leaves the retention, the same
      // operation must be refused like any other spelling of that range. (To lru-cache, a TTL of 0 is none.)
      let ttl = 0;
      if (Number.isFinite(earliestFromMs)) {
        ttl = earliestFromMs + LIST_CALL_DETAIL_LIMITS.retentionMs - nowMs;
        if (ttl <= 0) return;
      }
      // A result may bring its own writer (the column fast path's, which returns bytes): the body is what it writes.
      const { stringify } = result as { stringify?: (value: unknown) => string | Uint8Array<ArrayBuffer> };
      const body = stringify ? stringify(result) : JSON.stringify(result);
      const identity = typeof body === 'string' ? utf8.encode(body) : body;
      lru.set(key, { identity, coded: {}, earliestFromMs }, { ttl });
    },
    async onResponse({ request, response, setResponse, fetchAPI }) {
      const hit = answered.get(request);
      if (hit === undefined) return;
      answered.delete(request);
      const { compression } = options;
      const coding = compression?.codingFor(request, hit.kept.identity.length) ?? null;
      let bytes = hit.kept.identity;
      const headers = new fetchAPI.Headers(response.headers);
      if (compression !== null && coding !== null) {
        headers.append('vary', 'Accept-Encoding');
        if (coding !== 'identity') {
          bytes = await codedCopy(compression, hit.key, hit.kept, coding);
          headers.set('content-encoding', coding);
        }
      }
      // Bytes encoded once, not a string body Node encodes again for every response: measured with Yoga, 50
      // connections and 1.7 MB answers, bytes gave 157 requests/s and a p99 of 0.7 s, a string 101/s and 4.3 s
      // (a raw node:http server: 134/s, 0.7 s). Status and headers (content type, request id) stay Yoga's.
      headers.set('content-length', String(bytes.length));
      // A body of known length is never chunked: fetch refuses a response framed both ways (RFC 9112 6.3).
      headers.delete('transfer-encoding');
      setResponse(new fetchAPI.Response(bytes, { status: response.status, headers }));
    },
  };
  return {
    plugin,
    stats: () => ({ hits, misses, bytes: lru.calculatedSize, entries: lru.size, compressions }),
    hitOf: (request) => answered.get(request)?.kept,
  };
}
