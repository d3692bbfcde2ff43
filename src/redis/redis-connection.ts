/**
 * The process's one Redis connection (ioredis), configured so that Redis trouble never holds a query up:
 * no offline queue (a command while disconnected fails at once instead of waiting for a reconnect), a
 * per-command timeout, and endless background reconnection so sharing resumes by itself when Redis is back.
 * Callers fall back to local behaviour on any command error; this module only tracks and reports health,
 * once per transition rather than once per failed command.
 */
import { Redis } from 'ioredis';

export interface RedisConnection {
  readonly client: Redis;
  /** True while the connection is ready; callers may skip Redis entirely while it is not. */
  readonly healthy: boolean;
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  readonly url: string;
  /** Bound on every command and on connecting: Redis is a cache and a coordinator, never worth a slow query. */
  readonly timeoutMs: number;
  /** Where transitions are reported (the URL's password is never part of a message). */
  readonly log: (message: string) => void;
}

const MAX_RECONNECT_DELAY_MS = 2_000;

export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  const where = safeLocation(options.url);
  const client = new Redis(options.url, {
    enableOfflineQueue: false,
    commandTimeout: options.timeoutMs,
    connectTimeout: Math.max(options.timeoutMs, 1_000),
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
  });
  // Assume unavailable until proven ready, and say so only when the state changes.
  let healthy = false;
  let reported: boolean | null = null;
  const report = (now: boolean, detail: string) => {
    healthy = now;
    if (reported === now) return;
    reported = now;
    options.log(
      now
        ? `redis at ${where} is available: sharing cache and rate limit`
        : `redis at ${where} is unavailable (${detail}): using the local cache and a local share of the rate limit`,
    );
  };
  client.on('ready', () => report(true, 'ready'));
  client.on('error', (error: Error) => report(false, error.message));
  client.on('close', () => report(false, 'connection closed'));

  return {
    client,
    get healthy() {
      return healthy;
    },
    async close() {
      client.disconnect(false);
    },
  };
}

/** host:port only: a Redis URL may carry a password. */
function safeLocation(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '6379'}`;
  } catch {
    return 'the configured URL';
  }
}
