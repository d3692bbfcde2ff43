/**
 * Decoded slot entries (decoded-entries.ts) are made once and shared by later reads, within their byte bound.
 */
import { describe, expect, it } from 'vitest';
import type { StreamDetail } from '../../../src/model/call-detail.js';
import { createDecodedEntries } from '../../../src/slots/decoded-entries.js';
import { decodeSlotEntry, EMPTY_SLOT_ENTRY, encodeSlotEntry } from '../../../src/slots/slot-entry.js';

const stream: StreamDetail = {
  userId: 'u1',
  direction: 'up',
  peerId: null,
  metrics: [
    {
      name: 'Rtt',
      description: 'Round-trip time',
      unit: 'ms',
      times: Float64Array.from([0, 10_000, 20_000]),
      values: Float64Array.from([30, 31, 32]),
    },
  ],
};

describe('decoded slot entries', () => {
  it('decode an entry once and hand the same streams to every later read', () => {
    const decoded = createDecodedEntries({ windowCacheMaxBytes: 1024 * 1024 });
    const entry = encodeSlotEntry([stream], 0, 300_000);
    const first = decoded.decode(entry, 'u1', 'up');
    expect(first).toEqual(decodeSlotEntry(entry, 'u1', 'up'));
    expect(decoded.decode(entry, 'u1', 'up')).toBe(first);
    expect(decoded.stats()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
    // One entry, one stream, one metric: the estimated weight of its objects and views, and of the array its
    // 3 points are decoded into (decoded numbers no longer share the cache entry's memory).
    expect(decoded.stats().bytes).toBe(160 + 200 + 3 * 16 + 120 + 480);
    // The shared empty entry belongs to no one user: decoded as it is, never kept.
    expect(decoded.decode(EMPTY_SLOT_ENTRY, 'u2', 'down')).toEqual([]);
    expect(decoded.stats().entries).toBe(1);
  });

  it('keep nothing past their bound', () => {
    // A quarter of 2 KiB is less than one decoded entry weighs.
    const decoded = createDecodedEntries({ windowCacheMaxBytes: 2048 });
    const entry = encodeSlotEntry([stream], 0, 300_000);
    const first = decoded.decode(entry, 'u1', 'up');
    expect(decoded.decode(entry, 'u1', 'up')).not.toBe(first);
    expect(decoded.stats()).toMatchObject({ hits: 0, misses: 2, entries: 0 });
  });
});
