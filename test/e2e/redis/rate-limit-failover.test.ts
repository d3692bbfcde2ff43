/**
 * The account's rate limit across three real replica processes while Redis fails under them mid-burst: all of
 * them at once (redis-server killed and restarted), or one of them alone (its link cut by a TCP proxy). The
 * simulator counts every call as the upstream would and answers 429 beyond 10 in any second.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../src/simulator/simulator.js';
import { busiestWindow } from '../../helpers/busiest-window.js';
import { type CuttableTcpProxy, startCuttableTcpProxy } from '../../helpers/cuttable-tcp-proxy.js';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.js';
import { redisAvailable, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { pastRange, TEST_CREDENTIALS } from '../../helpers/test-gateway.js';
import { until } from '../../helpers/two-redis-replicas.js';

const QUERY = `query ($room: ID!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "app1", roomId: $room, userIds: ["alice"], from: $from, to: $to) {
    userId streams { direction metrics { name } }
  }
}`;
const BURST = 90;
// A third of the way into the burst (about 3 s at 10/s): every replica is busy with queued calls.
const FAULT_AFTER_CALLS = 30;

const available = (gateway: GatewayProcess) =>
  gateway.output().match(/redis at \S+ is available/g)?.length ?? 0;

describe.skipIf(!redisAvailable())('the rate limit when Redis fails, three replicas', () => {
  let redis: TestRedis;
  let proxy: CuttableTcpProxy;
  let simulator: Simulator;
  let replicas: GatewayProcess[] = [];
  let rooms = 0;

  beforeAll(async () => {
    redis = await startTestRedis();
    proxy = await startCuttableTcpProxy(redis.port);
    // Coarse sampling keeps the simulator's CPU out of the way: the test is about call times, not data.
    simulator = await startSimulator({ credentials: TEST_CREDENTIALS, sampleIntervalMs: 60_000 });
    const env = {
      VOLC_ACCESSKEY: TEST_CREDENTIALS.accessKeyId,
      VOLC_SECRETKEY: TEST_CREDENTIALS.secretAccessKey,
      VOLC_ENDPOINT: simulator.url,
    };
    replicas = await Promise.all([
      startGatewayProcess({ ...env, REDIS_URL: redis.url }),
      startGatewayProcess({ ...env, REDIS_URL: redis.url }),
      // The third reaches Redis through the proxy, whose link the test can cut for it alone.
      startGatewayProcess({ ...env, REDIS_URL: `redis://127.0.0.1:${proxy.port}` }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await simulator?.close();
    await proxy?.close();
    await redis?.stop();
  });
  beforeEach(async () => {
    // Connected, and past any window a previous burst or fault still holds.
    await until(() => replicas.every((replica) => available(replica) >= 1), 'every replica to reach Redis');
    const seen = replicas.map(available);
    await sleep(3_000);
    expect(replicas.map(available)).toEqual(seen);
    simulator.resetCalls();
  }, 20_000);

  /** 90 distinct queries over the three replicas; `fault` runs once the upstream has seen FAULT_AFTER_CALLS. */
  async function burstWith(fault: () => Promise<void>) {
    const range = pastRange(1);
    const answers = Promise.all(
      Array.from({ length: BURST }, (_, index) => {
        rooms += 1;
        return (replicas[index % 3] as GatewayProcess).query<{ callQuality: unknown[] }>(QUERY, {
          room: `room${rooms}`,
          ...range,
        });
      }),
    );
    await until(() => simulator.calls.length >= FAULT_AFTER_CALLS, 'the burst to get going');
    await fault();
    return answers;
  }

  function expectWithinTheRate(answers: Array<{ data?: { callQuality: unknown[] }; errors?: unknown[] }>) {
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.callQuality).toHaveLength(1);
    }
    expect(simulator.calls.filter((call) => call.httpStatus === 429)).toHaveLength(0);
    expect(simulator.calls).toHaveLength(BURST);
    expect(
      busiestWindow(
        simulator.calls.map((call) => call.atMs),
        1000,
      ),
    ).toBeLessThanOrEqual(10);
  }

  it('stays within 10 calls per second, with no 429, when Redis is killed and restarted mid-burst', async () => {
    const answers = await burstWith(async () => {
      await redis.stop();
      await sleep(2_000);
      await redis.start();
    });

    expectWithinTheRate(answers);
    for (const replica of replicas) expect(replica.output()).toMatch(/redis at \S+ is unavailable/);
  }, 40_000);

  it("stays within 10 calls per second, with no 429, when one replica's link to Redis is cut mid-burst", async () => {
    const before = replicas.map(available);
    const answers = await burstWith(async () => {
      proxy.cut();
      await sleep(3_000);
      proxy.restore();
    });

    expectWithinTheRate(answers);
    // Only the third lost Redis, and it came back.
    expect(replicas.map(available)).toEqual([before[0], before[1], (before[2] ?? 0) + 1]);
  }, 40_000);
});
