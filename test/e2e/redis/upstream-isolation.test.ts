/**
 * Deployments of different upstream identities on one Redis, with the default prefix: they share the server,
 * never each other's data. Real gateways over loopback, each in front of its own simulator (one per key pair),
 * counting the calls every simulator served.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { type RunningGateway, startGateway } from '../../../src/gateway.js';
import { redisAvailable, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import {
  pastRange,
  startTestGateway,
  TEST_CREDENTIALS,
  type TestGateway,
} from '../../helpers/test-gateway.js';

const QUERY = `query ($app: ID!, $room: ID!, $users: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: $app, roomId: $room, userIds: $users, from: $from, to: $to) {
    userId streams { direction peerId metrics { name series { times values } } }
  }
}`;

interface Entries {
  callQuality: Array<{ userId: string; streams: unknown[] | null }>;
}

const OTHER_ACCOUNT = { accessKeyId: 'AKOTHERACCOUNT', secretAccessKey: 'SKOTHERACCOUNT' } as const;
/** The AppId the other account's upstream refuses (it belongs to the first account only). */
const FOREIGN_APP = 'app-of-account-a';

describe.skipIf(!redisAvailable())('upstream identities sharing one Redis', () => {
  let redis: TestRedis;
  let raw: Redis;
  let a: TestGateway;
  let b: TestGateway;
  let aReplica: TestGateway;
  let rooms = 0;
  const nextRoom = () => {
    rooms += 1;
    return `room${rooms}`;
  };

  beforeAll(async () => {
    redis = await startTestRedis();
    raw = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await raw.connect();
    const env = {
      REDIS_URL: redis.url,
      // A loaded machine must not turn a slow Redis command into a miss: sharing is what is tested here.
      REDIS_TIMEOUT_MS: '2000',
      // One call per query, refusals included: the counted calls are the test's subject.
      UPSTREAM_RETRY_MAX_ATTEMPTS: '1',
    };
    const simulator = { sampleIntervalMs: 60_000 };
    a = await startTestGateway({ env, simulator });
    b = await startTestGateway({ env, simulator, credentials: OTHER_ACCOUNT });
    // Same account, same endpoint: a replica of A.
    aReplica = await startTestGateway({ env, upstream: a.simulator });
    b.simulator.injectFault({ kind: 'http500', match: (call) => call.appId === FOREIGN_APP });
  }, 60_000);
  afterAll(async () => {
    await aReplica?.close();
    await b?.close();
    await a?.close();
    raw?.disconnect(false);
    await redis?.stop();
  });
  beforeEach(() => {
    a.simulator.resetCalls();
    b.simulator.resetCalls();
  });

  it('makes a gateway of another account call its own upstream for a settled hour another account fetched', async () => {
    const variables = { app: 'shared-app', room: nextRoom(), users: ['alice', 'bob'], ...pastRange(1) };
    const viaA = await a.query<Entries>(QUERY, variables);
    expect(viaA.errors).toBeUndefined();
    expect(a.simulator.calls).toHaveLength(1);

    const viaB = await b.query<Entries>(QUERY, variables);
    expect(viaB.errors).toBeUndefined();
    expect(b.simulator.calls.map((call) => [call.appId, call.roomId, call.httpStatus])).toEqual([
      ['shared-app', variables.room, 200],
    ]);
    expect(a.simulator.calls).toHaveLength(1);
  });

  it("answers with its own upstream's refusal, never another account's data", async () => {
    const variables = { app: FOREIGN_APP, room: nextRoom(), users: ['alice'], ...pastRange(1) };
    const viaA = await a.query<Entries>(QUERY, variables);
    expect(viaA.errors).toBeUndefined();
    expect(viaA.data?.callQuality[0]?.streams?.length).toBeGreaterThan(0);

    const viaB = await b.query<Entries>(QUERY, variables);
    expect(viaB.data?.callQuality).toEqual([{ userId: 'alice', streams: null }]);
    expect(viaB.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['callQuality', 0, 'streams'], 'UPSTREAM_ERROR'],
    ]);
    expect(b.simulator.calls.map((call) => [call.appId, call.errorCode])).toEqual([
      [FOREIGN_APP, 'InternalError'],
    ]);
  });

  it('still shares between replicas of one account on one endpoint', async () => {
    const variables = { app: 'shared-app', room: nextRoom(), users: ['carol'], ...pastRange(1) };
    const viaA = await a.query<Entries>(QUERY, variables);
    expect(a.simulator.calls).toHaveLength(1);

    const viaReplica = await aReplica.query<Entries>(QUERY, variables);
    expect(a.simulator.calls).toHaveLength(1);
    expect(viaReplica).toEqual(viaA);
  });

  it('keeps access key ids out of every Redis key', async () => {
    await a.query(QUERY, { app: 'shared-app', room: nextRoom(), users: ['dave'], ...pastRange(1) });
    const keys = await raw.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    for (const id of [TEST_CREDENTIALS.accessKeyId, OTHER_ACCOUNT.accessKeyId]) {
      expect(keys.filter((key) => key.includes(id))).toEqual([]);
    }
  });

  describe('a gateway on the embedded simulator', () => {
    let embedded: RunningGateway;
    const prefix = 'callq-embedded:';
    beforeAll(async () => {
      embedded = await startGateway(
        loadConfig({ PORT: '0', LOG_LEVEL: 'silent', REDIS_URL: redis.url, REDIS_PREFIX: prefix }),
      );
    }, 30_000);
    afterAll(() => embedded?.close());

    it('stores no simulated slot in Redis', async () => {
      const response = await fetch(embedded.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: QUERY,
          variables: { app: 'shared-app', room: nextRoom(), users: ['erin'], ...pastRange(1) },
        }),
      });
      const body = (await response.json()) as { errors?: unknown };
      expect(body.errors).toBeUndefined();
      expect(embedded.simulator?.calls).toHaveLength(1);
      // The gateway sends its (unawaited) slot writes before it answers, so any would be in Redis by now.
      const keys = await raw.keys(`${prefix}*`);
      // The rate limit's log and its replicas' heartbeats are the only keys: no slot.
      expect(keys.filter((key) => !/:(ratelimit|replicas):/.test(key))).toEqual([]);
    });
  });
});
