/**
 * The composition root: configuration -> upstream (or the embedded simulator) -> Yoga -> an HTTP listener,
 * and a clean shutdown. Everything process-lifetime is made here, once, and injected.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createApp } from './app.js';
import { createAuthenticator } from './auth/authenticator.js';
import { createRequestPrincipal } from './auth/request-principal.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { createCoordination } from './coordination.js';
import { guardRequests } from './http-guard.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { logUpstreamAttempt } from './observability/upstream-attempt-log.js';
import { createResponseCache, type ResponseCache } from './response-cache/response-cache-plugin.js';
import { type Simulator, startSimulator } from './simulator/simulator.js';
import { LIST_CALL_DETAIL_LIMITS } from './upstream/call-detail.js';
import { createCallDetailSource } from './upstream/call-detail-source.js';
import { createUpstream } from './upstream/create-upstream.js';
import type { Credentials } from './upstream/signer.js';
import { createWindowCache, type WindowCache } from './upstream/window-cache.js';

export interface RunningGateway {
  /** Where GraphQL and GraphiQL are served, e.g. http://127.0.0.1:4000/graphql. */
  readonly graphqlUrl: string;
  /** Hit, miss, eviction and byte counts of the window cache. */
  readonly cache: WindowCache;
  /** Whole responses of settled operations; null when RESPONSE_CACHE_MAX_MB is 0. */
  readonly responseCache: ResponseCache | null;
  /** The embedded simulator, when no credentials were configured. */
  readonly simulator: Simulator | null;
  /**
   * Graceful shutdown: readiness turns 503, the listener stops accepting, in-flight requests get
   * `SHUTDOWN_GRACE_MS` to finish before their connections are cut, then the upstream pool, Redis and the
   * simulator close.
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
  // Idle keep-alive sockets would hold close() open forever; busy ones get the grace period.
  server.closeIdleConnections();
  const grace = setTimeout(() => server.closeAllConnections(), graceMs);
  grace.unref();
  await closed;
  clearTimeout(grace);
}

export interface GatewayOptions {
  /** The clock for "now", finality and cache expiry; injectable so tests can move time. */
  readonly now?: () => number;
  /** Default: JSON lines on stdout at `LOG_LEVEL`. */
  readonly logger?: Logger;
}

export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<RunningGateway> {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? createLogger({ level: config.logLevel });
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
    });
    endpoint = simulator.url;
  }

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
  const callDetailSource = createCallDetailSource({
    fetchCallDetail: upstream.fetchCallDetail,
    cache,
    slotMs: config.cache.slotMs,
    settleMs,
    now,
    sharedStore: coordination.sharedStore,
  });
  const authenticator = createAuthenticator(config.auth);
  if (!authenticator.enabled) {
    logger.warn(
      'no client authentication is configured (AUTH_API_KEYS, AUTH_API_KEYS_FILE, AUTH_JWT_SECRET or ' +
        'AUTH_JWKS_URL): anyone who can reach this port can read every AppId of the account',
    );
  }
  const principalOf = createRequestPrincipal(authenticator);
  const responseCache =
    config.cache.responseMaxBytes > 0
      ? createResponseCache({
          maxBytes: config.cache.responseMaxBytes,
          principalOf,
          now,
        })
      : null;
  metrics?.watch({
    cacheStats: () => cache.stats(),
    limiterQueueLength: () => coordination.limiter.queueLength,
    breakerState: () => upstream.breaker.state,
    responseCacheStats: responseCache ? () => responseCache.stats() : undefined,
  });
  let draining = false;
  const app = createApp({
    callDetailSource,
    principalOf,
    responseCache,
    graphiql: config.graphiql,
    http: config.http,
    limits: config.limits,
    slotTiming: { slotMs: config.cache.slotMs, settleMs },
    logger,
    metrics,
    isReady: () => !draining,
    now,
  });
  const server = createServer(guardRequests(app, config.limits));
  const address = await listen(server, config.port, config.host);
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    graphqlUrl: `http://${host}:${address.port}${app.graphqlEndpoint}`,
    cache,
    responseCache,
    simulator,
    async close() {
      draining = true;
      await closeServer(server, config.http.shutdownGraceMs);
      await upstream.close();
      await coordination.close();
      await simulator?.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel });
  let gateway: RunningGateway;
  try {
    gateway = await startGateway(config, { logger });
  } catch (error) {
    // EADDRINUSE and friends: one clear line for the operator, not a stack trace.
    const reason = error instanceof Error ? error.message : String(error);
    console.error(`callq could not start on ${config.host}:${config.port}: ${reason}`);
    process.exit(1);
  }
  const upstreamNote = gateway.simulator
    ? `the embedded simulator at ${gateway.simulator.url}: the data is SIMULATED (set VOLC_ACCESSKEY and VOLC_SECRETKEY for real data)`
    : `${config.upstream.endpoint} (region ${config.upstream.region})`;
  // The upstream line first: whoever waits for "listening on" has then read both.
  logger.info(`upstream: ${upstreamNote}`);
  logger.info(
    `callq listening on ${gateway.graphqlUrl}${config.graphiql ? ' (open it in a browser for GraphiQL)' : ''}`,
  );

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down (in-flight requests get ${config.http.shutdownGraceMs} ms)`);
    gateway.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
