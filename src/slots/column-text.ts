/**
 * The JSON text of float columns, made once per slot entry rather than once per request: a live dashboard asks
 * the same settled slots every poll, and printing their ~130 k floats one by one is most of an executed answer.
 * Each slot entry's numbers (slot-entry.ts: one Float64Array per entry, read as `subarray` views) are printed
 * once into one buffer with the end of every number recorded, so any run of them is a byte range of that
 * buffer. Bounded in bytes (lru-cache), like the window cache; an evicted entry's text is printed again.
 */
import { LRUCache } from 'lru-cache';

interface EntryText {
  /** Every number of the entry's data in JSON, comma-separated, in order: ASCII, so one byte per character. */
  readonly bytes: Buffer;
  /** `ends[i]`: the byte index just past number i. */
  readonly ends: Uint32Array;
  /** Indices of numbers JSON cannot carry (NaN, infinities), increasing; almost always empty. */
  readonly nonFinite: readonly number[];
}

/** The object, its buffer and offsets array, and lru-cache's bookkeeping, beyond the bytes themselves. */
const ENTRY_TEXT_BYTES = 400;

/**
 * A quarter of the window cache's bound (CACHE_MAX_MB): the text of a slot weighs about 2.5 times its numbers,
 * and it is the recent slots, a small part of what the cache holds, that live dashboards ask again and again.
 */
const SHARE_OF_WINDOW_CACHE = 0.25;

export interface ColumnTextStats {
  readonly hits: number;
  readonly misses: number;
  readonly bytes: number;
  readonly entries: number;
}

/** Where a column's JSON goes: byte ranges of buffers, in order (see resolvers/column-sink.ts). */
export interface ByteSpans {
  push(bytes: Buffer, start: number, end: number): void;
}

export interface ColumnText {
  /**
   * Adds to `out` the JSON of `column[from..to)`, comma-separated, without brackets; returns the index (in
   * `column`) of its first number JSON cannot carry, or -1 (then every byte was added).
   */
  append(column: Float64Array, from: number, to: number, out: ByteSpans): number;
  stats(): ColumnTextStats;
}

/** Data buffers of slot entries: only their text is worth keeping, a downsampled column is made per request. */
const slotData = new WeakSet<ArrayBufferLike>();

/** Marks `data` as a slot entry's immutable numbers, whose text may be kept (see createColumnText). */
export function markSlotData(data: Float64Array): void {
  slotData.add(data.buffer);
}

/** The first index in [from, to) of a non-finite number of `column`, or -1. */
function firstNonFinite(column: Float64Array, from: number, to: number): number {
  for (let i = from; i < to; i += 1) if (!Number.isFinite(column[i] as number)) return i;
  return -1;
}

function printEntry(data: Float64Array): EntryText {
  const texts = new Array<string>(data.length);
  const ends = new Uint32Array(data.length);
  const nonFinite: number[] = [];
  let length = 0;
  for (let i = 0; i < data.length; i += 1) {
    const value = data[i] as number;
    if (!Number.isFinite(value)) nonFinite.push(i);
    // String(n) is JSON's number text for every finite n (-0 included: both print "0").
    const text = String(value);
    texts[i] = text;
    length += text.length;
    ends[i] = length;
    length += 1;
  }
  return { bytes: Buffer.from(texts.join(','), 'latin1'), ends, nonFinite };
}

export function createColumnText(options: { readonly windowCacheMaxBytes: number }): ColumnText {
  let hits = 0;
  let misses = 0;
  const maxBytes = Math.floor(options.windowCacheMaxBytes * SHARE_OF_WINDOW_CACHE);
  // The bound and the eviction order are the LRU's; reads go through a WeakMap in front of it, which holds
  // exactly what the LRU holds (dropped on dispose) and costs a fraction of an LRU read. An answer reads
  // ~5000 runs, so reads do not reorder the LRU: it evicts the oldest printed, not the least recently read.
  const texts = new WeakMap<ArrayBufferLike, EntryText>();
  const lru = new LRUCache<ArrayBufferLike, EntryText>({
    maxSize: Math.max(1, maxBytes),
    sizeCalculation: (text) => ENTRY_TEXT_BYTES + text.bytes.length + text.ends.byteLength,
    dispose: (_text, buffer) => texts.delete(buffer),
  });
  const enabled = maxBytes > 0;

  function entryText(column: Float64Array): EntryText | undefined {
    const kept = texts.get(column.buffer);
    if (kept !== undefined) {
      hits += 1;
      return kept;
    }
    if (!enabled || !slotData.has(column.buffer)) return undefined;
    misses += 1;
    const text = printEntry(new Float64Array(column.buffer));
    lru.set(column.buffer, text);
    // An entry larger than the whole bound is not kept: printed for this answer only.
    if (lru.has(column.buffer)) texts.set(column.buffer, text);
    return text;
  }

  return {
    append(column, from, to, out) {
      if (to <= from) return -1;
      const text = entryText(column);
      if (text === undefined) {
        const bad = firstNonFinite(column, from, to);
        if (bad !== -1) return bad;
        const bytes = Buffer.from(column.subarray(from, to).join(','), 'latin1');
        out.push(bytes, 0, bytes.length);
        return -1;
      }
      const base = column.byteOffset / Float64Array.BYTES_PER_ELEMENT;
      const first = base + from;
      const last = base + to;
      for (const index of text.nonFinite) if (index >= first && index < last) return index - base;
      const start = first === 0 ? 0 : (text.ends[first - 1] as number) + 1;
      out.push(text.bytes, start, text.ends[last - 1] as number);
      return -1;
    },
    stats: () => ({ hits, misses, bytes: lru.calculatedSize, entries: lru.size }),
  };
}
