import { describe, expect, it } from 'vitest';
import type { StreamDetail } from '../../../src/model/call-detail.js';
import { EMPTY_SLOT_ENTRY, encodeSlotEntry, type SlotEntry } from '../../../src/slots/slot-entry.js';
import { stringBytes } from '../../../src/slots/string-bytes.js';
import {
  createWindowCache,
  type SlotKey,
  slotCacheKey,
  windowCacheEntryBytes,
} from '../../../src/slots/window-cache.js';
import { manualClock } from '../../helpers/manual-clock.js';

const SLOT_MS = 300_000;
const SLOT_START = Date.UTC(2024, 0, 1, 10, 0);
const TAIL_TTL_MS = 5_000;
const BIG = 64 * 1024 * 1024;

/** Far from 0: lru-cache reads a start time of 0 as "no TTL". */
const CLOCK_START_MS = 1_000_000;

/** An entry of `points` points of one metric. */
function entryOf(points: number): SlotEntry {
  const times = Float64Array.from({ length: points }, (_, index) => SLOT_START + index * 1000);
  const stream: StreamDetail = {
    userId: 'alice',
    direction: 'up',
    peerId: null,
    metrics: [
      { name: 'Rtt', description: 'round trip', unit: 'ms', times, values: times.map((t) => t % 97) },
    ],
  };
  return encodeSlotEntry([stream], SLOT_START, SLOT_START + SLOT_MS);
}

describe('slotCacheKey', () => {
  const base: SlotKey = {
    appId: 'app1',
    roomId: 'room1',
    userId: 'alice',
    direction: 'up',
    slotStartMs: SLOT_START,
    slotMs: SLOT_MS,
  };

  it('is the same for the same slot and differs in every part of the key', () => {
    expect(slotCacheKey({ ...base })).toBe(slotCacheKey(base));
    const variants: SlotKey[] = [
      base,
      { ...base, appId: 'app2' },
      { ...base, roomId: 'room2' },
      { ...base, userId: 'bob' },
      { ...base, direction: 'down' },
      { ...base, slotStartMs: SLOT_START + SLOT_MS },
      { ...base, slotMs: 60_000 },
    ];
    expect(new Set(variants.map(slotCacheKey)).size).toBe(variants.length);
  });

  it('is the JSON of its parts after the format version, as every replica of this format writes it', () => {
    expect(slotCacheKey({ ...base, userId: 'a"l\\ice ü' })).toBe(
      `cd2:["app1","room1","a\\"l\\\\ice ü","up",${SLOT_START},${SLOT_MS}]`,
    );
    expect(slotCacheKey({ ...base, userId: 'a"l\\ice ü' })).toBe(
      `cd2:${JSON.stringify(['app1', 'room1', 'a"l\\ice ü', 'up', SLOT_START, SLOT_MS])}`,
    );
  });

  it('cannot be forged by moving a separator from one part into another', () => {
    const a = slotCacheKey({ ...base, roomId: 'r', userId: 'x","y' });
    const b = slotCacheKey({ ...base, roomId: 'r","x', userId: 'y' });
    const c = slotCacheKey({ ...base, appId: 'a:b', roomId: 'c' });
    const d = slotCacheKey({ ...base, appId: 'a', roomId: 'b:c' });
    expect(a).not.toBe(b);
    expect(c).not.toBe(d);
  });
});

describe('createWindowCache', () => {
  it('counts hits and misses', () => {
    const cache = createWindowCache({ maxBytes: BIG, tailTtlMs: TAIL_TTL_MS });
    const entry = entryOf(3);
    expect(cache.get('k')).toBeUndefined();
    cache.set('k', entry, true);
    expect(cache.get('k')).toBe(entry);
    expect(cache.get('k')).toBe(entry);
    expect(cache.get('other')).toBeUndefined();
    expect(cache.stats()).toEqual({
      hits: 2,
      misses: 2,
      evictions: 0,
      bytes: windowCacheEntryBytes(entry, 'k'),
      entries: 1,
    });
  });

  it('drops a tail entry once the tail TTL has passed, and keeps an immutable one', () => {
    const clock = manualClock(CLOCK_START_MS);
    const cache = createWindowCache({ maxBytes: BIG, tailTtlMs: TAIL_TTL_MS, now: clock.now });
    const tail = entryOf(2);
    const settled = entryOf(3);
    cache.set('tail', tail, false);
    cache.set('settled', settled, true);

    clock.advance(TAIL_TTL_MS - 1);
    expect(cache.get('tail')).toBe(tail);
    clock.advance(2);
    expect(cache.get('tail')).toBeUndefined();
    expect(cache.get('settled')).toBe(settled);

    clock.advance(10 * 24 * 3_600_000);
    expect(cache.get('settled')).toBe(settled);
    expect(cache.stats()).toMatchObject({
      entries: 1,
      bytes: windowCacheEntryBytes(settled, 'settled'),
      evictions: 0,
    });
  });

  it('gives a replaced tail entry a fresh TTL', () => {
    const clock = manualClock(CLOCK_START_MS);
    const cache = createWindowCache({ maxBytes: BIG, tailTtlMs: TAIL_TTL_MS, now: clock.now });
    cache.set('tail', entryOf(1), false);
    clock.advance(4_000);
    const newer = entryOf(2);
    cache.set('tail', newer, false);
    clock.advance(4_000);
    expect(cache.get('tail')).toBe(newer);
  });

  it('does not keep the tail at all when the tail TTL is 0 (lru-cache would read 0 as "never expires")', () => {
    const clock = manualClock(CLOCK_START_MS);
    const cache = createWindowCache({ maxBytes: BIG, tailTtlMs: 0, now: clock.now });
    cache.set('tail', entryOf(2), false);
    cache.set('settled', entryOf(2), true);
    expect(cache.get('tail')).toBeUndefined();
    expect(cache.get('settled')).toBeDefined();
  });

  it('evicts the least recently used entries past maxBytes and stays within it', () => {
    // Keys k0..k24 weigh the same: strings are padded to 8 bytes.
    const entrySize = windowCacheEntryBytes(entryOf(100), 'k0');
    const maxBytes = 10 * entrySize;
    const cache = createWindowCache({ maxBytes, tailTtlMs: TAIL_TTL_MS });
    for (let index = 0; index < 10; index += 1) cache.set(`k${index}`, entryOf(100), true);
    expect(cache.stats()).toMatchObject({ entries: 10, bytes: maxBytes, evictions: 0 });

    // Touch k0, the oldest, so k1 is now the least recently used: the next entry must evict k1, not k0.
    expect(cache.get('k0')).toBeDefined();
    cache.set('k10', entryOf(100), true);
    expect(cache.stats()).toMatchObject({ entries: 10, bytes: maxBytes, evictions: 1 });
    expect(cache.get('k1')).toBeUndefined();
    expect(cache.get('k0')).toBeDefined();
    for (let index = 11; index < 25; index += 1) {
      cache.set(`k${index}`, entryOf(100), true);
      expect(cache.stats().bytes).toBeLessThanOrEqual(maxBytes);
    }
    expect(cache.stats()).toMatchObject({ entries: 10, evictions: 15 });
    expect(cache.get('k24')).toBeDefined();
    expect(cache.get('k1')).toBeUndefined();
  });

  it("counts each entry's key and bookkeeping, the shared empty entry's too", () => {
    const cache = createWindowCache({ maxBytes: BIG, tailTtlMs: TAIL_TTL_MS });
    const shortKey = slotCacheKey({
      appId: 'a',
      roomId: 'r',
      userId: 'u',
      direction: 'up',
      slotStartMs: 0,
      slotMs: 1,
    });
    const longKey = slotCacheKey({
      appId: 'a',
      roomId: 'r',
      userId: 'u'.repeat(128),
      direction: 'up',
      slotStartMs: 0,
      slotMs: 1,
    });
    cache.set(shortKey, EMPTY_SLOT_ENTRY, true);
    const short = cache.stats().bytes;
    cache.set(longKey, EMPTY_SLOT_ENTRY, true);
    const long = cache.stats().bytes - short;
    // An empty slot weighs over 100 bytes of bookkeeping and key even with a one-character user id.
    expect(short).toBeGreaterThan(100);
    expect(long - short).toBe(stringBytes(longKey) - stringBytes(shortKey));
    expect(long - short).toBe(128);
  });

  it('keeps its byte bound with entries of mixed sizes', () => {
    const maxBytes = 50_000;
    const cache = createWindowCache({ maxBytes, tailTtlMs: TAIL_TTL_MS });
    let stored = 0;
    for (let index = 0; index < 200; index += 1) {
      cache.set(`k${index}`, entryOf(1 + ((index * 37) % 300)), index % 3 !== 0);
      stored += 1;
      expect(cache.stats().bytes).toBeLessThanOrEqual(maxBytes);
    }
    const { entries, evictions } = cache.stats();
    expect(evictions).toBeGreaterThan(0);
    expect(entries + evictions).toBe(stored);
  });
});
