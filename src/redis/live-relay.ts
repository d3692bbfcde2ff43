/**
 * One upstream poll per room across replicas. Per room (and upstream identity), a lease in Redis names the
 * replica that polls; every replica writes the users its own subscriptions watch into a hash before each poll,
 * the lease holder polls for all of them and publishes the tail it read, and the others apply that tail as if
 * they had read it themselves (each keeps its own marks, so nothing is sent twice). Redis trouble never stops
 * a stream: a replica that cannot reach Redis polls for itself until it can.
 */

import type { Room, RoomRelay, Tail } from '../live/room-poller.js';
import type { MetricSeries, StreamDetail } from '../model/call-detail.js';
import type { RedisConnection } from './redis-connection.js';

export interface LiveRelays {
  /** The relay of one room; `receive` is given the tails another replica publishes. */
  forRoom(room: Room, receive: (tail: Tail) => void): RoomRelay;
  close(): Promise<void>;
}

export interface LiveRelayOptions {
  readonly connection: RedisConnection;
  readonly prefix: string;
  /** The upstream identity (upstream-identity.ts): two accounts never share a room's poll. */
  readonly upstream: string;
  /** This process, unique among replicas. */
  readonly replicaId: string;
  /** How long a lease, and a replica's list of users, outlive the replica's last poll. */
  readonly leaseMs: number;
  readonly log: (message: string) => void;
}

/**
 * Records the caller's users, drops those of replicas that stopped writing, takes or renews the lease, and
 * returns every replica's users (JSON lists) to the holder, or false to the others. Redis's own clock dates
 * the entries, so replicas' clocks need not agree.
 */
const TURN_SCRIPT = `
local now = redis.call('TIME')
local nowMs = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local leaseMs = tonumber(ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], nowMs .. '|' .. ARGV[3])
redis.call('PEXPIRE', KEYS[2], leaseMs)
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', leaseMs)
elseif holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], leaseMs)
else
  return false
end
local lists = {}
local entries = redis.call('HGETALL', KEYS[2])
for i = 1, #entries, 2 do
  local sep = string.find(entries[i + 1], '|', 1, true)
  if tonumber(string.sub(entries[i + 1], 1, sep - 1)) < nowMs - leaseMs then
    redis.call('HDEL', KEYS[2], entries[i])
  else
    table.insert(lists, string.sub(entries[i + 1], sep + 1))
  end
end
return lists
`;

/** Gives up the lease (if held) and the replica's users, so another replica takes over at its next poll. */
const LEAVE_SCRIPT = `
redis.call('HDEL', KEYS[2], ARGV[1])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 1
`;

interface WireMetric {
  readonly n: string;
  readonly d: string;
  readonly u: string;
  readonly t: number[];
  readonly v: number[];
}
interface WireStream {
  readonly d: StreamDetail['direction'];
  readonly p: string | null;
  readonly m: WireMetric[];
}
interface WireTail {
  readonly from: string;
  readonly f: number;
  readonly t: number;
  readonly n: number;
  readonly u: Record<string, WireStream[]>;
}

function encode(replicaId: string, tail: Tail): string {
  const users: Record<string, WireStream[]> = {};
  for (const [userId, streams] of tail.users) {
    users[userId] = streams.map((stream) => ({
      d: stream.direction,
      p: stream.peerId,
      m: stream.metrics.map((metric) => ({
        n: metric.name,
        d: metric.description,
        u: metric.unit,
        t: [...metric.times],
        v: [...metric.values],
      })),
    }));
  }
  const wire: WireTail = { from: replicaId, f: tail.fromMs, t: tail.toMs, n: tail.nextFromMs, u: users };
  return JSON.stringify(wire);
}

function decode(wire: WireTail): Tail {
  const users = new Map<string, StreamDetail[]>();
  for (const [userId, streams] of Object.entries(wire.u)) {
    users.set(
      userId,
      streams.map((stream) => ({
        userId,
        direction: stream.d,
        peerId: stream.p,
        metrics: stream.m.map(
          (metric): MetricSeries => ({
            name: metric.n,
            description: metric.d,
            unit: metric.u,
            times: Float64Array.from(metric.t),
            values: Float64Array.from(metric.v),
          }),
        ),
      })),
    );
  }
  return { fromMs: wire.f, toMs: wire.t, nextFromMs: wire.n, users };
}

export function createLiveRelays(options: LiveRelayOptions): LiveRelays {
  const { client } = options.connection;
  // A connection in subscriber mode can send nothing else: its own, made on the first room.
  let subscriber: ReturnType<typeof client.duplicate> | null = null;
  const receivers = new Map<string, (tail: Tail) => void>();
  const subscriberConnection = () => {
    if (subscriber) return subscriber;
    subscriber = client.duplicate({ enableOfflineQueue: true });
    subscriber.on('error', () => {});
    subscriber.on('message', (channel: string, message: string) => {
      const receive = receivers.get(channel);
      if (!receive) return;
      try {
        const wire = JSON.parse(message) as WireTail;
        if (wire.from !== options.replicaId) receive(decode(wire));
      } catch {
        options.log('a live tail from another replica could not be read; it is skipped');
      }
    });
    return subscriber;
  };

  return {
    forRoom(room, receive) {
      const base = `${options.prefix}v1:live:${JSON.stringify([options.upstream, room.appId, room.roomId, room.directions])}`;
      const [leaseKey, usersKey, channel] = [`${base}:lease`, `${base}:users`, `${base}:tail`];
      receivers.set(channel, receive);
      subscriberConnection()
        .subscribe(channel)
        .catch(() => options.log('could not subscribe to live tails in Redis; polling this room here'));
      let leading = false;
      return {
        async turn(localUserIds) {
          // Alone while Redis is away: a stream that stalls because a coordinator is down would be worse.
          if (!options.connection.healthy) return localUserIds;
          try {
            const lists = (await client.eval(
              TURN_SCRIPT,
              2,
              leaseKey,
              usersKey,
              options.replicaId,
              options.leaseMs,
              JSON.stringify(localUserIds),
            )) as string[] | null;
            leading = lists !== null;
            if (lists === null) return null;
            const all = new Set(localUserIds);
            for (const list of lists) for (const userId of JSON.parse(list) as string[]) all.add(userId);
            return [...all];
          } catch {
            leading = false;
            return localUserIds;
          }
        },
        publish(tail) {
          if (leading) client.publish(channel, encode(options.replicaId, tail)).catch(() => {});
        },
        close() {
          receivers.delete(channel);
          subscriber?.unsubscribe(channel).catch(() => {});
          client.eval(LEAVE_SCRIPT, 2, leaseKey, usersKey, options.replicaId).catch(() => {});
        },
      };
    },
    async close() {
      subscriber?.disconnect(false);
    },
  };
}
