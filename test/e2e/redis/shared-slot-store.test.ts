/**
 * The shared slot store against a real redis-server: two connections stand for two replicas.
 */
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RedisConnection } from '../../../src/redis/redis-connection.js';
import { createSharedSlotStore, type SharedSlotStore } from '../../../src/redis/shared-slot-store.js';
import { decodeSlotEntry, encodeSlotEntry, type SlotEntry } from '../../../src/slots/slot-entry.js';
import { slotCacheKey } from '../../../src/slots/window-cache.js';
import { upstreamIdentity } from '../../../src/upstream/upstream-identity.js';
import { redisAvailable } from '../../helpers/redis-server.js';
import { until, useTwoRedisReplicas } from '../../helpers/two-redis-replicas.js';

const PREFIX = 'callq-test:';
const UPSTREAM = upstreamIdentity('https://rtc.volcengineapi.com', 'AKTESTSTORE');
/** Where the store keeps `key`: the layout version and the upstream identity come between prefix and key. */
const stored = (key: string) => `${PREFIX}v2:slot:${UPSTREAM}:${key}`;
const TTL_SECONDS = 7 * 86_400;
const SLOT_MS = 300_000;
const SLOT_START = 1_767_225_600_000;
// Generous against a noisy machine, yet far below what a blocked query would notice.
const COMMAND_TIMEOUT_MS = 250;

function keyOf(userId: string, slotIndex = 0): string {
  return slotCacheKey({
    appId: 'app1',
    roomId: 'room1',
    userId,
    direction: 'down',
    slotStartMs: SLOT_START + slotIndex * SLOT_MS,
    slotMs: SLOT_MS,
  });
}

function entryOf(seed: number): SlotEntry {
  const times = [SLOT_START, SLOT_START + 1000, SLOT_START + 2000].map((t) => t + seed);
  const series = (name: string, values: number[]) => ({
    name,
    description: `${name} of ${seed}`,
    unit: 'ms',
    times: Float64Array.from(times),
    values: Float64Array.from(values),
  });
  return encodeSlotEntry(
    [
      {
        userId: 'u',
        direction: 'down',
        peerId: 'host',
        metrics: [series('Rtt', [seed, -seed, 1e-300]), series('Loss', [0, 0.5, seed / 7])],
      },
      { userId: 'u', direction: 'down', peerId: 'guest', metrics: [series('Rtt', [1, 2, 3])] },
    ],
    SLOT_START,
    SLOT_START + SLOT_MS,
  );
}

/** Plain objects, so that toEqual compares the decoded numbers one by one. */
function plain(entry: SlotEntry | undefined) {
  return (
    entry &&
    decodeSlotEntry(entry, 'u', 'down').map((stream) => ({
      ...stream,
      metrics: stream.metrics.map((m) => ({ ...m, times: [...m.times], values: [...m.values] })),
    }))
  );
}

/** Calls per command since the server started, from INFO commandstats. */
async function commandCalls(raw: Redis): Promise<Map<string, number>> {
  const info = await raw.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) {
    calls.set(match[1] as string, Number(match[2]));
  }
  return calls;
}

describe.skipIf(!redisAvailable())('shared slot store', () => {
  const fixture = useTwoRedisReplicas(COMMAND_TIMEOUT_MS);
  let replicaA: SharedSlotStore;
  let replicaB: SharedSlotStore;
  let users = 0;
  const nextUser = () => {
    users += 1;
    return `user${users}`;
  };
  const storeOn = (connection: RedisConnection, upstream = UPSTREAM) =>
    createSharedSlotStore({ connection, prefix: PREFIX, upstream, ttlSeconds: TTL_SECONDS });
  // Fire-and-forget writes land before a later command on the same connection is answered.
  const flushed = (connection: RedisConnection) => connection.client.ping();

  beforeAll(async () => {
    replicaA = storeOn(fixture.a);
    replicaB = storeOn(fixture.b);
  }, 30_000);

  it('serves to one replica, equal to the number, what another replica put', async () => {
    const user = nextUser();
    const entries: Array<[string, SlotEntry]> = [
      [keyOf(user, 0), entryOf(1)],
      [keyOf(user, 1), entryOf(2)],
      [keyOf(user, 2), encodeSlotEntry([], SLOT_START, SLOT_START + SLOT_MS)],
    ];
    replicaA.putMany(entries);
    await flushed(fixture.a);

    const found = await replicaB.getMany([...entries.map(([key]) => key), keyOf(user, 3)]);
    expect([...found.keys()]).toEqual(entries.map(([key]) => key));
    for (const [key, entry] of entries) expect(plain(found.get(key))).toEqual(plain(entry));
  });

  it('stores under the prefix, with the retention TTL', async () => {
    const key = keyOf(nextUser());
    replicaA.putMany([[key, entryOf(3)]]);
    await flushed(fixture.a);

    // KEYS '*' rather than the key itself: the key's brackets are glob syntax to KEYS.
    const names = await fixture.raw.keys('*');
    expect(names).toContain(stored(key));
    expect(names.filter((name) => !name.startsWith(PREFIX))).toEqual([]);
    const ttl = await fixture.raw.ttl(stored(key));
    expect(ttl).toBeGreaterThan(TTL_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(TTL_SECONDS);
  });

  it('never serves a slot to another access key or another endpoint, and serves it to the same identity', async () => {
    const key = keyOf(nextUser());
    replicaA.putMany([[key, entryOf(12)]]);
    await flushed(fixture.a);

    for (const upstream of [
      upstreamIdentity('https://rtc.volcengineapi.com', 'AKOTHERACCOUNT'),
      upstreamIdentity('http://127.0.0.1:4100', 'AKTESTSTORE'),
    ]) {
      expect(await storeOn(fixture.b, upstream).getMany([key])).toEqual(new Map());
    }
    const sameIdentity = storeOn(
      fixture.b,
      upstreamIdentity('https://RTC.volcengineapi.com:443/', 'AKTESTSTORE'),
    );
    expect(plain((await sameIdentity.getMany([key])).get(key))).toEqual(plain(entryOf(12)));
  });

  it('keeps the first value written (NX): a later put of the same slot changes nothing', async () => {
    const key = keyOf(nextUser());
    replicaA.putMany([[key, entryOf(4)]]);
    await flushed(fixture.a);
    const ttlBefore = await fixture.raw.pttl(stored(key));
    replicaB.putMany([[key, entryOf(5)]]);
    await flushed(fixture.b);

    const found = await replicaA.getMany([key]);
    expect(plain(found.get(key))).toEqual(plain(entryOf(4)));
    expect(await fixture.raw.pttl(stored(key))).toBeLessThanOrEqual(ttlBefore);
  });

  it('shares a slot that a build of the raw format 1 already stored: new entry format, new keys', async () => {
    const key = keyOf(nextUser());
    // What a format-1 build wrote for this slot: its key had the entry version cd1, its value version byte 1.
    const formatOne = Buffer.concat([Buffer.from([1]), Buffer.alloc(8)]);
    await fixture.raw.set(stored(key).replace(':cd2:', ':cd1:'), formatOne, 'EX', TTL_SECONDS);
    replicaA.putMany([[key, entryOf(6)]]);
    await flushed(fixture.a);

    expect(plain((await replicaB.getMany([key])).get(key))).toEqual(plain(entryOf(6)));
  });

  it('reads 100 keys in one round trip: a single MGET', async () => {
    const user = nextUser();
    const keys = Array.from({ length: 100 }, (_, index) => keyOf(user, index));
    replicaA.putMany(keys.filter((_, index) => index % 2 === 0).map((key, index) => [key, entryOf(index)]));
    await flushed(fixture.a);

    const before = await commandCalls(fixture.raw);
    const found = await replicaB.getMany(keys);
    const after = await commandCalls(fixture.raw);

    expect(found.size).toBe(50);
    expect(plain(found.get(keys[98] as string))).toEqual(plain(entryOf(49)));
    const sent = [...after].flatMap(([command, calls]) => {
      // The first INFO itself is counted by the second one.
      const delta = calls - (before.get(command) ?? 0) - (command === 'info' ? 1 : 0);
      return delta > 0 ? [[command, delta]] : [];
    });
    expect(sent).toEqual([['mget', 1]]);
  });

  it('treats a value it cannot decode as a miss, and still serves the other keys', async () => {
    const user = nextUser();
    const good = keyOf(user, 0);
    const corrupt = keyOf(user, 1);
    replicaA.putMany([[good, entryOf(6)]]);
    await flushed(fixture.a);
    await fixture.raw.set(stored(corrupt), Buffer.from([9, 0, 0, 0, 0, 0, 0, 0, 0]));

    const found = await replicaB.getMany([good, corrupt]);
    expect([...found.keys()]).toEqual([good]);
  });

  it('skips Redis entirely while the connection reports itself unhealthy', async () => {
    const key = keyOf(nextUser());
    replicaA.putMany([[key, entryOf(10)]]);
    await flushed(fixture.a);
    const down: RedisConnection = { client: fixture.b.client, healthy: false, close: async () => {} };
    const skipping = storeOn(down);

    const before = await commandCalls(fixture.raw);
    expect(await skipping.getMany([key])).toEqual(new Map());
    skipping.putMany([[keyOf(nextUser()), entryOf(11)]]);
    await flushed(fixture.b);
    const after = await commandCalls(fixture.raw);
    expect(after.get('mget')).toBe(before.get('mget'));
    expect(after.get('set')).toBe(before.get('set'));
  });

  it('answers an empty map within the command timeout while Redis does not answer', async () => {
    const key = keyOf(nextUser());
    replicaA.putMany([[key, entryOf(7)]]);
    await flushed(fixture.a);
    // Redis holds every client's commands (the connection stays up and healthy) for longer than the timeout.
    await fixture.raw.call('CLIENT', 'PAUSE', '1500', 'ALL');

    const started = performance.now();
    const found = await replicaB.getMany([key]);
    expect(found.size).toBe(0);
    expect(performance.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS + 750);
    await until(async () => (await replicaB.getMany([key])).size === 1, 'the pause to end');
  });

  it('without Redis: empty maps at once and silent puts; after a restart, sharing works again', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const key = keyOf(nextUser());
      await fixture.redis.stop();

      const started = performance.now();
      const found = await replicaB.getMany([key]);
      expect(performance.now() - started).toBeLessThan(500);
      expect(found.size).toBe(0);
      expect(() => replicaA.putMany([[key, entryOf(8)]])).not.toThrow();
      await until(() => !fixture.a.healthy && !fixture.b.healthy, 'both replicas to notice');
      expect(await replicaB.getMany([key])).toEqual(new Map());
      expect(() => replicaA.putMany([[key, entryOf(8)]])).not.toThrow();

      await fixture.redis.start();
      await fixture.bothHealthy();
      replicaA.putMany([[key, entryOf(9)]]);
      await flushed(fixture.a);
      expect(plain((await replicaB.getMany([key])).get(key))).toEqual(plain(entryOf(9)));
      // Let any stray rejection of the failed writes surface before judging.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  }, 30_000);

  it('refuses a TTL Redis would reject, rather than failing every write silently', () => {
    for (const ttlSeconds of [0, -1, 1.5, Number.NaN]) {
      expect(() =>
        createSharedSlotStore({ connection: fixture.a, prefix: PREFIX, upstream: UPSTREAM, ttlSeconds }),
      ).toThrow(RangeError);
    }
  });
});
