/**
 * The gateway's configuration: one pure function from an environment to a validated, frozen Config.
 * This is the only module that knows variable names; every invalid variable is reported at once, by name,
 * so an operator fixes a bad deployment in one round.
 */
import type { Credentials } from './upstream/signer.js';

export interface UpstreamConfig {
  /** `simulator`: no credentials were given, so the server starts the embedded simulator and talks to it. */
  readonly mode: 'remote' | 'simulator';
  /** Base URL; in simulator mode it is only known once the simulator listens. */
  readonly endpoint: string;
  readonly credentials: Credentials | null;
  readonly region: string;
  readonly connections: number;
  readonly timeouts: { readonly connectMs: number; readonly headersMs: number; readonly bodyMs: number };
  readonly retry: {
    readonly maxAttempts: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly deadlineMs: number;
  };
}

export interface RateLimitConfig {
  readonly requestsPerSecond: number;
  /** With Redis configured but unreachable: this replica's local share of the rate. */
  readonly fallbackRequestsPerSecond: number;
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
}

export interface RedisConfig {
  /** Null: no Redis; the cache and the rate limit are this process's own. */
  readonly url: string | null;
  /** Namespace of every key, so several deployments can share one Redis. */
  readonly prefix: string;
  /** Bound on every Redis command and on connecting. */
  readonly timeoutMs: number;
}

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly graphiql: boolean;
  readonly upstream: UpstreamConfig;
  readonly rateLimit: RateLimitConfig;
  readonly cache: CacheConfig;
  readonly redis: RedisConfig;
  readonly simulator: { readonly sampleIntervalMs: number };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'INVALID_CONFIG';

  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Collects problems instead of throwing at the first, so all of them are reported together. */
class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const value = this.optional(name);
    return value ?? fallback;
  }

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === '' ? undefined : value;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw) || value < min || value > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw)) return true;
    if (['false', '0', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  }

  url(name: string, fallback: string): string {
    const raw = this.string(name, fallback);
    try {
      const url = new URL(raw);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
      return url.origin;
    } catch {
      this.problems.push(`${name} must be an http(s) URL, got "${raw}"`);
      return fallback;
    }
  }
}

const HOUR_MS = 3_600_000;

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

  const config: Config = {
    host: read.string('HOST', '127.0.0.1'),
    port: read.integer('PORT', 4000, 0, 65_535),
    graphiql: read.boolean('GRAPHIQL', true),
    upstream: {
      mode: credentials === null ? 'simulator' : 'remote',
      endpoint,
      credentials,
      region: read.string('VOLC_REGION', 'cn-north-1'),
      connections: read.integer('UPSTREAM_CONNECTIONS', 10, 1, 256),
      timeouts: {
        connectMs: read.integer('UPSTREAM_CONNECT_TIMEOUT_MS', 5_000, 100, 60_000),
        headersMs: read.integer('UPSTREAM_HEADERS_TIMEOUT_MS', 10_000, 100, 300_000),
        bodyMs: read.integer('UPSTREAM_BODY_TIMEOUT_MS', 30_000, 100, 300_000),
      },
      retry: {
        maxAttempts: read.integer('UPSTREAM_RETRY_MAX_ATTEMPTS', 4, 1, 10),
        baseDelayMs: read.integer('UPSTREAM_RETRY_BASE_DELAY_MS', 200, 1, 60_000),
        maxDelayMs: read.integer('UPSTREAM_RETRY_MAX_DELAY_MS', 5_000, 1, 300_000),
        deadlineMs: read.integer('UPSTREAM_RETRY_DEADLINE_MS', 20_000, 100, HOUR_MS),
      },
    },
    rateLimit: {
      requestsPerSecond: read.integer('RATE_LIMIT_RPS', 10, 1, 1_000),
      fallbackRequestsPerSecond: read.integer('RATE_LIMIT_FALLBACK_RPS', 3, 1, 1_000),
      marginMs: read.integer('RATE_LIMIT_MARGIN_MS', 50, 0, 1_000),
      maxWaitMs: read.integer('RATE_LIMIT_MAX_WAIT_MS', 10_000, 0, 300_000),
    },
    cache: {
      maxBytes: read.integer('CACHE_MAX_MB', 256, 1, 65_536) * 1024 * 1024,
      slotMs: read.integer('CACHE_SLOT_SECONDS', 300, 10, 3_600) * 1000,
      latencyMarginMs: read.integer('CACHE_LATENCY_MARGIN_MS', 60_000, 0, HOUR_MS),
      tailTtlMs: read.integer('CACHE_TAIL_TTL_MS', 5_000, 0, 600_000),
    },
    redis: {
      url: redisUrl(read),
      prefix: read.string('REDIS_PREFIX', 'callq:'),
      timeoutMs: read.integer('REDIS_TIMEOUT_MS', 250, 10, 60_000),
    },
    simulator: {
      sampleIntervalMs: read.integer('SIMULATOR_SAMPLE_INTERVAL_MS', 10_000, 1_000, 600_000),
    },
  };

  // Hourly upstream windows must be made of whole slots, or a planned call could exceed the upstream's hour.
  if (HOUR_MS % config.cache.slotMs !== 0) {
    read.problems.push(`CACHE_SLOT_SECONDS must divide 3600, got ${config.cache.slotMs / 1000}`);
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return deepFreeze(config);
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

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
