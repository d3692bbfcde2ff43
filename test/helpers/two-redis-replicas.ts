/**
 * A real redis-server and two gateway-style connections to it ("replicas"), plus a raw client for checks, set
 * up and torn down with the enclosing `describe`. Every test starts with both replicas connected.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createRedisConnection, type RedisConnection } from '../../src/redis/redis-connection.js';
import { startTestRedis, type TestRedis } from './redis-server.js';

/** Polls `condition` every 20 ms for up to 10 s. */
export async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface TwoRedisReplicas {
  readonly redis: TestRedis;
  readonly raw: Redis;
  readonly a: RedisConnection;
  readonly b: RedisConnection;
  bothHealthy(): Promise<void>;
}

export function useTwoRedisReplicas(commandTimeoutMs: number): TwoRedisReplicas {
  let redis: TestRedis | undefined;
  let raw: Redis | undefined;
  let a: RedisConnection | undefined;
  let b: RedisConnection | undefined;
  const connect = (url: string) => createRedisConnection({ url, timeoutMs: commandTimeoutMs, log: () => {} });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the Redis fixture is not set up');
    return value;
  };
  const replicas: TwoRedisReplicas = {
    get redis() {
      return ready(redis);
    },
    get raw() {
      return ready(raw);
    },
    get a() {
      return ready(a);
    },
    get b() {
      return ready(b);
    },
    bothHealthy: () => until(() => replicas.a.healthy && replicas.b.healthy, 'both replicas ready'),
  };

  beforeAll(async () => {
    redis = await startTestRedis();
    raw = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    // The raw client sees the deliberate outages too; its reconnection is all that matters here.
    raw.on('error', () => {});
    await raw.connect();
    a = connect(redis.url);
    b = connect(redis.url);
  }, 30_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    raw?.disconnect(false);
    await redis?.stop();
  });
  beforeEach(() => replicas.bothHealthy(), 15_000);
  return replicas;
}
