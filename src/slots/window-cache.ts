/**
 * The process-wide cache of call-detail slots, bounded in bytes. Immutable slots are kept without expiry until
 * evicted; slots that may still change (the moving tail) only for a short TTL, long enough for concurrent and
 * polling clients to share one upstream call. Errors are never cached: only fetched data reaches `set`. The
 * immutable slots are also indexed by user and direction (settled-slot-index.ts), for the cache-hit path.
 */
import { LRUCache } from 'lru-cache';
import type { StreamDirection } from '../model/call-detail.js';
import { createSettledSlotIndex, INDEXED_ENTRY_BYTES } from './settled-slot-index.js';
import { type SlotEntry, slotEntryBytes } from './slot-entry.js';
import { stringBytes } from './string-bytes.js';

export interface SlotKey {
  readonly appId: string;
  readonly roomId: string;
  readonly userId: string;
  readonly direction: StreamDirection;
  readonly slotStartMs: number;
  readonly slotMs: number;
}

/** What every slot key starts with: the entry format's version (see slotCacheKey). */
export const SLOT_KEY_VERSION = 'cd2:';

/**
 * Versioned and complete: app, room, user, direction, slot start AND slot size, so no two tenants, users or
 * slot layouts can ever share an entry. Bump the version when the entry format changes: the shared store writes
 * with NX, so a value of an older format under the same key would never be replaced before it expires. cd2:
 * compact series (format 2 of redis/slot-codec.ts).
 */
export function slotCacheKey(key: SlotKey): string {
  return slotCacheKeyAfter(
    slotKeyPrefix(key.appId, key.roomId, key.userId, key.direction),
    key.slotStartMs,
    key.slotMs,
  );
}

/**
 * What every key of one (app, room, user, direction) starts with: made once for all the slots of a range (a
 * poll of 20 users' last hour looks up ~520 slots), each key then only appends its numbers.
 */
export function slotKeyPrefix(
  appId: string,
  roomId: string,
  userId: string,
  direction: StreamDirection,
): string {
  return `${SLOT_KEY_VERSION}${JSON.stringify([appId, roomId, userId, direction]).slice(0, -1)},`;
}

/** The key of a slot after its prefix: the same text as slotCacheKey's (a finite number prints as in JSON). */
export function slotCacheKeyAfter(prefix: string, slotStartMs: number, slotMs: number): string {
  return `${prefix}${slotStartMs},${slotMs}]`;
}

/** The parts of a key made by slotCacheKeyAfter; undefined for any other key. */
function parseSlotKey(key: string): { prefix: string; slotStartMs: number; slotMs: number } | undefined {
  const last = key.lastIndexOf(',');
  const before = key.lastIndexOf(',', last - 1);
  if (before < 0 || !key.startsWith(SLOT_KEY_VERSION)) return undefined;
  const prefix = key.slice(0, before + 1);
  const slotStartMs = Number(key.slice(before + 1, last));
  const slotMs = Number(key.slice(last + 1, -1));
  const aligned = slotMs > 0 && Number.isSafeInteger(slotStartMs / slotMs);
  return aligned && slotCacheKeyAfter(prefix, slotStartMs, slotMs) === key
    ? { prefix, slotStartMs, slotMs }
    : undefined;
}

/**
 * What lru-cache keeps per entry besides the key's characters: its Map entry and the slots of its seven
 * per-entry arrays (key, value, next, prev, size, TTL, start), at their average spare capacity, plus the key's
 * cons-string header (the `cd2:` prefix joined to the JSON). Measured by bench/cache-memory.ts.
 */
const CACHE_ENTRY_BYTES = 88;

/**
 * What the cache's byte bound counts for `entry` under `key`: the entry, its key and lru-cache's bookkeeping (an
 * immutable slot's place in the index adds INDEXED_ENTRY_BYTES).
 */
export function windowCacheEntryBytes(entry: SlotEntry, key: string): number {
  return CACHE_ENTRY_BYTES + stringBytes(key) + slotEntryBytes(entry);
}

export interface WindowCacheOptions {
  readonly maxBytes: number;
  readonly tailTtlMs: number;
  /** Clock for TTLs; injectable so tests can move time. */
  readonly now?: () => number;
}

export interface WindowCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
  readonly bytes: number;
  readonly entries: number;
}

export interface WindowCache {
  /**
   * The entry under `key`. With `immutableOnly`, an entry stored as the moving tail is a miss (and dropped):
   * the caller's slot has settled since, and only a fetch made after that is final.
   */
  get(key: string, immutableOnly?: boolean): SlotEntry | undefined;
  /**
   * The immutable entry under `key`, without counting a hit or a miss or refreshing its recency: what a fetch of
   * another part of the slot is joined with before it is stored.
   */
  peekImmutable(key: string): SlotEntry | undefined;
  set(key: string, entry: SlotEntry, immutable: boolean): void;
  /**
   * The immutable entries of up to `count` consecutive slots from the slot at `firstSlotStartMs`, for each of
   * `prefixes` (slotKeyPrefix: one app, room and user, a direction each), as far as every one is held and holds
   * the slot's part of `[fromMs, toMs)`: what a lookup of each key would have served whole. A slot's entries
   * come side by side, in the order of `prefixes`, the slots in time order; empty when the first slot is not
   * held so. Each entry counts as a hit, and is made recent in the LRU as a get makes it.
   */
  settledRun(
    prefixes: readonly string[],
    slotMs: number,
    firstSlotStartMs: number,
    count: number,
    fromMs: number,
    toMs: number,
  ): readonly SlotEntry[];
  stats(): WindowCacheStats;
}

const NO_ENTRIES: readonly SlotEntry[] = Object.freeze([]);

export function createWindowCache(options: WindowCacheOptions): WindowCache {
  let hits = 0;
  let misses = 0;
  let evictions = 0;
  const now = options.now ?? (() => performance.now());
  const index = createSettledSlotIndex((key) => lru.get(key));
  const unindex = (key: string) => {
    const slot = parseSlotKey(key);
    if (slot !== undefined) index.remove(slot.prefix, slot.slotStartMs, slot.slotMs);
  };
  const lru: LRUCache<string, SlotEntry> = new LRUCache<string, SlotEntry>({
    maxSize: options.maxBytes,
    // lru-cache reads the clock through `perf`; ttlResolution 0 so an injected clock is read on every check.
    perf: { now },
    ttlResolution: 0,
    // Every way an entry leaves (replaced, evicted, deleted, expired) ends its key's place in the index; a
    // replacing immutable entry puts it back (set).
    dispose: (_entry, key, reason) => {
      if (reason === 'evict') evictions += 1;
      unindex(key);
    },
  });
  return {
    get(key, immutableOnly = false) {
      // Immutable entries are the ones stored without a TTL.
      if (immutableOnly && lru.getRemainingTTL(key) !== Number.POSITIVE_INFINITY) lru.delete(key);
      const entry = lru.get(key);
      if (entry === undefined) misses += 1;
      else hits += 1;
      return entry;
    },
    peekImmutable(key) {
      return lru.getRemainingTTL(key) === Number.POSITIVE_INFINITY ? lru.peek(key) : undefined;
    },
    set(key, entry, immutable) {
      // To lru-cache a TTL of 0 means "never expires": with no tail TTL configured the tail is not cached at all.
      if (!immutable && options.tailTtlMs <= 0) return;
      const slot = immutable ? parseSlotKey(key) : undefined;
      const size = windowCacheEntryBytes(entry, key) + (slot === undefined ? 0 : INDEXED_ENTRY_BYTES);
      // lru-cache disposes of nothing when the entry it holds is set again, now as the tail: unindex it here.
      if (!immutable) unindex(key);
      lru.set(key, entry, { ttl: immutable ? 0 : options.tailTtlMs, size });
      // An entry larger than the whole cache is not stored (lru-cache's maxEntrySize is its maxSize).
      if (slot !== undefined && size <= options.maxBytes) {
        index.add(slot.prefix, slot.slotStartMs, slot.slotMs, key);
      }
    },
    settledRun(prefixes, slotMs, firstSlotStartMs, count, fromMs, toMs) {
      // Each prefix is looked up only as far as those before it reached (what an earlier one held past that is
      // made recent all the same, and looked up again by the caller).
      let slots = count;
      const runs: Array<readonly SlotEntry[]> = [];
      for (const prefix of prefixes) {
        const run = index.find(prefix, slotMs, firstSlotStartMs, slots, fromMs, toMs);
        slots = run.length;
        if (slots === 0) return NO_ENTRIES;
        runs.push(run);
      }
      const entries: SlotEntry[] = [];
      for (let slot = 0; slot < slots; slot += 1) {
        for (const run of runs) entries.push(run[slot] as SlotEntry);
      }
      hits += entries.length;
      return entries;
    },
    stats: () => ({ hits, misses, evictions, bytes: lru.calculatedSize, entries: lru.size }),
  };
}
