/**
 * The gateway's configuration: one pure function from an environment to a validated, frozen Config.
 * This module, with auth-config.ts for the AUTH_ variables, is the only one that knows variable names; every
 * invalid variable is reported at once, by name, so an operator fixes a bad deployment in one round.
 */

import type { Credentials } from '../upstream/signer.js';
import { type AuthConfig, readAuthConfig } from './auth-config.js';
import { type Env, EnvReader } from './env-reader.js';
import { type MetricRoleNames, readMetricRoles } from './metric-roles.js';
import { readTracingConfig, type TracingConfig } from './tracing-config.js';
import { readTrustedDocuments, type TrustedDocumentsConfig } from './trusted-documents-config.js';

export interface UpstreamConfig {
  /** Base URL; without credentials the gateway uses the embedded simulator's instead, once it listens. */
  readonly endpoint: string;
  /** Null when no key pair was given: the gateway then starts the embedded simulator and talks to it. */
  readonly credentials: Credentials | null;
  readonly region: string;
  readonly connections: number;
  readonly timeouts: {
    readonly connectMs: number;
    readonly headersMs: number;
    readonly bodyMs: number;
    /** The whole attempt, connect to last body byte; the only bound on an upstream that drips its body. */
    readonly attemptMs: number;
  };
  readonly retry: {
    readonly maxAttempts: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly deadlineMs: number;
  };
}

export interface RateLimitConfig {
  readonly requestsPerSecond: number;
  /** With Redis configured but unreachable before any heartbeat answered: this replica's local share of the rate. */
  readonly fallbackRequestsPerSecond: number;
  /** How long a replica missing from the heartbeats in Redis is presumed alive and using its share of the rate. */
  readonly replicaGraceMs: number;
  readonly marginMs: number;
  readonly maxWaitMs: number;
}

export interface CacheConfig {
  readonly maxBytes: number;
  readonly slotMs: number;
  /** Upstream latency (100 s) plus this margin after its end, a slot is immutable and cached without expiry. */
  readonly latencyMarginMs: number;
  /** How long a slot that may still change is shared. */
  readonly tailTtlMs: number;
  /** Bound of the cache of whole responses of settled operations; 0 turns it off. */
  readonly responseMaxBytes: number;
}

export interface RedisConfig {
  /** Null: no Redis; the cache and the rate limit are this process's own. */
  readonly url: string | null;
  /** Namespace of every key, so several deployments can share one Redis. */
  readonly prefix: string;
  /** Bound on every Redis command and on connecting. */
  readonly timeoutMs: number;
}

/** Where settled slots are kept past the upstream's retention. */
export type ArchiveTarget =
  | { readonly kind: 'sqlite'; readonly path: string }
  | { readonly kind: 'postgres'; readonly url: string };

export interface ArchiveConfig {
  /** Null: no archive (`ARCHIVE_URL=off`, or unset on the embedded simulator). */
  readonly target: ArchiveTarget | null;
  /** Archived slots older than this are swept. */
  readonly retentionMs: number;
  /** Users kept recorded for as long as they are configured (ARCHIVE_RECORD). */
  readonly record: ReadonlyArray<{
    readonly appId: string;
    readonly roomId: string;
    readonly userId: string;
  }>;
  /** How often the recorder moves recordings on. */
  readonly recordIntervalMs: number;
}

/** Limits on what one operation may ask for, checked before anything is executed. */
export interface OperationLimitsConfig {
  /** Most upstream calls one operation may need when nothing is cached (COST_LIMIT_EXCEEDED beyond). */
  readonly maxUpstreamCalls: number;
  /** Most user entries one operation may name (ids of every field and alias): bounds the work of one request. */
  readonly maxUserEntries: number;
  /** Most points (raw or downsampled, of `points` and `series`) one operation may return. */
  readonly maxPoints: number;
  readonly maxAliases: number;
  readonly maxDepth: number;
  readonly maxTokens: number;
  /** Most slots one operation may read from the archive (COST_LIMIT_EXCEEDED beyond). */
  readonly maxArchivedSlots: number;
  /** Request bodies larger than this are refused with 413 before they are parsed. */
  readonly maxBodyBytes: number;
}

export interface HttpConfig {
  /** Origins allowed to call the gateway from a browser; empty: same origin only (but see allowLocalOrigins). */
  readonly corsOrigins: readonly string[];
  /** Dev servers on this machine (`http://localhost:*`, ...) may call too: on the simulator, without CORS_ORIGINS. */
  readonly allowLocalOrigins: boolean;
  readonly introspection: boolean;
  /** Prometheus metrics at /metrics. */
  readonly metrics: boolean;
  /** In-flight requests get this long to finish at shutdown before their connections are cut. */
  readonly shutdownGraceMs: number;
  /** JSON answers of at least `minBytes` are sent gzip- or Brotli-compressed when accepted; null: never. */
  readonly compression: { readonly minBytes: number } | null;
  /** The operations clients may send by hash (and, in `require` mode, the only ones); null: any, as text. */
  readonly trustedDocuments: TrustedDocumentsConfig | null;
  /** Longest `max-age` of a settled answer to a GET, for browsers and CDNs; 0: every GET answer is `no-store`. */
  readonly cacheMaxAgeSeconds: number;
}

/** Live subscriptions: one poller per room, however many subscribe. */
export interface LiveConfig {
  /** How often a room's poller asks for the moving tail. */
  readonly pollIntervalMs: number;
  /** Most open subscriptions per principal (SUBSCRIPTION_LIMIT_EXCEEDED beyond). */
  readonly maxSubscriptions: number;
  /** Most events waiting for a slow client; one more ends its subscription (SUBSCRIPTION_BACKLOG_EXCEEDED). */
  readonly maxBacklog: number;
}

export interface CircuitBreakerConfig {
  /** Consecutive failed upstream calls (after retries) that open the circuit. */
  readonly failureThreshold: number;
  /** How long an open circuit fails fast before one trial call may go through. */
  readonly openMs: number;
}

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly graphiql: boolean;
  /** The call-quality dashboard page at `/`. */
  readonly dashboard: boolean;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  readonly http: HttpConfig;
  readonly auth: AuthConfig;
  readonly limits: OperationLimitsConfig;
  readonly upstream: UpstreamConfig;
  readonly breaker: CircuitBreakerConfig;
  readonly rateLimit: RateLimitConfig;
  readonly cache: CacheConfig;
  readonly redis: RedisConfig;
  readonly archive: ArchiveConfig;
  readonly live: LiveConfig;
  readonly simulator: { readonly sampleIntervalMs: number };
  /** Which metric is the RTT, the loss, ... of a stream, for incidents and quality scores. */
  readonly metricRoles: MetricRoleNames;
  /** OpenTelemetry traces (the standard OTEL_ variables); off without an OTLP endpoint. */
  readonly tracing: TracingConfig;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `auto`: pretty lines on a terminal, JSON lines otherwise (a pipe, a file, a log collector). */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'INVALID_CONFIG';

  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

const HOUR_MS = 3_600_000;
/** Relative to the working directory, beside the checkout for `npm start`; gitignored. */
const DEFAULT_ARCHIVE_PATH = 'data/callq-archive.sqlite';

/** Reads `process.env` unless given another environment (tests pass their own). */
export function loadConfig(env: Env = process.env): Config {
  const read = new EnvReader(env);

  const accessKeyId = read.optional('VOLC_ACCESSKEY');
  const secretAccessKey = read.optional('VOLC_SECRETKEY');
  const sessionToken = read.optional('VOLC_SESSION_TOKEN');
  // Half a key pair is a deployment mistake; silently falling back to simulated data would hide it.
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    read.problems.push(
      'VOLC_ACCESSKEY and VOLC_SECRETKEY must be set together (or both left unset for the simulator)',
    );
  }
  const credentials =
    accessKeyId !== undefined && secretAccessKey !== undefined
      ? { accessKeyId, secretAccessKey, sessionToken }
      : null;
  if (credentials === null && sessionToken !== undefined) {
    read.problems.push('VOLC_SESSION_TOKEN is set but VOLC_ACCESSKEY/VOLC_SECRETKEY are not');
  }
  const endpoint = read.url('VOLC_ENDPOINT', 'https://rtc.volcengineapi.com');
  const allowedOrigins = corsOrigins(read);

  const config: Config = {
    host: read.string('HOST', '127.0.0.1'),
    port: read.integer('PORT', 4000, 0, 65_535),
    graphiql: read.boolean('GRAPHIQL', true),
    dashboard: read.boolean('DASHBOARD', true),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: read.oneOf('LOG_FORMAT', LOG_FORMATS, 'auto'),
    http: {
      corsOrigins: allowedOrigins,
      // A newcomer's dev server calling the simulator's made-up data risks nothing; with real credentials,
      // any page on localhost (a stranger's dev tool included) could read real data, so only the list counts.
      allowLocalOrigins: credentials === null && allowedOrigins.length === 0,
      introspection: read.boolean('INTROSPECTION', true),
      metrics: read.boolean('METRICS', true),
      shutdownGraceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
      compression: read.boolean('COMPRESSION', true)
        ? { minBytes: read.integer('COMPRESSION_MIN_BYTES', 1024, 0, 1024 * 1024 * 1024) }
        : null,
      trustedDocuments: readTrustedDocuments(read),
      // A day: a settled answer never changes, but a later release of the gateway may answer it better, and a
      // CDN cannot be made to forget. The retention bounds it further (settled-max-age.ts).
      cacheMaxAgeSeconds: read.integer('HTTP_CACHE_MAX_AGE_SECONDS', 86_400, 0, 6 * 86_400),
    },
    auth: readAuthConfig(read),
    limits: {
      // One call chunk (up to 20 users) over the whole 6-day retention: 144 hours, aligned or not, since calls
      // start where a range starts (and a servable range is never longer than the retention). The schema promises
      // any length within the retention; at 10 calls/s it takes ~15 s, within RATE_LIMIT_MAX_WAIT_MS. A
      // dashboard's 20 users over the last hour needs 1.
      maxUpstreamCalls: read.integer('LIMIT_MAX_UPSTREAM_CALLS', 144, 1, 100_000),
      // Ten times the 200 users of a large room: a dashboard asking for them over several windows fits.
      maxUserEntries: read.integer('LIMIT_MAX_USER_ENTRIES', 2_000, 1, 1_000_000),
      // Twenty users over three hours with every metric at full resolution (~430 000 points, ~30 MB of JSON
      // as `points { time value }`): three operations at the limit fit in a 1 GB heap together.
      maxPoints: read.integer('LIMIT_MAX_POINTS', 500_000, 1, 100_000_000),
      // A room of 200 users asked for with aliases stays under every default.
      maxAliases: read.integer('LIMIT_MAX_ALIASES', 250, 1, 100_000),
      maxDepth: read.integer('LIMIT_MAX_DEPTH', 12, 1, 1_000),
      maxTokens: read.integer('LIMIT_MAX_TOKENS', 20_000, 100, 10_000_000),
      // A month of one user's both directions (17 280 slots) fits, and so do 20 users over more than 4 days;
      // each slot is a database read and a decode of ~20 bytes a point.
      maxArchivedSlots: read.integer('LIMIT_MAX_ARCHIVED_SLOTS', 50_000, 1, 100_000_000),
      maxBodyBytes: read.integer('LIMIT_MAX_BODY_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024),
    },
    upstream: {
      endpoint,
      credentials,
      region: read.string('VOLC_REGION', 'cn-north-1'),
      connections: read.integer('UPSTREAM_CONNECTIONS', 10, 1, 256),
      timeouts: {
        connectMs: read.integer('UPSTREAM_CONNECT_TIMEOUT_MS', 5_000, 100, 60_000),
        headersMs: read.integer('UPSTREAM_HEADERS_TIMEOUT_MS', 10_000, 100, 300_000),
        bodyMs: read.integer('UPSTREAM_BODY_TIMEOUT_MS', 30_000, 100, 300_000),
        // The 10 s to the headers plus 5 s for a body that a healthy upstream sends within a second or two.
        // Shorter than the 20 s retry deadline, so an attempt cut off here still gets one retry, like the
        // other timeouts: its socket is dropped, and the retry goes out on another one.
        attemptMs: read.integer('UPSTREAM_ATTEMPT_TIMEOUT_MS', 15_000, 100, 600_000),
      },
      retry: {
        maxAttempts: read.integer('UPSTREAM_RETRY_MAX_ATTEMPTS', 4, 1, 10),
        baseDelayMs: read.integer('UPSTREAM_RETRY_BASE_DELAY_MS', 200, 1, 60_000),
        maxDelayMs: read.integer('UPSTREAM_RETRY_MAX_DELAY_MS', 5_000, 1, 300_000),
        deadlineMs: read.integer('UPSTREAM_RETRY_DEADLINE_MS', 20_000, 100, HOUR_MS),
      },
    },
    breaker: {
      failureThreshold: read.integer('BREAKER_FAILURE_THRESHOLD', 5, 1, 1_000),
      openMs: read.integer('BREAKER_OPEN_MS', 30_000, 100, HOUR_MS),
    },
    rateLimit: {
      requestsPerSecond: read.integer('RATE_LIMIT_RPS', 10, 1, 1_000),
      fallbackRequestsPerSecond: read.integer('RATE_LIMIT_FALLBACK_RPS', 3, 1, 1_000),
      // Long enough for a partition or a Redis restart; a replica that died without leaving holds its share
      // that long.
      replicaGraceMs: read.integer('RATE_LIMIT_REPLICA_GRACE_MS', 60_000, 5_000, HOUR_MS),
      marginMs: read.integer('RATE_LIMIT_MARGIN_MS', 50, 0, 1_000),
      // Long enough for the largest operation the default cost limit admits (144 calls: ~15 s at 10/s, more
      // when the upstream is slow, since a turn counts until its call settles); shorter than a browser's patience.
      maxWaitMs: read.integer('RATE_LIMIT_MAX_WAIT_MS', 30_000, 0, 300_000),
    },
    cache: {
      maxBytes: read.integer('CACHE_MAX_MB', 256, 1, 65_536) * 1024 * 1024,
      slotMs: read.integer('CACHE_SLOT_SECONDS', 300, 10, 3_600) * 1000,
      latencyMarginMs: read.integer('CACHE_LATENCY_MARGIN_MS', 60_000, 0, HOUR_MS),
      tailTtlMs: read.integer('CACHE_TAIL_TTL_MS', 5_000, 0, 600_000),
      responseMaxBytes: read.integer('RESPONSE_CACHE_MAX_MB', 64, 0, 65_536) * 1024 * 1024,
    },
    redis: {
      url: redisUrl(read),
      prefix: read.string('REDIS_PREFIX', 'callq:'),
      timeoutMs: read.integer('REDIS_TIMEOUT_MS', 250, 10, 60_000),
    },
    archive: {
      target: archiveTarget(read, credentials !== null),
      retentionMs: read.integer('ARCHIVE_RETENTION_DAYS', 90, 7, 36_500) * 24 * HOUR_MS,
      record: archiveRecord(read),
      recordIntervalMs: read.integer('ARCHIVE_RECORD_INTERVAL_MS', 10_000, 100, 3_600_000),
    },
    live: {
      // The upstream samples every ~10 s and lags ~100 s: polling faster would mostly find nothing new.
      pollIntervalMs: read.integer('LIVE_POLL_INTERVAL_MS', 10_000, 10, 600_000),
      maxSubscriptions: read.integer('LIVE_MAX_SUBSCRIPTIONS', 100, 1, 100_000),
      // An event every poll: 16 is well over two minutes of a client not reading at the default interval.
      maxBacklog: read.integer('LIVE_MAX_BACKLOG', 16, 1, 10_000),
    },
    simulator: {
      sampleIntervalMs: read.integer('SIMULATOR_SAMPLE_INTERVAL_MS', 10_000, 1_000, 600_000),
    },
    metricRoles: readMetricRoles(read),
    tracing: readTracingConfig(read),
  };

  // Hourly upstream windows must be made of whole slots, or a planned call could exceed the upstream's hour.
  if (HOUR_MS % config.cache.slotMs !== 0) {
    read.problems.push(`CACHE_SLOT_SECONDS must divide 3600, got ${config.cache.slotMs / 1000}`);
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return deepFreeze(config);
}

function corsOrigins(read: EnvReader): string[] {
  const raw = read.optional('CORS_ORIGINS');
  if (raw === undefined) return [];
  const origins: string[] = [];
  for (const entry of raw.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    try {
      const url = new URL(entry);
      // An origin is scheme://host[:port]; a path here is a mistake that would never match a browser's Origin.
      if (url.origin !== entry.replace(/\/$/, '')) throw new Error('not an origin');
      origins.push(url.origin);
    } catch {
      read.problems.push(
        `CORS_ORIGINS must be a comma-separated list of origins like https://a.example, got "${entry}"`,
      );
    }
  }
  return origins;
}

function redisUrl(read: EnvReader): string | null {
  const raw = read.optional('REDIS_URL');
  if (raw === undefined) return null;
  try {
    const url = new URL(raw);
    if (url.protocol === 'redis:' || url.protocol === 'rediss:') return raw;
  } catch {
    // reported below
  }
  // Never echo the value: a Redis URL may carry a password.
  read.problems.push('REDIS_URL must be a redis:// or rediss:// URL');
  return null;
}

/**
 * `off`, a PostgreSQL URL, or `sqlite:` and a file path. Unset: the embedded file with real credentials, and
 * nothing on the embedded simulator, whose made-up data is not worth a file that grows for 90 days (set
 * ARCHIVE_URL to archive it anyway).
 */
function archiveTarget(read: EnvReader, realUpstream: boolean): ArchiveTarget | null {
  const fallback = realUpstream ? `sqlite:${DEFAULT_ARCHIVE_PATH}` : 'off';
  const raw = read.string('ARCHIVE_URL', fallback);
  if (raw.toLowerCase() === 'off') return null;
  if (raw.startsWith('sqlite:') && raw.length > 'sqlite:'.length) {
    return { kind: 'sqlite', path: raw.slice('sqlite:'.length) };
  }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
      return { kind: 'postgres', url: raw };
    } catch {
      // reported below
    }
  }
  // Never echo the value: a PostgreSQL URL may carry a password.
  read.problems.push('ARCHIVE_URL must be off, sqlite:<file path> or a postgres:// URL');
  return null;
}

/** `app/room/user,app/room/user2,...`: the users to keep recorded. */
function archiveRecord(read: EnvReader): ArchiveConfig['record'] {
  const raw = read.optional('ARCHIVE_RECORD');
  if (raw === undefined) return [];
  const targets: Array<{ appId: string; roomId: string; userId: string }> = [];
  for (const entry of raw.split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const [appId, roomId, userId, ...rest] = entry.split('/');
    if (!appId || !roomId || !userId || rest.length > 0) {
      read.problems.push(`ARCHIVE_RECORD must be a comma-separated list of app/room/user, got "${entry}"`);
      continue;
    }
    targets.push({ appId, roomId, userId });
  }
  return targets;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
