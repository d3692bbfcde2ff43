/**
 * The gateway's configuration: one pure function from an environment to a validated, frozen Config.
 * This is the only module that knows variable names; every invalid variable is reported at once, by name,
 * so an operator fixes a bad deployment in one round.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

/** One API key's entry. The key itself is kept only as its SHA-256, so a heap dump does not hold it. */
export interface ApiKeyEntry {
  /** Who the key belongs to, for logs and metrics (never the key). */
  readonly name: string;
  readonly keySha256: string;
  /** The AppIds the key may read; `*` means every AppId. */
  readonly appIds: readonly string[];
}

export interface JwtConfig {
  /** HS256 shared secret; exactly one of `secret` and `jwksUrl` is set. */
  readonly secret: string | null;
  /** Where the issuer's public keys are published (RS256, ES256, EdDSA, ...). */
  readonly jwksUrl: string | null;
  readonly issuer: string | null;
  readonly audience: string | null;
  /** The claim that lists the AppIds the token may read (an array of strings; `*` means every AppId). */
  readonly appIdsClaim: string;
}

export interface AuthConfig {
  /** Empty with `jwt` null: no authentication, the gateway is open (for local use; it warns at start). */
  readonly apiKeys: readonly ApiKeyEntry[];
  readonly jwt: JwtConfig | null;
}

/** Limits on what one operation may ask for, checked before anything is executed. */
export interface OperationLimitsConfig {
  /** Most upstream calls one operation may need when nothing is cached (COST_LIMIT_EXCEEDED beyond). */
  readonly maxUpstreamCalls: number;
  /** Most user entries one operation may name (ids of every field and alias): bounds the work of one request. */
  readonly maxUserEntries: number;
  readonly maxAliases: number;
  readonly maxDepth: number;
  readonly maxTokens: number;
  /** Request bodies larger than this are refused with 413 before they are parsed. */
  readonly maxBodyBytes: number;
}

export interface HttpConfig {
  /** Origins allowed to call the gateway from a browser; empty: same origin only. */
  readonly corsOrigins: readonly string[];
  readonly introspection: boolean;
  /** Prometheus metrics at /metrics. */
  readonly metrics: boolean;
  /** In-flight requests get this long to finish at shutdown before their connections are cut. */
  readonly shutdownGraceMs: number;
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
  readonly logLevel: LogLevel;
  readonly http: HttpConfig;
  readonly auth: AuthConfig;
  readonly limits: OperationLimitsConfig;
  readonly upstream: UpstreamConfig;
  readonly breaker: CircuitBreakerConfig;
  readonly rateLimit: RateLimitConfig;
  readonly cache: CacheConfig;
  readonly redis: RedisConfig;
  readonly simulator: { readonly sampleIntervalMs: number };
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

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

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    const value = allowed.find((candidate) => candidate === raw);
    if (value === undefined) this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    return value ?? fallback;
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
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    http: {
      corsOrigins: corsOrigins(read),
      introspection: read.boolean('INTROSPECTION', true),
      metrics: read.boolean('METRICS', true),
      shutdownGraceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    },
    auth: { apiKeys: apiKeys(read), jwt: jwt(read) },
    limits: {
      // 60 calls is six seconds of the account's whole budget: 200 users over 6 hours, or 20 users over
      // 2.5 days. A dashboard's 20 users over the last hour needs 1 or 2.
      maxUpstreamCalls: read.integer('LIMIT_MAX_UPSTREAM_CALLS', 60, 1, 100_000),
      // Ten times the 200 users of a large room: a dashboard asking for them over several windows fits.
      maxUserEntries: read.integer('LIMIT_MAX_USER_ENTRIES', 2_000, 1, 1_000_000),
      // A room of 200 users asked for with aliases stays under every default.
      maxAliases: read.integer('LIMIT_MAX_ALIASES', 250, 1, 100_000),
      maxDepth: read.integer('LIMIT_MAX_DEPTH', 12, 1, 1_000),
      maxTokens: read.integer('LIMIT_MAX_TOKENS', 20_000, 100, 10_000_000),
      maxBodyBytes: read.integer('LIMIT_MAX_BODY_BYTES', 256 * 1024, 1024, 64 * 1024 * 1024),
    },
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
    breaker: {
      failureThreshold: read.integer('BREAKER_FAILURE_THRESHOLD', 5, 1, 1_000),
      openMs: read.integer('BREAKER_OPEN_MS', 30_000, 100, HOUR_MS),
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
      responseMaxBytes: read.integer('RESPONSE_CACHE_MAX_MB', 64, 0, 65_536) * 1024 * 1024,
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

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * API keys come from `AUTH_API_KEYS` (JSON) or the file `AUTH_API_KEYS_FILE` (the same JSON), an array of
 * `{ "name": "grafana", "key": "...", "appIds": ["app1"] }`; `keySha256` (hex) may stand in for `key` so the
 * file need not hold the key itself. Messages name the entry, never its key.
 */
function apiKeys(read: EnvReader): ApiKeyEntry[] {
  const inline = read.optional('AUTH_API_KEYS');
  const file = read.optional('AUTH_API_KEYS_FILE');
  if (inline !== undefined && file !== undefined) {
    read.problems.push('AUTH_API_KEYS and AUTH_API_KEYS_FILE are both set; use one of them');
    return [];
  }
  const variable = file !== undefined ? 'AUTH_API_KEYS_FILE' : 'AUTH_API_KEYS';
  let text = inline;
  if (file !== undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      read.problems.push(`AUTH_API_KEYS_FILE could not be read (${reason}): ${file}`);
      return [];
    }
  }
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never quote the text: it holds keys.
    read.problems.push(`${variable} must be JSON: an array of { name, key or keySha256, appIds }`);
    return [];
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    read.problems.push(`${variable} must be a non-empty JSON array of { name, key or keySha256, appIds }`);
    return [];
  }
  const entries: ApiKeyEntry[] = [];
  const seen = new Set<string>();
  parsed.forEach((item: unknown, index) => {
    const entry = (item ?? {}) as Record<string, unknown>;
    const name = typeof entry.name === 'string' && entry.name.trim() !== '' ? entry.name.trim() : null;
    const label = `${variable} entry ${index}${name ? ` (${name})` : ''}`;
    const keySha256 =
      typeof entry.key === 'string' && entry.key.length >= 16
        ? sha256(entry.key)
        : typeof entry.keySha256 === 'string' && SHA256_HEX.test(entry.keySha256.toLowerCase())
          ? entry.keySha256.toLowerCase()
          : null;
    const appIds = Array.isArray(entry.appIds)
      ? entry.appIds.filter((appId): appId is string => typeof appId === 'string' && appId !== '')
      : [];
    if (name === null) read.problems.push(`${label} needs a "name"`);
    if (keySha256 === null)
      read.problems.push(`${label} needs a "key" of at least 16 characters or a hex "keySha256"`);
    if (appIds.length === 0 || appIds.length !== (entry.appIds as unknown[]).length)
      read.problems.push(`${label} needs "appIds": a non-empty array of AppIds (or ["*"])`);
    if (keySha256 !== null && seen.has(keySha256)) read.problems.push(`${label} repeats another entry's key`);
    if (name === null || keySha256 === null) return;
    seen.add(keySha256);
    entries.push({ name, keySha256, appIds });
  });
  return entries;
}

function jwt(read: EnvReader): JwtConfig | null {
  const secret = read.optional('AUTH_JWT_SECRET') ?? null;
  const jwksRaw = read.optional('AUTH_JWKS_URL');
  const issuer = read.optional('AUTH_JWT_ISSUER') ?? null;
  const audience = read.optional('AUTH_JWT_AUDIENCE') ?? null;
  const appIdsClaim = read.string('AUTH_JWT_APPIDS_CLAIM', 'appIds');
  if (secret === null && jwksRaw === undefined) {
    if (issuer !== null || audience !== null)
      read.problems.push('AUTH_JWT_ISSUER/AUTH_JWT_AUDIENCE need AUTH_JWT_SECRET or AUTH_JWKS_URL');
    return null;
  }
  if (secret !== null && jwksRaw !== undefined) {
    read.problems.push('AUTH_JWT_SECRET and AUTH_JWKS_URL are both set; use one of them');
  }
  // HS256 with a short secret can be brute-forced offline from any token a client holds (RFC 7518 3.2).
  if (secret !== null && Buffer.byteLength(secret) < 32) {
    read.problems.push('AUTH_JWT_SECRET must be at least 32 bytes');
  }
  let jwksUrl: string | null = null;
  if (jwksRaw !== undefined) {
    try {
      const url = new URL(jwksRaw);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
      jwksUrl = url.href;
    } catch {
      read.problems.push(`AUTH_JWKS_URL must be an http(s) URL, got "${jwksRaw}"`);
    }
  }
  return { secret, jwksUrl, issuer, audience, appIdsClaim };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
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
