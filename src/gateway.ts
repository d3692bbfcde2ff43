/**
 * The composition root: configuration -> upstream (or the embedded simulator) -> Yoga -> an HTTP listener,
 * and a clean shutdown. Everything process-lifetime is made here, once, and injected.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Tracer } from '@opentelemetry/api';
import { startArchiveSweep } from './archive/archive-sweep.js';
import { openArchive } from './archive/open-archive.js';
import { type Recorder, startRecorder } from './archive/recorder.js';
import type { SlotArchive } from './archive/slot-archive.js';
import { tieredSlotStore } from './archive/tiered-slot-store.js';
import { createAuthenticator } from './auth/authenticator.js';
import { createRequestPrincipal } from './auth/request-principal.js';
import type { Config } from './config/config.js';
import { createApp } from './http/app.js';
import { createCompression } from './http/compression.js';
import { guardRequests } from './http/http-guard.js';
import { createTrustedDocuments } from './http/trusted-documents.js';
import { serveWebSocket } from './http/websocket.js';
import { createLiveHub, type LiveHub } from './live/live-hub.js';
import { LIST_CALL_DETAIL_LIMITS } from './model/call-detail.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import {
  traceCallDetailSource,
  traceSharedStore,
  traceWindowCache,
} from './observability/traced-slot-lookups.js';
import { createTracing, enableTraceContext } from './observability/tracing.js';
import { logUpstreamAttempt } from './observability/upstream-attempt-log.js';
import { traceUpstreamAttempts } from './observability/upstream-attempt-span.js';
import { createCoordination } from './redis/coordination.js';
import { createFastPath } from './resolvers/fast-path.js';
import { createResponseCache, type ResponseCache } from './response-cache/response-cache-plugin.js';
import { type Simulator, startSimulator } from './simulator/simulator.js';
import { createCallDetailSource } from './slots/call-detail-source.js';
import { createDecodedEntries } from './slots/decoded-entries.js';
import { createWindowCache, type WindowCache } from './slots/window-cache.js';
import { createUpstream } from './upstream/create-upstream.js';
import type { Credentials } from './upstream/signer.js';
import { upstreamIdentity } from './upstream/upstream-identity.js';
import { loadDashboardAssets } from './web/dashboard-assets.js';
import { useDashboard } from './web/dashboard-plugin.js';

export interface RunningGateway {
  /** Where GraphQL and GraphiQL are served, e.g. http://127.0.0.1:4000/graphql. */
  readonly graphqlUrl: string;
  /** Hit, miss, eviction and byte counts of the window cache. */
  readonly cache: WindowCache;
  /** Whole responses of settled operations; null when RESPONSE_CACHE_MAX_MB is 0. */
  readonly responseCache: ResponseCache | null;
  /** The embedded simulator, when no credentials were configured. */
  readonly simulator: Simulator | null;
  /** Live subscriptions and their room pollers. */
  readonly live: LiveHub;
  /** Settled slots kept past the upstream's retention; null when ARCHIVE_URL is off (or could not be opened). */
  readonly archive: SlotArchive | null;
  /** Keeps rooms recorded into the archive (ARCHIVE_RECORD, `recordRoom`); null without an archive. */
  readonly recorder: Recorder | null;
  /**
   * Graceful shutdown: readiness turns 503, live subscriptions complete (WebSockets then close), the listener
   * stops accepting, in-flight requests get `SHUTDOWN_GRACE_MS` to finish before their connections are cut,
   * then the upstream pool, Redis and the simulator close.
   */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

async function closeServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Idle keep-alive sockets would hold close() open forever; busy ones get the grace period, and are closed
  // once their response is done (an event stream completed at shutdown, say) rather than at their keep-alive
  // timeout.
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  const grace = setTimeout(() => server.closeAllConnections(), graceMs);
  grace.unref();
  await closed;
  clearInterval(idle);
  clearTimeout(grace);
}

export interface GatewayOptions {
  /**
   * The wall clock for "now", finality, cache expiry and X-Date; injectable so tests can move time. Not the
   * rate limit's: its budget is intervals, measured on a monotonic clock that moving this one cannot skip.
   */
  readonly now?: () => number;
  /** Default: JSON lines on stdout at `LOG_LEVEL`. */
  readonly logger?: Logger;
  /**
   * False: the executed path without its fast path (columns completed whole, slot text and decoded entries
   * kept): every float completed by the executor, as before; for benchmarks to measure against.
   */
  readonly fastPath?: boolean;
  /** Default: OTLP export as the OTEL_ variables say, or no tracing; tests pass one with an in-memory exporter. */
  readonly tracer?: Tracer;
}

export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<RunningGateway> {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  let simulator: Simulator | null = null;
  let endpoint = config.upstream.endpoint;
  let credentials: Credentials | null = config.upstream.credentials;
  if (credentials === null) {
    // A throwaway key pair: the simulator only needs the gateway to sign correctly, and nothing to leak.
    credentials = {
      accessKeyId: `AKSIM${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(24).toString('base64url'),
    };
    simulator = await startSimulator({
      credentials,
      region: config.upstream.region,
      sampleIntervalMs: config.simulator.sampleIntervalMs,
      // The clock the client signs X-Date with: on any other, a moved clock would be refused as skewed.
      now,
    });
    endpoint = simulator.url;
  }

  const tracing = options.tracer ? null : createTracing(config.tracing);
  const tracer = options.tracer ?? tracing?.tracer;
  if (tracer) enableTraceContext();
  const traceAttempt = tracer ? traceUpstreamAttempts(tracer, endpoint) : undefined;
  const metrics = config.http.metrics ? createMetrics() : null;
  const coordination = createCoordination(
    config,
    { endpoint, accessKeyId: credentials.accessKeyId, embeddedSimulator: simulator !== null },
    (message) => logger.warn(message),
  );
  const upstream = createUpstream(
    { ...config.upstream, endpoint, credentials },
    coordination.limiter,
    config.breaker,
    {
      now,
      onAttempt: (attempt) => {
        metrics?.upstreamAttempt(attempt);
        logUpstreamAttempt(logger, attempt);
        traceAttempt?.(attempt);
      },
      onBreakerStateChange: (state) => logger.warn({ breaker: state }, `upstream circuit ${state}`),
    },
  );
  // After the upstream's latency plus a margin, a slot (and a response made of such slots) can no longer change.
  const settleMs = LIST_CALL_DETAIL_LIMITS.latencyMs + config.cache.latencyMarginMs;
  const cache = createWindowCache({
    maxBytes: config.cache.maxBytes,
    tailTtlMs: config.cache.tailTtlMs,
    now,
  });
  const archive = openArchive(config.archive.target, {
    upstream: upstreamIdentity(endpoint, credentials.accessKeyId),
    now,
    log: (level, message) => logger[level](message),
  });
  const sweep =
    archive &&
    startArchiveSweep({
      archive,
      retentionMs: config.archive.retentionMs,
      now,
      onSwept: (deleted) => logger.info({ deleted }, 'archive swept past ARCHIVE_RETENTION_DAYS'),
    });
  const callDetailSource = createCallDetailSource({
    fetchCallDetail: upstream.fetchCallDetail,
    cache: tracer ? traceWindowCache(cache) : cache,
    slotMs: config.cache.slotMs,
    settleMs,
    now,
    // The archive behind Redis: a slot another replica fetched costs one round trip, not a database read.
    sharedStore: tieredSlotStore(
      [
        { store: coordination.sharedStore, name: 'sharedStore' as const },
        { store: archive ?? undefined, name: 'archive' as const },
      ].map(({ store, name }) => (tracer && store ? traceSharedStore(store, tracer, name) : store)),
    ),
    upstreamRetentionMs: archive ? LIST_CALL_DETAIL_LIMITS.retentionMs : undefined,
    decodedEntries:
      options.fastPath === false
        ? undefined
        : createDecodedEntries({ windowCacheMaxBytes: config.cache.maxBytes }),
  });
  const recorder =
    archive &&
    startRecorder({
      archive,
      source: callDetailSource,
      slotMs: config.cache.slotMs,
      settleMs,
      now,
      configured: config.archive.record,
      tickMs: config.archive.recordIntervalMs,
      onFailure: (error) => logger.warn({ err: error }, 'a recording fetch failed'),
    });
  const authenticator = createAuthenticator(config.auth);
  if (!authenticator.enabled) {
    logger.warn(
      'no client authentication is configured (AUTH_API_KEYS, AUTH_API_KEYS_FILE, AUTH_JWT_SECRET or ' +
        'AUTH_JWKS_URL): anyone who can reach this port can read every AppId of the account',
    );
  }
  const principalOf = createRequestPrincipal(authenticator);
  const compression = config.http.compression ? createCompression(config.http.compression) : null;
  const responseCache =
    config.cache.responseMaxBytes > 0
      ? createResponseCache({
          maxBytes: config.cache.responseMaxBytes,
          principalOf,
          now,
          compression,
        })
      : null;
  metrics?.watch({
    cacheStats: () => cache.stats(),
    limiterQueueLength: () => coordination.limiter.queueLength,
    limiterQueuedFlows: () => coordination.limiter.queuedFlows,
    breakerState: () => upstream.breaker.state,
    responseCacheStats: responseCache ? () => responseCache.stats() : undefined,
    // Read at scrape time, once `live` (below) exists.
    liveStats: () => live.stats(),
    archiveBytes: archive ? () => archive.sizeBytes() : undefined,
    archiveUp: archive ? () => archive.healthy : undefined,
  });
  const live = createLiveHub({
    source: callDetailSource,
    now,
    settleMs,
    ...config.live,
    onFailure: (error) => logger.warn({ err: error }, 'a live poll failed'),
    relays: coordination.liveRelays,
  });
  const trustedDocuments = config.http.trustedDocuments
    ? createTrustedDocuments(config.http.trustedDocuments)
    : null;
  if (config.http.trustedDocuments?.mode === 'require' && config.graphiql) {
    logger.warn(
      'TRUSTED_DOCUMENTS_MODE=require: GraphiQL still loads, but every operation typed there is refused with ' +
        'PERSISTED_QUERY_ID_REQUIRED (set GRAPHIQL=false, or TRUSTED_DOCUMENTS_MODE=allow to explore)',
    );
  }
  let draining = false;
  const app = createApp({
    live,
    // Only requests' loads are traced: a live poll belongs to no request, and would be a trace of its own.
    callDetailSource: tracer ? traceCallDetailSource(callDetailSource, tracer) : callDetailSource,
    tracer,
    principalOf,
    responseCache,
    httpCache: { maxAgeSeconds: config.http.cacheMaxAgeSeconds, authenticated: authenticator.enabled },
    trustedDocuments,
    compression,
    fastPath:
      options.fastPath === false ? null : createFastPath({ windowCacheMaxBytes: config.cache.maxBytes }),
    graphiql: config.graphiql,
    dashboard: config.dashboard ? useDashboard(loadDashboardAssets()) : null,
    http: config.http,
    limits: config.limits,
    metricRoles: config.metricRoles,
    slotTiming: { slotMs: config.cache.slotMs, settleMs },
    rangeRetentionMs: archive ? config.archive.retentionMs : undefined,
    recorder,
    logger,
    metrics,
    isReady: () => !draining,
    now,
  });
  const server = createServer(guardRequests(app, config.limits));
  const address = await listen(server, config.port, config.host);
  // Attached once listening: a WebSocket server on a server that fails to listen (a port taken) would report
  // the failure itself, as an "internal error", before the gateway's one line could.
  const webSocket = serveWebSocket(server, app, {
    principalOf,
    cors: { origins: config.http.corsOrigins, allowLocalOrigins: config.http.allowLocalOrigins },
    maxPayloadBytes: config.limits.maxBodyBytes,
    trustedDocuments,
  });
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    graphqlUrl: `http://${host}:${address.port}${app.graphqlEndpoint}`,
    cache,
    responseCache,
    simulator,
    live,
    archive,
    recorder,
    async close() {
      draining = true;
      // Before the listener closes: an open event stream would otherwise hold it for the whole grace period,
      // then be cut; completed, its client knows the end was meant (and may reconnect elsewhere).
      live.close();
      // Together: the listener stops accepting at once, while WebSockets finish writing their completions.
      await Promise.all([webSocket.close(), closeServer(server, config.http.shutdownGraceMs)]);
      await upstream.close();
      // After the upstream: the writes of the last fetches are queued by then.
      sweep?.stop();
      recorder?.stop();
      await archive?.close();
      await coordination.close();
      await simulator?.close();
      // Last, so the spans of requests drained above are exported too.
      await tracing?.shutdown();
    },
  };
}
