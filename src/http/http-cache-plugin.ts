/**
 * HTTP caching of settled answers, for browsers and CDNs. A GET whose answer can no longer change (no errors,
 * every range it asked for settled: the rule of `final` and of the response cache) is sent with a strong ETag of
 * its body bytes and `Cache-Control: max-age` (settled-max-age.ts), `private` when clients authenticate, so no
 * shared cache hands one principal's answer to another; a request whose If-None-Match holds that ETag gets a 304
 * without a body. Every other GET answer is `no-store`: one that may still change must not be kept anywhere, and
 * an error is worth asking again. POSTs are left alone: browsers and CDNs do not cache them.
 *
 * It runs last, after compression, so the ETag is that of the bytes sent: each coding has its own, as a strong
 * validator must (RFC 9110 8.8.1), and they agree across executions and response-cache hits because the kept
 * answers and zlib's output are the same bytes every time.
 */
import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { ResponseCache, ResponseCacheContext } from '../response-cache/response-cache-plugin.js';
import { isRangeSettled } from '../slots/slots.js';
import { ifNoneMatchHolds } from './if-none-match.js';
import { settledMaxAgeSeconds } from './settled-max-age.js';

export interface HttpCacheOptions {
  /** The operator's cap on `max-age` (HTTP_CACHE_MAX_AGE_SECONDS); 0: every GET answer is `no-store`. */
  readonly maxAgeSeconds: number;
  /** Clients authenticate: answers are `private` and vary by Authorization. */
  readonly authenticated: boolean;
  /** Hits are answered before execution, from bytes already known to be settled. */
  readonly responseCache: Pick<ResponseCache, 'hitOf'> | null;
  /** The gateway's clock, for hits (an executed answer carries its request's own instant). */
  readonly now: () => number;
  /** How far back a range may start and still be served: the upstream's retention, or the archive's. */
  readonly retentionMs: number;
}

/** As for the response cache, the context is the request's only once the context factory has run. */
type HttpCachePlugin = Plugin<Record<string, unknown>, Partial<ResponseCacheContext>>;

export function useHttpCache(options: HttpCacheOptions): HttpCachePlugin {
  /** GETs of the GraphQL endpoint, bar the GraphiQL page, which a plugin before this one answers. */
  const graphqlGets = new WeakSet<Request>();
  let graphqlEndpoint = '/graphql';
  /** `max-age` of each GET whose answer may be reused, decided once the result is in. */
  const maxAgeOf = new WeakMap<Request, number>();

  function maxAgeFor(request: Request, result: unknown, context: Partial<ResponseCacheContext>): number {
    const hit = options.responseCache?.hitOf(request);
    if (hit !== undefined)
      return settledMaxAgeSeconds(
        hit.earliestFromMs,
        options.now(),
        options.maxAgeSeconds,
        options.retentionMs,
      );
    const { ranges, nowMs, slotTiming } = context;
    if (ranges === undefined || nowMs === undefined || slotTiming === undefined) return 0;
    const { errors, data } = result as { errors?: readonly unknown[]; data?: unknown };
    if (errors?.length || data == null) return 0;
    const { earliestFromMs, latestToMs } = ranges;
    if (Number.isFinite(latestToMs) && !isRangeSettled(latestToMs, nowMs, slotTiming)) return 0;
    return settledMaxAgeSeconds(earliestFromMs, nowMs, options.maxAgeSeconds, options.retentionMs);
  }

  return {
    onYogaInit({ yoga }) {
      graphqlEndpoint = yoga.graphqlEndpoint;
    },
    // Before any GraphQL hook, so a GET refused in parsing (CSRF, a bad parameter, an unknown hash) is no-store too.
    onRequest({ request, url }) {
      if (request.method === 'GET' && url.pathname === graphqlEndpoint) graphqlGets.add(request);
    },
    onExecutionResult({ request, result, context }) {
      if (request.method !== 'GET' || result === undefined || Symbol.asyncIterator in result) return;
      const maxAge = maxAgeFor(request, result, context);
      if (maxAge > 0) maxAgeOf.set(request, maxAge);
    },
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (!graphqlGets.has(request)) return;
      const maxAge = maxAgeOf.get(request);
      // Only JSON: an event stream or a multipart answer of the same result is for a client reading it live.
      const json = /^application\/(graphql-response\+)?json\b/i.test(
        response.headers.get('content-type') ?? '',
      );
      if (maxAge === undefined || response.status !== 200 || response.body === null || !json) {
        response.headers.set('cache-control', 'no-store');
        return;
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      const etag = `"${createHash('sha256').update(bytes).digest('base64url')}"`;
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('etag', etag);
      headers.set('cache-control', `${options.authenticated ? 'private' : 'public'}, max-age=${maxAge}`);
      // The media type follows Accept; compression adds Accept-Encoding itself when the coding depends on it.
      headers.append('vary', options.authenticated ? 'Accept, Authorization' : 'Accept');
      if (ifNoneMatchHolds(request.headers.get('if-none-match'), etag)) {
        for (const name of ['content-length', 'content-type', 'content-encoding', 'transfer-encoding']) {
          headers.delete(name);
        }
        setResponse(new fetchAPI.Response(null, { status: 304, headers }));
        return;
      }
      setResponse(new fetchAPI.Response(bytes, { status: 200, statusText: response.statusText, headers }));
    },
  };
}
