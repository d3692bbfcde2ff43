/**
 * The second-level cache of IMMUTABLE slots that replicas share through Redis, behind each replica's own
 * window cache: a slot one replica fetched from the upstream is served to the others without another call.
 *
 * Redis is an optimisation here, never a dependency: every failure (unhealthy connection, command error,
 * command timeout, a value this build cannot decode) is a miss on read and a skipped write on put, so a
 * replica without Redis behaves exactly like a replica alone, at the cost of upstream calls only. Failures
 * are not logged per call: the connection reports its health transitions once each, and a per-call log line
 * would flood the log with one cause while Redis is away.
 */
import type { SecondLevelSlotStore } from '../slots/call-detail-source.js';
import type { SlotEntry } from '../slots/slot-entry.js';
import type { RedisConnection } from './redis-connection.js';
import { decodeSlotEntryBinary, encodeSlotEntryBinary } from './slot-codec.js';

export interface SharedSlotStoreOptions {
  /** The process's connection; its command timeout bounds every wait here. */
  readonly connection: RedisConnection;
  /** Namespace of the gateway's keys in a Redis it may share with others, e.g. `callq:`. */
  readonly prefix: string;
  /**
   * Whose slots these are: `upstreamIdentity(endpoint, accessKeyId)`. Deployments of different accounts (or
   * endpoints) on one Redis and prefix then never read each other's slots: the same AppId may be another
   * account's, or refused by this one's upstream, and must cost this deployment its own upstream call.
   */
  readonly upstream: string;
  /**
   * Expiry of every stored slot: the upstream's retention (6 days) plus a margin. A slot can be asked for only
   * while it is inside the retention (older ranges are refused before any lookup), so keeping it longer only
   * wastes Redis memory; the margin covers clock skew between replicas and requests at the retention edge.
   * Without an expiry, keys of slots nobody can ask for again would pile up forever.
   */
  readonly ttlSeconds: number;
}

export type SharedSlotStore = SecondLevelSlotStore;

/**
 * Version of the Redis key layout below; bump it when the layout changes. v1 keys (`${prefix}cd1:[...]`, no
 * upstream identity) are never read again and expire with their TTL.
 */
const KEY_LAYOUT = 'v2';

/**
 * A store of slot entries under `${prefix}v2:slot:${upstream}:${key}`, where `key` is the window cache's
 * versioned, complete key (app, room, user, direction, slot; a new entry format gets new keys), e.g.
 * `callq:v2:slot:["https://rtc.volcengineapi.com","1b4f0e9851971998"]:cd2:["app1","room1","u1","up",...]`.
 */
export function createSharedSlotStore(options: SharedSlotStoreOptions): SharedSlotStore {
  const { connection, ttlSeconds } = options;
  const prefix = `${options.prefix}${KEY_LAYOUT}:slot:${options.upstream}:`;
  // Redis refuses a fractional or non-positive EX, which would make every write fail silently: say so at start.
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive whole number of seconds, got ${ttlSeconds}`);
  }

  return {
    /**
     * The entries found, in ONE round trip (MGET) whatever the number of keys. Never rejects: on any failure it
     * resolves an empty map, at once while the connection is known to be down (no offline queue: a command
     * then fails immediately), otherwise within the connection's command timeout.
     */
    async getMany(keys) {
      const found = new Map<string, SlotEntry>();
      if (keys.length === 0 || !connection.healthy) return found;
      let values: Array<Buffer | null>;
      try {
        values = await connection.client.mgetBuffer(keys.map((key) => prefix + key));
      } catch {
        return found;
      }
      values.forEach((value, index) => {
        const key = keys[index];
        if (value === null || key === undefined) return;
        try {
          found.set(key, decodeSlotEntryBinary(value));
        } catch {
          // A value of another format version or a corrupt one: a miss, fetched from the upstream again.
        }
      });
      return found;
    },

    /**
     * Stores immutable entries in one pipeline without waiting for it: the caller already has the data, and a
     * write that fails only means another replica fetches the slot itself.
     *
     * `SET ... NX`: an immutable slot never changes, so the first value written is as good as any later one;
     * NX turns the concurrent writes of replicas that fetched the same slot into no-ops instead of rewrites
     * (and keeps the first write's expiry rather than extending it).
     */
    putMany(entries) {
      if (entries.length === 0 || !connection.healthy) return;
      const pipeline = connection.client.pipeline();
      for (const [key, entry] of entries) {
        pipeline.set(prefix + key, encodeSlotEntryBinary(entry), 'EX', ttlSeconds, 'NX');
      }
      // exec reports per-command failures in its result and rejects only when the pipeline as a whole fails;
      // both are skipped writes, and the catch keeps a rejection from ever going unhandled.
      pipeline.exec().catch(() => {});
    },
  };
}
