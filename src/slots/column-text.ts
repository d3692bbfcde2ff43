/**
 * The JSON text of float columns, made once per slot entry rather than once per request: a live dashboard asks
 * the same settled slots every poll, and printing their ~130 k floats one by one is most of an executed answer.
 * Each slot entry's numbers (slot-entry.ts: one Float64Array per entry, read as `subarray` views) are printed
 * once into one buffer with the end of every number recorded, so any run of them is a byte range of that
 * buffer. Bounded in bytes (lru-cache), like the window cache; an evicted entry's text is printed again.
 * Whole slots in a row are kept joined as well (JoinedText), so a poll copies one span for them.
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

/** A column as runs of numbers, in order: run i is `columns[i][froms[i]..tos[i])`, never empty. */
export interface ColumnRuns {
  readonly columns: readonly Float64Array[];
  readonly froms: readonly number[];
  readonly tos: readonly number[];
}

export interface ColumnText {
  /**
   * Adds to `out` the JSON of `column[from..to)`, comma-separated, without brackets; returns the index (in
   * `column`) of its first number JSON cannot carry, or -1 (then every byte was added).
   */
  append(column: Float64Array, from: number, to: number, out: ByteSpans): number;
  /**
   * The same for a column in runs, one after the other, comma-separated: returns the index in the whole column
   * of its first number JSON cannot carry, or -1.
   */
  appendRuns(runs: ColumnRuns, out: ByteSpans): number;
  stats(): ColumnTextStats;
  /** The joined text of whole slots kept for the next poll (see joinedText). */
  joinedStats(): ColumnTextStats;
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

/**
 * Consecutive whole slots of a column, their text joined into one buffer: a poll of a moving range reads the
 * same settled slots as the poll before, so it pushes (and the body copies) one span for them instead of one
 * per slot, and looks up one entry instead of one per slot. Found from any of its columns (kept objects:
 * decoded entries and per-slot downsamples are the same objects every poll), so a range whose start moved on
 * by a slot still finds it, and checked column by column.
 */
interface JoinedText {
  readonly columns: readonly Float64Array[];
  /** `ends[i]`: the byte index just past the text of columns[i]. */
  readonly ends: readonly number[];
  readonly bytes: Buffer;
}

/** Where a column is in a joined text. */
interface JoinedAt {
  readonly joined: JoinedText;
  readonly at: number;
}

/** The object, its arrays and lru-cache's bookkeeping, beyond the bytes; and a reference per column. */
const JOINED_TEXT_BYTES = 300;
const JOINED_COLUMN_BYTES = 16;

/**
 * A sixteenth of the window cache: the joined text repeats what the slots' text holds, for the stretches a
 * dashboard polls again and again.
 */
const JOINED_SHARE_OF_WINDOW_CACHE = 1 / 16;

/** Fewer whole slots in a row than this are appended slot by slot: there is nothing to save. */
const MIN_JOINED_RUNS = 3;

/** Spans copied out as they come, to be joined into one buffer. */
class Collected implements ByteSpans {
  readonly parts: Buffer[] = [];
  length = 0;

  push(bytes: Buffer, start: number, end: number): void {
    this.parts.push(bytes.subarray(start, end));
    this.length += end - start;
  }
}

export function createColumnText(options: { readonly windowCacheMaxBytes: number }): ColumnText {
  let hits = 0;
  let misses = 0;
  let joinedHits = 0;
  let joinedMisses = 0;
  const maxBytes = Math.floor(options.windowCacheMaxBytes * SHARE_OF_WINDOW_CACHE);
  const joinedMaxBytes = Math.floor(options.windowCacheMaxBytes * JOINED_SHARE_OF_WINDOW_CACHE);
  // As for the slots' text below: the WeakMap holds what the LRU holds; a column joined again later is found
  // in its latest joined text.
  const joinedTexts = new WeakMap<Float64Array, JoinedAt>();
  const joinedLru = new LRUCache<Float64Array, JoinedText>({
    maxSize: Math.max(1, joinedMaxBytes),
    sizeCalculation: (text) =>
      JOINED_TEXT_BYTES + text.bytes.length + JOINED_COLUMN_BYTES * text.columns.length,
    dispose: (text) => {
      for (const column of text.columns)
        if (joinedTexts.get(column)?.joined === text) joinedTexts.delete(column);
    },
  });
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

  function append(column: Float64Array, from: number, to: number, out: ByteSpans): number {
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
  }

  const isWhole = ({ columns, froms, tos }: ColumnRuns, i: number) =>
    froms[i] === 0 && tos[i] === (columns[i] as Float64Array).length;

  /** Whether run i is a whole kept column whose every number JSON can carry: what may be joined. */
  function joinable(runs: ColumnRuns, i: number): boolean {
    const column = runs.columns[i] as Float64Array;
    if (!isWhole(runs, i)) return false;
    const text = entryText(column);
    if (text === undefined) return false;
    const base = column.byteOffset / Float64Array.BYTES_PER_ELEMENT;
    for (const index of text.nonFinite) if (index >= base && index < base + column.length) return false;
    return true;
  }

  /** Joins the text of columns[from..to), whole kept columns, and keeps it under columns[from]. */
  function join(columns: readonly Float64Array[], from: number, to: number): JoinedText {
    const collected = new Collected();
    const ends: number[] = [];
    for (let i = from; i < to; i += 1) {
      const column = columns[i] as Float64Array;
      if (i > from) collected.push(COMMA, 0, 1);
      append(column, 0, column.length, collected);
      ends.push(collected.length);
    }
    const first = columns[from] as Float64Array;
    const joined = {
      columns: columns.slice(from, to),
      ends,
      bytes: Buffer.concat(collected.parts, collected.length),
    };
    joinedMisses += 1;
    joinedLru.set(first, joined);
    // A stretch larger than the whole bound is not kept: joined for this answer only.
    if (joinedLru.has(first)) {
      for (let at = 0; at < joined.columns.length; at += 1) {
        joinedTexts.set(joined.columns[at] as Float64Array, { joined, at });
      }
    }
    return joined;
  }

  /**
   * Adds the joined text of the runs from `from` on, before `end`, when there are enough whole kept slots in a
   * row; returns how many runs it covers (0: none). A run found in a joined text is the same column object,
   * whole, so it is kept and finite, as it was when joined: a poll asking what the one before asked looks up no
   * slot's text at all. A slot that changed since (the last ones, until they settle) breaks the run of
   * matches, and is appended on its own; only slots found in no joined text start a new one.
   */
  function appendJoined(runs: ColumnRuns, from: number, end: number, out: ByteSpans): number {
    const { columns } = runs;
    const found = joinedTexts.get(columns[from] as Float64Array);
    if (found === undefined) {
      let stretch = from;
      while (stretch < end && joinable(runs, stretch)) stretch += 1;
      if (stretch - from < MIN_JOINED_RUNS) return 0;
      const joined = join(columns, from, stretch);
      out.push(joined.bytes, 0, joined.ends[stretch - from - 1] as number);
      return stretch - from;
    }
    const { joined, at } = found;
    let same = 0;
    while (
      from + same < end &&
      joined.columns[at + same] === columns[from + same] &&
      isWhole(runs, from + same)
    ) {
      same += 1;
    }
    if (same < MIN_JOINED_RUNS) return 0;
    joinedHits += 1;
    const start = at === 0 ? 0 : (joined.ends[at - 1] as number) + 1;
    out.push(joined.bytes, start, joined.ends[at + same - 1] as number);
    return same;
  }

  return {
    append,
    appendRuns(runs, out) {
      const { columns, froms, tos } = runs;
      // The last run is never joined: it is the tail slot of a moving range, which changes every few polls.
      const joinedEnd = columns.length - 1;
      let offset = 0;
      for (let i = 0; i < columns.length; ) {
        if (i > 0) out.push(COMMA, 0, 1);
        const taken =
          joinedMaxBytes > 0 && joinedEnd - i >= MIN_JOINED_RUNS ? appendJoined(runs, i, joinedEnd, out) : 0;
        const next = taken > 0 ? i + taken : i + 1;
        if (taken === 0) {
          const bad = append(columns[i] as Float64Array, froms[i] as number, tos[i] as number, out);
          if (bad !== -1) return offset + bad - (froms[i] as number);
        }
        for (; i < next; i += 1) offset += (tos[i] as number) - (froms[i] as number);
      }
      return -1;
    },
    stats: () => ({ hits, misses, bytes: lru.calculatedSize, entries: lru.size }),
    joinedStats: () => ({
      hits: joinedHits,
      misses: joinedMisses,
      bytes: joinedLru.calculatedSize,
      entries: joinedLru.size,
    }),
  };
}

const COMMA = Buffer.from(',');
