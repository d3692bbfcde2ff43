/**
 * Replicas' heartbeats against a real redis-server: the shares of the rate they publish, and the room the
 * shared budget leaves for a replica that may be limiting on its own. Real time is the subject (beats every
 * 500 ms), so each test waits a few beats.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisConnection, type RedisConnection } from '../../../src/redis/redis-connection.js';
import {
  createReplicaMembership,
  HEARTBEAT_INTERVAL_MS,
  type ReplicaMembership,
} from '../../../src/redis/replica-membership.js';
import { createSharedRateLimiter } from '../../../src/redis/shared-rate-limiter.js';
import { createRateLimiter } from '../../../src/upstream/rate-limiter.js';
import { redisAvailable } from '../../helpers/redis-server.js';
import { until, useTwoRedisReplicas } from '../../helpers/two-redis-replicas.js';

const RATE = 10;
const WINDOW_MS = 1_100;
const COMMAND_TIMEOUT_MS = 250;
const GRACE_MS = 5_000;

describe.skipIf(!redisAvailable())('replica membership', () => {
  const fixture = useTwoRedisReplicas(COMMAND_TIMEOUT_MS);
  const memberships: ReplicaMembership[] = [];
  const connections: RedisConnection[] = [];
  afterEach(async () => {
    await Promise.all(memberships.splice(0).map((membership) => membership.close()));
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
  });
  let keys = 0;
  const nextKey = () => {
    keys += 1;
    return `callq-test:v1:replicas:${keys}`;
  };
  /** A connection of a third replica, which the test may close under it. */
  const ownConnection = () => {
    const connection = createRedisConnection({
      url: fixture.redis.url,
      timeoutMs: COMMAND_TIMEOUT_MS,
      log: () => {},
    });
    connections.push(connection);
    return connection;
  };
  const join = (connection: RedisConnection, key: string) => {
    const membership = createReplicaMembership({
      connection,
      key,
      replicaId: randomUUID(),
      requestsPerSecond: RATE,
      windowMs: WINDOW_MS,
      timeoutMs: COMMAND_TIMEOUT_MS,
      graceMs: GRACE_MS,
      initialShare: 1,
    });
    memberships.push(membership);
    return membership;
  };
  /** Every membership has answered a beat or two since the last one joined: shares have settled. */
  const settled = async () => {
    await until(() => memberships.every((membership) => membership.sharing), 'the beats to answer');
    await sleep(3 * HEARTBEAT_INTERVAL_MS);
  };

  it('gives three replicas a third of the rate each, rounded down, and one alone the whole rate', async () => {
    const key = nextKey();
    const alone = join(fixture.a, key);
    await settled();
    expect(alone.share).toBe(RATE);

    const others = [join(fixture.b, key), join(ownConnection(), key)];
    await settled();
    expect([alone, ...others].map((membership) => membership.share)).toEqual([3, 3, 3]);
  });

  it("leaves a silent replica's share out of the shared budget until its grace has passed", async () => {
    const key = nextKey();
    const sharing = join(fixture.a, key);
    const cutOffConnection = ownConnection();
    const cutOff = join(cutOffConnection, key);
    await settled();
    expect([sharing.share, cutOff.share]).toEqual([5, 5]);
    const limiter = createSharedRateLimiter({
      connection: fixture.a,
      key: `${key}:log`,
      requestsPerSecond: RATE,
      marginMs: WINDOW_MS - 1_000,
      maxWaitMs: 10_000,
      fallback: createRateLimiter({ requestsPerSecond: RATE, marginMs: 100, maxWaitMs: 10_000 }),
      membership: sharing,
    });
    /** How many of `count` turns asked at once are granted within the first window. */
    const grantedInAWindow = async (count: number) => {
      const started = performance.now();
      const grants = await Promise.all(
        Array.from({ length: count }, () => limiter.run(async () => performance.now() - started)),
      );
      return grants.filter((at) => at < WINDOW_MS - 100).length;
    };

    // The cut-off replica's beats stop; once they are late, it is presumed to use its 5 on its own.
    await cutOffConnection.close();
    await sleep(sharing.presentMs + HEARTBEAT_INTERVAL_MS);
    expect(await grantedInAWindow(8)).toBe(5);

    // Past the grace it is presumed gone, and its share is the others' again.
    await sleep(GRACE_MS);
    expect(sharing.share).toBe(RATE);
    expect(await grantedInAWindow(RATE)).toBe(RATE);
  }, 20_000);

  it('writes back the replicas it last saw when Redis has lost them, so their shares stay reserved', async () => {
    const key = nextKey();
    const first = join(fixture.a, key);
    const secondConnection = ownConnection();
    join(secondConnection, key);
    await settled();
    const entries = Object.keys(await fixture.raw.hgetall(key));
    expect(entries).toHaveLength(2);

    // The second goes silent; Redis restarts empty, and only the first beats into it.
    await secondConnection.close();
    await fixture.redis.stop();
    await until(() => !first.sharing, 'the first to notice');
    await fixture.redis.start();
    await until(() => first.sharing, 'the first to beat again');

    expect(Object.keys(await fixture.raw.hgetall(key)).sort()).toEqual(entries.sort());
    expect(first.share).toBe(5);
  }, 20_000);
});
