/**
 * Two real gateway processes on one real redis-server, in front of one simulator that counts calls: with
 * subscribers of the same room on both, one replica polls (it holds the room's lease) and the other relays the
 * tails it publishes, so both streams carry the same updates for the calls of one poller.
 */
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../src/simulator/simulator.js';
import { type GatewayProcess, startGatewayProcess } from '../../helpers/gateway-process.js';
import { redisAvailable, startTestRedis, type TestRedis } from '../../helpers/redis-server.js';
import { TEST_CREDENTIALS, userIds } from '../../helpers/test-gateway.js';

const LIVE = `subscription ($users: [ID!]!) {
  liveCallQuality(appId: "app-r", roomId: "room-r", userIds: $users, last: 300) {
    initial to users { userId streams { metrics { name series { times } } } }
  }
}`;
const POLL_MS = 500;

interface Update {
  initial: boolean;
  to: string;
}

describe.skipIf(!redisAvailable())('live subscriptions on two replicas sharing Redis', () => {
  let redis: TestRedis;
  let simulator: Simulator;
  let a: GatewayProcess;
  let b: GatewayProcess;
  const clients: Array<{ dispose(): void }> = [];

  beforeAll(async () => {
    redis = await startTestRedis();
    // A point a second, so nearly every poll finds new data.
    simulator = await startSimulator({ credentials: TEST_CREDENTIALS, sampleIntervalMs: 1_000 });
    const env = {
      VOLC_ACCESSKEY: TEST_CREDENTIALS.accessKeyId,
      VOLC_SECRETKEY: TEST_CREDENTIALS.secretAccessKey,
      VOLC_ENDPOINT: simulator.url,
      REDIS_URL: redis.url,
      REDIS_TIMEOUT_MS: '2000',
      LIVE_POLL_INTERVAL_MS: String(POLL_MS),
      // Every poll asks the upstream: the count is then the pollers', not the tail cache's.
      CACHE_TAIL_TTL_MS: '0',
    };
    [a, b] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    for (const client of clients) client.dispose();
    await Promise.all([a?.stop(), b?.stop()]);
    await simulator?.close();
    await redis?.stop();
  });

  /** Every event of a subscription to `gateway`, as it arrives. */
  function watch(gateway: GatewayProcess, users: string[]): Update[] {
    const client = createClient({ url: gateway.url, retryAttempts: 0 });
    clients.push(client);
    const events: Update[] = [];
    void (async () => {
      for await (const result of client.iterate({ query: LIVE, variables: { users } })) {
        events.push((result.data as { liveCallQuality: Update }).liveCallQuality);
      }
    })();
    return events;
  }

  async function until(condition: () => boolean, what: string) {
    const deadline = Date.now() + 30_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('polls the room on one replica; the other streams the same updates', { timeout: 60_000 }, async () => {
    const users = userIds(20);
    const viaA = watch(a, users);
    const viaB = watch(b, users);
    await until(() => viaA.length > 0 && viaB.length > 0, 'both first windows');
    expect([viaA[0]?.initial, viaB[0]?.initial]).toEqual([true, true]);
    simulator.resetCalls();
    const startedMs = Date.now();
    const [seenA, seenB] = [viaA.length, viaB.length];
    await until(() => viaA.length >= seenA + 4 && viaB.length >= seenB + 4, 'four updates on each replica');
    const elapsedMs = Date.now() - startedMs;
    const calls = simulator.calls.length;

    // The same tails, read once: updates of one instant on both replicas over the stretch both were watching.
    const updatesA = viaA.slice(1).map((event) => event.to);
    const updatesB = viaB.slice(1).map((event) => event.to);
    // ISO instants of one format sort as text.
    const from = [updatesA[0] ?? '', updatesB[0] ?? ''].sort()[1] as string;
    const to = [updatesA.at(-1) ?? '', updatesB.at(-1) ?? ''].sort()[0] as string;
    const common = (list: string[]) => list.filter((at) => at >= from && at <= to);
    expect(common(updatesB).length).toBeGreaterThanOrEqual(2);
    expect(common(updatesB)).toEqual(common(updatesA));
    // One poller's calls, one 20-user call a poll: two pollers would make twice as many.
    expect(calls).toBeLessThanOrEqual(Math.ceil(elapsedMs / POLL_MS) + 2);
    expect(simulator.calls.every((call) => call.userIds.length === 20)).toBe(true);
  });
});
