/**
 * The real app (createApp, as gateway.ts builds it) in front of ListCallDetail in process: GraphQL requests go
 * through `app.fetch`, and the window cache, the call-detail source, retries and the circuit breaker are the
 * gateway's own. No port, no socket: what the schema does with the data costs milliseconds to test.
 */
import type { Tracer } from '@opentelemetry/api';
import { createAuthenticator } from '../../src/auth/authenticator.js';
import { createRequestPrincipal } from '../../src/auth/request-principal.js';
import { loadConfig } from '../../src/config/config.js';
import { createApp } from '../../src/http/app.js';
import { createTrustedDocuments } from '../../src/http/trusted-documents.js';
import { createLiveHub } from '../../src/live/live-hub.js';
import { LIST_CALL_DETAIL_LIMITS } from '../../src/model/call-detail.js';
import { createLogger } from '../../src/observability/logger.js';
import { traceCallDetailSource, traceWindowCache } from '../../src/observability/traced-slot-lookups.js';
import { enableTraceContext } from '../../src/observability/tracing.js';
import { traceUpstreamAttempts } from '../../src/observability/upstream-attempt-span.js';
import { createFastPath, type FastPath } from '../../src/resolvers/fast-path.js';
import { createResponseCache } from '../../src/response-cache/response-cache-plugin.js';
import { createCallDetailSource } from '../../src/slots/call-detail-source.js';
import { createDecodedEntries } from '../../src/slots/decoded-entries.js';
import { createWindowCache, type WindowCache } from '../../src/slots/window-cache.js';
import { createCallDetailFetcher } from '../../src/upstream/call-detail-fetcher.js';
import { createCircuitBreaker } from '../../src/upstream/circuit-breaker.js';
import { createRateLimiter } from '../../src/upstream/rate-limiter.js';
import { createInProcessUpstream, type InProcessUpstream } from './in-process-upstream.js';
import type { QuirkCall, UserCallDetailEntry } from './quirk-upstream.js';
import { type GraphQLResponse, graphqlQuery } from './test-gateway.js';

export interface InProcessGatewayOptions {
  /** Configuration, as the gateway reads it from the environment. */
  readonly env?: Record<string, string>;
  /** The clock of the gateway and of the upstream; default Date.now. */
  readonly now?: () => number;
  /** The upstream's entries for a call, instead of the simulator's data (see in-process-upstream.ts). */
  readonly answer?: (call: QuirkCall) => readonly UserCallDetailEntry[];
  /** False: the plain executed path, every float completed by the executor (see GatewayOptions.fastPath). */
  readonly fastPath?: boolean;
  /** Traces as gateway.ts wires them (requests, resolvers, loads, upstream attempts); default: none. */
  readonly tracer?: Tracer;
}

export interface InProcessGateway {
  /** Counts the calls the gateway made; takes faults to answer with. */
  readonly upstream: InProcessUpstream;
  readonly cache: WindowCache;
  /** What the fast path keeps (slot text, per-slot downsamples); null on the plain path (`fastPath: false`). */
  readonly fastPath: FastPath | null;
  /** Sends a GraphQL POST, as a browser or a dashboard would. */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** Any request, answered by the app. */
  fetch(request: Request): Promise<Response>;
}

export const IN_PROCESS_GRAPHQL_URL = 'http://in-process.test/graphql';
/** Where the in-process upstream would be, for the attempts' spans. */
const IN_PROCESS_UPSTREAM_URL = 'http://upstream.in-process.test';

export function createInProcessGateway(options: InProcessGatewayOptions = {}): InProcessGateway {
  const now = options.now ?? Date.now;
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    // Nothing upstream counts requests here: turns 100 ms apart would only slow the tests down.
    RATE_LIMIT_RPS: '1000',
    ...options.env,
  });
  const upstream = createInProcessUpstream({
    now,
    sampleIntervalMs: config.simulator.sampleIntervalMs,
    answer: options.answer,
  });
  const { rateLimit } = config;
  const { tracer } = options;
  if (tracer) enableTraceContext();
  const fetcher = createCallDetailFetcher({
    client: upstream.client,
    limiter: createRateLimiter({
      requestsPerSecond: rateLimit.requestsPerSecond,
      marginMs: rateLimit.marginMs,
      maxWaitMs: rateLimit.maxWaitMs,
    }),
    retry: config.upstream.retry,
    onAttempt: tracer ? traceUpstreamAttempts(tracer, IN_PROCESS_UPSTREAM_URL) : undefined,
  });
  const breaker = createCircuitBreaker({ ...config.breaker, now });
  const settleMs = LIST_CALL_DETAIL_LIMITS.latencyMs + config.cache.latencyMarginMs;
  const cache = createWindowCache({
    maxBytes: config.cache.maxBytes,
    tailTtlMs: config.cache.tailTtlMs,
    now,
  });
  const authenticator = createAuthenticator(config.auth);
  const principalOf = createRequestPrincipal(authenticator);
  const fastPath =
    options.fastPath === false ? null : createFastPath({ windowCacheMaxBytes: config.cache.maxBytes });
  const callDetailSource = createCallDetailSource({
    fetchCallDetail: breaker.wrap(fetcher),
    cache: tracer ? traceWindowCache(cache) : cache,
    slotMs: config.cache.slotMs,
    settleMs,
    now,
    decodedEntries:
      options.fastPath === false
        ? undefined
        : createDecodedEntries({ windowCacheMaxBytes: config.cache.maxBytes }),
  });
  const app = createApp({
    live: createLiveHub({ source: callDetailSource, now, settleMs, ...config.live, onFailure: () => {} }),
    callDetailSource: tracer ? traceCallDetailSource(callDetailSource, tracer) : callDetailSource,
    tracer,
    principalOf,
    responseCache:
      config.cache.responseMaxBytes > 0
        ? createResponseCache({
            maxBytes: config.cache.responseMaxBytes,
            principalOf,
            now,
            compression: null,
          })
        : null,
    httpCache: { maxAgeSeconds: config.http.cacheMaxAgeSeconds, authenticated: authenticator.enabled },
    trustedDocuments: config.http.trustedDocuments
      ? createTrustedDocuments(config.http.trustedDocuments)
      : null,
    fastPath,
    // Compression is an HTTP concern, tested end to end (test/e2e/http/compression.test.ts).
    compression: null,
    graphiql: config.graphiql,
    http: config.http,
    limits: config.limits,
    metricRoles: config.metricRoles,
    slotTiming: { slotMs: config.cache.slotMs, settleMs },
    logger: createLogger({ level: config.logLevel }),
    metrics: null,
    isReady: () => true,
    now,
  });
  const fetch = async (request: Request) => app.fetch(request);
  return {
    upstream,
    cache,
    fastPath,
    fetch,
    query: graphqlQuery(IN_PROCESS_GRAPHQL_URL, fetch),
  };
}
