/**
 * What replicas share: the upstream rate limit (per access key) and the immutable slots (per upstream
 * identity). With `REDIS_URL` both go through Redis (falling back to this process's own when Redis is
 * unreachable); without it, this process is alone.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/config.js';
import { LIST_CALL_DETAIL_LIMITS } from '../model/call-detail.js';
import type { SecondLevelSlotStore } from '../slots/call-detail-source.js';
import { createRateLimiter, type RateLimiter } from '../upstream/rate-limiter.js';
import { accessKeyHash, upstreamIdentity } from '../upstream/upstream-identity.js';
import { createLiveRelays, type LiveRelays } from './live-relay.js';
import { createRedisConnection } from './redis-connection.js';
import { createReplicaMembership } from './replica-membership.js';
import { createSharedRateLimiter } from './shared-rate-limiter.js';
import { createSharedSlotStore } from './shared-slot-store.js';

export interface Coordination {
  readonly limiter: RateLimiter;
  readonly sharedStore: SecondLevelSlotStore | undefined;
  /** One upstream poll per live room across replicas; undefined when this process is alone. */
  readonly liveRelays: LiveRelays | undefined;
  close(): Promise<void>;
}

// Immutable slots stay useful until the upstream's retention has passed them; a day more covers clock skew
// and requests still being served near the edge.
const SHARED_SLOT_TTL_SECONDS = (LIST_CALL_DETAIL_LIMITS.retentionMs + 24 * 3_600_000) / 1000;

/** The upstream this process fetches from. */
export interface CoordinatedUpstream {
  readonly endpoint: string;
  readonly accessKeyId: string;
  /** True for the embedded simulator, whose key pair and port are this process's own. */
  readonly embeddedSimulator: boolean;
}

export function createCoordination(
  config: Config,
  upstream: CoordinatedUpstream,
  log: (message: string) => void,
): Coordination {
  const { rateLimit } = config;
  const { requestsPerSecond, marginMs, maxWaitMs } = rateLimit;
  if (config.redis.url === null) {
    return {
      limiter: createRateLimiter({ requestsPerSecond, marginMs, maxWaitMs }),
      sharedStore: undefined,
      liveRelays: undefined,
      close: async () => {},
    };
  }
  const redis = createRedisConnection({ url: config.redis.url, timeoutMs: config.redis.timeoutMs, log });
  const replicaId = randomUUID();
  const keyOfAccount = accessKeyHash(upstream.accessKeyId);
  const membership = createReplicaMembership({
    connection: redis,
    key: `${config.redis.prefix}v1:replicas:${keyOfAccount}`,
    replicaId,
    requestsPerSecond: rateLimit.requestsPerSecond,
    windowMs: Math.ceil(1000 + rateLimit.marginMs),
    timeoutMs: config.redis.timeoutMs,
    graceMs: rateLimit.replicaGraceMs,
    initialShare: rateLimit.fallbackRequestsPerSecond,
  });
  // Not on the embedded simulator either: no other replica reads the same upstream.
  const liveRelays = upstream.embeddedSimulator
    ? undefined
    : createLiveRelays({
        connection: redis,
        prefix: config.redis.prefix,
        upstream: upstreamIdentity(upstream.endpoint, upstream.accessKeyId),
        replicaId,
        // Three polls missed and another replica takes the room over.
        leaseMs: 3 * config.live.pollIntervalMs,
        log,
      });
  return {
    liveRelays,
    limiter: createSharedRateLimiter({
      connection: redis,
      // The limit belongs to the Volcengine account, whatever the endpoint: one key per access key.
      key: `${config.redis.prefix}v1:ratelimit:${keyOfAccount}`,
      requestsPerSecond: rateLimit.requestsPerSecond,
      marginMs: rateLimit.marginMs,
      maxWaitMs: rateLimit.maxWaitMs,
      // The whole rate as a bound; the share the beats last published is what it grants.
      fallback: createRateLimiter({
        requestsPerSecond,
        marginMs,
        maxWaitMs,
        currentRate: () => membership.share,
        notBefore: () => membership.localNotBefore,
      }),
      membership,
    }),
    // No shared slots on the embedded simulator. Its random key pair and port make its identity this
    // process's alone: no other process, not even this one restarted, could ever read what it wrote, so
    // storing it would only fill Redis with simulated data for a week. Skipping the store also keeps simulated
    // data out of Redis altogether, whatever a later change does to identities.
    sharedStore: upstream.embeddedSimulator
      ? undefined
      : createSharedSlotStore({
          connection: redis,
          prefix: config.redis.prefix,
          upstream: upstreamIdentity(upstream.endpoint, upstream.accessKeyId),
          ttlSeconds: SHARED_SLOT_TTL_SECONDS,
        }),
    close: async () => {
      await liveRelays?.close();
      await membership.close();
      await redis.close();
    },
  };
}
