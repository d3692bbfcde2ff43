/**
 * What replicas share: the upstream rate limit and the immutable slots. With `REDIS_URL` both go through
 * Redis (falling back to this process's own when Redis is unreachable); without it, this process is alone.
 */
import { createHash } from 'node:crypto';
import type { Config } from './config.js';
import { createRedisConnection, type RedisConnection } from './redis/redis-connection.js';
import { createSharedRateLimiter } from './redis/shared-rate-limiter.js';
import { createSharedSlotStore } from './redis/shared-slot-store.js';
import { LIST_CALL_DETAIL_LIMITS } from './upstream/call-detail.js';
import type { SecondLevelSlotStore } from './upstream/call-detail-source.js';
import { createRateLimiter, type RateLimiter } from './upstream/rate-limiter.js';

export interface Coordination {
  readonly limiter: RateLimiter;
  readonly sharedStore: SecondLevelSlotStore | undefined;
  readonly redis: RedisConnection | null;
  close(): Promise<void>;
}

// Immutable slots stay useful until the upstream's retention has passed them; a day more covers clock skew
// and requests still being served near the edge.
const SHARED_SLOT_TTL_SECONDS = (LIST_CALL_DETAIL_LIMITS.retentionMs + 24 * 3_600_000) / 1000;

export function createCoordination(
  config: Config,
  accessKeyId: string,
  log: (message: string) => void,
): Coordination {
  const { rateLimit } = config;
  const local = (requestsPerSecond: number) =>
    createRateLimiter({ requestsPerSecond, marginMs: rateLimit.marginMs, maxWaitMs: rateLimit.maxWaitMs });
  if (config.redis.url === null) {
    return {
      limiter: local(rateLimit.requestsPerSecond),
      sharedStore: undefined,
      redis: null,
      close: async () => {},
    };
  }
  const redis = createRedisConnection({ url: config.redis.url, timeoutMs: config.redis.timeoutMs, log });
  // The limit belongs to the Volcengine account: one key per access key, hashed so Redis never holds the id.
  const keyHash = createHash('sha256').update(accessKeyId).digest('hex').slice(0, 16);
  return {
    limiter: createSharedRateLimiter({
      connection: redis,
      key: `${config.redis.prefix}v1:ratelimit:${keyHash}`,
      requestsPerSecond: rateLimit.requestsPerSecond,
      marginMs: rateLimit.marginMs,
      maxWaitMs: rateLimit.maxWaitMs,
      fallback: local(rateLimit.fallbackRequestsPerSecond),
    }),
    sharedStore: createSharedSlotStore({
      connection: redis,
      prefix: config.redis.prefix,
      ttlSeconds: SHARED_SLOT_TTL_SECONDS,
    }),
    redis,
    close: () => redis.close(),
  };
}
