/**
 * Slot entries decoded once rather than on every read: a live dashboard's poll reads the same ~500 settled
 * entries every time, and decoding undoes the compact encoding into fresh numbers and makes an object per
 * stream and metric and two typed-array views per metric, garbage the next poll would make again. Kept decoded,
 * an entry also keeps its numbers' identity, by which column-text.ts finds their printed text. Entries are immutable, so their decoded streams can be shared by every
 * request (nothing downstream mutates a StreamDetail). Bounded in bytes (lru-cache), keyed by the entry
 * object itself, so a replaced or evicted entry's decoding simply ages out.
 */
import { LRUCache } from 'lru-cache';
import type { StreamDetail, StreamDirection } from '../model/call-detail.js';
import { decodeSlotEntry, type SlotEntry } from './slot-entry.js';

// What a decoded entry's V8 objects weigh, estimated from slot-entry.ts's measured sizes: the array,
// lru-cache's bookkeeping and the Float64Array the numbers are decoded into (beside the numbers themselves,
// 16 B a point); a stream's object and metrics array; a metric's object and its two typed-array views (a view
// weighs about what an array with its buffer does).
const DECODED_ENTRY_BYTES = 160 + 200;
const DECODED_POINT_BYTES = 16;
const DECODED_STREAM_BYTES = 120;
const DECODED_METRIC_BYTES = 80 + 2 * 200;

interface Decoded {
  readonly points: number;
  readonly userId: string;
  readonly direction: StreamDirection;
  readonly streams: readonly StreamDetail[];
}

export interface DecodedEntriesStats {
  readonly hits: number;
  readonly misses: number;
  readonly bytes: number;
  readonly entries: number;
}

export interface DecodedEntries {
  decode(entry: SlotEntry, userId: string, direction: StreamDirection): readonly StreamDetail[];
  stats(): DecodedEntriesStats;
}

function decodedBytes(decoded: Decoded): number {
  let bytes = DECODED_ENTRY_BYTES + DECODED_POINT_BYTES * decoded.points;
  for (const stream of decoded.streams)
    bytes += DECODED_STREAM_BYTES + DECODED_METRIC_BYTES * stream.metrics.length;
  return bytes;
}

/**
 * A quarter of the window cache's bound (CACHE_MAX_MB): a decoded entry weighs about ten times its encoded
 * form, and only the entries polled again and again are worth keeping decoded. But those must all fit: one
 * live dashboard of 20 users of a 12-sender room over the last hour is ~520 entries and ~26 MB decoded, and
 * what a poll reuses of the poll before (its merge, downsampling and column text) is found through the
 * decoded objects, so an entry decoded again costs all of that too.
 */
const SHARE_OF_WINDOW_CACHE = 0.25;

export function createDecodedEntries(options: { readonly windowCacheMaxBytes: number }): DecodedEntries {
  let hits = 0;
  let misses = 0;
  const maxBytes = Math.floor(options.windowCacheMaxBytes * SHARE_OF_WINDOW_CACHE);
  // As in column-text.ts: a WeakMap in front holds exactly what the LRU holds, for cheap reads (~500 an
  // answer); the LRU bounds the bytes and evicts the oldest decoded.
  const kept = new WeakMap<SlotEntry, Decoded>();
  const lru = new LRUCache<SlotEntry, Decoded>({
    maxSize: Math.max(1, maxBytes),
    sizeCalculation: decodedBytes,
    dispose: (_decoded, entry) => kept.delete(entry),
  });
  return {
    decode(entry, userId, direction) {
      if (maxBytes <= 0 || entry.streams.length === 0) return decodeSlotEntry(entry, userId, direction);
      const decoded = kept.get(entry);
      // An entry is made for one user and direction; the check only guards against one ever being shared.
      if (decoded !== undefined && decoded.userId === userId && decoded.direction === direction) {
        hits += 1;
        return decoded.streams;
      }
      misses += 1;
      const streams = decodeSlotEntry(entry, userId, direction);
      const fresh = { points: entry.points, userId, direction, streams };
      lru.set(entry, fresh);
      if (lru.has(entry)) kept.set(entry, fresh);
      return streams;
    },
    stats: () => ({ hits, misses, bytes: lru.calculatedSize, entries: lru.size }),
  };
}
