/**
 * The window cache's index of settled slots, through the cache's settledRun: it serves exactly what the LRU
 * holds as immutable, never an entry the LRU let go or holds as the tail, and keeps what it serves recent.
 */
import { describe, expect, it } from 'vitest';
import type { StreamDetail, StreamDirection } from '../../../src/model/call-detail.js';
import { encodeSlotEntry, type SlotEntry } from '../../../src/slots/slot-entry.js';
import {
  createWindowCache,
  slotCacheKeyAfter,
  slotKeyPrefix,
  type WindowCache,
} from '../../../src/slots/window-cache.js';
import { manualClock } from '../../helpers/manual-clock.js';

const SLOT_MS = 300_000;
const SLOT_START = Date.UTC(2024, 0, 1, 10, 0);
const TAIL_TTL_MS = 5_000;
const BIG = 64 * 1024 * 1024;
/** Far from 0: lru-cache reads a start time of 0 as "no TTL". */
const CLOCK_START_MS = 1_000_000;

const prefixOf = (userId = 'alice', direction: StreamDirection = 'up') =>
  slotKeyPrefix('app1', 'room1', userId, direction);
const keyAt = (slot: number, userId = 'alice', direction: StreamDirection = 'up') =>
  slotCacheKeyAfter(prefixOf(userId, direction), SLOT_START + slot * SLOT_MS, SLOT_MS);

/** A distinct entry of the slot `slot`: `points` points of one metric, valued by `seed`. */
function entryAt(slot: number, seed = 0, points = 10, coverFromMs?: number): SlotEntry {
  const slotStartMs = SLOT_START + slot * SLOT_MS;
  const times = Float64Array.from({ length: points }, (_, index) => slotStartMs + index * 10_000);
  const stream: StreamDetail = {
    userId: 'alice',
    direction: 'up',
    peerId: null,
    metrics: [{ name: 'Rtt', description: 'rtt', unit: 'ms', times, values: times.map((t) => seed + t) }],
  };
  return encodeSlotEntry([stream], slotStartMs, slotStartMs + SLOT_MS, coverFromMs);
}

/** The run of `count` slots from slot 0 of one user's `up` direction, asking for the whole slots. */
function runOf(cache: WindowCache, count: number, userId = 'alice', firstSlot = 0): readonly SlotEntry[] {
  const fromMs = SLOT_START + firstSlot * SLOT_MS;
  return cache.settledRun([prefixOf(userId)], SLOT_MS, fromMs, count, fromMs, fromMs + count * SLOT_MS);
}

describe('the settled slot index', () => {
  it('serves consecutive immutable entries in slot order, up to the first slot not held, as hits', () => {
    const cache = createWindowCache({ maxBytes: BIG, tailTtlMs: TAIL_TTL_MS });
    const entries = [0, 1, 2, 4].map((slot) => entryAt(slot, slot));
    for (const [index, slot] of [0, 1, 2, 4].entries())
      cache.set(keyAt(slot), entries[index] as SlotEntry, true);

    const run = runOf(cache, 5);
    expect(run).toHaveLength(3);
    for (const [index, entry] of run.entries()) expect(entry).toBe(entries[index]);
    expect(runOf(cache, 1, 'alice', 4)[0]).toBe(entries[3]);
    expect(runOf(cache, 2, 'bob')).toEqual([]);
    expect(cache.stats()).toMatchObject({ hits: 4, misses: 0 });
  });

  it("interleaves several directions' runs slot by slot, as far as the shortest reaches", () => {
    const cache = createWindowCache({ maxBytes: BIG, tailTtlMs: TAIL_TTL_MS });
    const up = [entryAt(0, 1), entryAt(1, 2), entryAt(2, 3)];
    const down = [entryAt(0, 4), entryAt(1, 5)];
    for (const [slot, entry] of up.entries()) cache.set(keyAt(slot, 'alice', 'up'), entry, true);
    for (const [slot, entry] of down.entries()) cache.set(keyAt(slot, 'alice', 'down'), entry, true);
    const run = cache.settledRun(
      [prefixOf('alice', 'up'), prefixOf('alice', 'down')],
      SLOT_MS,
      SLOT_START,
      3,
      SLOT_START,
      SLOT_START + 3 * SLOT_MS,
    );
    expect(run).toEqual([up[0], down[0], up[1], down[1]]);
    expect(cache.stats().hits).toBe(4);
  });

  it('serves an entry that holds part of its slot only for a range inside that part', () => {
    const cache = createWindowCache({ maxBytes: BIG, tailTtlMs: TAIL_TTL_MS });
    const part = entryAt(0, 0, 10, SLOT_START + 60_000);
    cache.set(keyAt(0), part, true);
    const end = SLOT_START + SLOT_MS;
    expect(cache.settledRun([prefixOf()], SLOT_MS, SLOT_START, 1, SLOT_START, end)).toEqual([]);
    expect(cache.settledRun([prefixOf()], SLOT_MS, SLOT_START, 1, SLOT_START + 60_000, end)).toEqual([part]);
  });

  it('serves the entry that replaced another, never the one it replaced', () => {
    const cache = createWindowCache({ maxBytes: BIG, tailTtlMs: TAIL_TTL_MS });
    const older = entryAt(0, 1);
    const newer = entryAt(0, 2);
    cache.set(keyAt(0), older, true);
    expect(runOf(cache, 1)[0]).toBe(older);
    cache.set(keyAt(0), newer, true);
    expect(runOf(cache, 1)[0]).toBe(newer);
  });

  it('never serves the tail: not while fresh, not once expired, not over the entry it replaced', () => {
    const clock = manualClock(CLOCK_START_MS);
    const cache = createWindowCache({ maxBytes: BIG, tailTtlMs: TAIL_TTL_MS, now: clock.now });
    const tail = entryAt(0, 1);
    cache.set(keyAt(0), tail, false);
    expect(runOf(cache, 1)).toEqual([]);
    clock.advance(TAIL_TTL_MS + 1);
    expect(runOf(cache, 1)).toEqual([]);
    expect(cache.get(keyAt(0))).toBeUndefined();

    const settled = entryAt(1, 2);
    cache.set(keyAt(1), settled, true);
    cache.set(keyAt(1), entryAt(1, 3), false);
    expect(runOf(cache, 1, 'alice', 1)).toEqual([]);
    // The same entry stored again as the tail: lru-cache disposes of nothing then.
    cache.set(keyAt(2), settled, true);
    cache.set(keyAt(2), settled, false);
    expect(runOf(cache, 1, 'alice', 2)).toEqual([]);
  });

  it('never serves an entry the LRU evicted', () => {
    const probe = createWindowCache({ maxBytes: BIG, tailTtlMs: TAIL_TTL_MS });
    probe.set(keyAt(0), entryAt(0), true);
    const cache = createWindowCache({ maxBytes: 3 * probe.stats().bytes, tailTtlMs: TAIL_TTL_MS });
    const entries = [0, 1, 2, 3].map((slot) => entryAt(slot, slot));
    for (const [slot, entry] of entries.entries()) cache.set(keyAt(slot), entry, true);
    expect(cache.stats()).toMatchObject({ entries: 3, evictions: 1 });
    expect(runOf(cache, 4)).toEqual([]);
    expect(runOf(cache, 3, 'alice', 1)).toEqual(entries.slice(1));
  });

  it("never serves one cache's entries from another (another upstream account's)", () => {
    const first = createWindowCache({ maxBytes: BIG, tailTtlMs: TAIL_TTL_MS });
    const second = createWindowCache({ maxBytes: BIG, tailTtlMs: TAIL_TTL_MS });
    const mine = entryAt(0, 1);
    first.set(keyAt(0), mine, true);
    expect(runOf(second, 1)).toEqual([]);
    const theirs = entryAt(0, 2);
    second.set(keyAt(0), theirs, true);
    expect(runOf(first, 1)[0]).toBe(mine);
    expect(runOf(second, 1)[0]).toBe(theirs);
  });

  it("keeps what it serves recent: a polled user's slots outlive others under memory pressure", () => {
    const probe = createWindowCache({ maxBytes: BIG, tailTtlMs: TAIL_TTL_MS });
    probe.set(keyAt(0, 'user-00'), entryAt(0), true);
    // Room for 40 entries; 12 slots of the polled user, then 12 of each of 10 other users.
    const cache = createWindowCache({ maxBytes: 40 * probe.stats().bytes, tailTtlMs: TAIL_TTL_MS });
    for (let slot = 0; slot < 12; slot += 1) cache.set(keyAt(slot, 'user-00'), entryAt(slot), true);
    for (let other = 1; other <= 10; other += 1) {
      for (let slot = 0; slot < 12; slot += 1) {
        cache.set(keyAt(slot, `user-${String(other).padStart(2, '0')}`), entryAt(slot), true);
      }
      expect(runOf(cache, 12, 'user-00')).toHaveLength(12);
    }
    expect(cache.stats().evictions).toBeGreaterThan(90);
    expect(runOf(cache, 12, 'user-01')).toEqual([]);
  });
});
