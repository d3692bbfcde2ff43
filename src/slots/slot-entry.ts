/**
 * The compact form in which the window cache keeps one (user, direction, slot): every series of the slot
 * encoded back to back in ONE byte array (slot-encoding.ts: times as changes of step, values as decimals or
 * XORed bits), plus a small layout naming them. Reads decode it into one Float64Array (per metric: its times,
 * then its values) handed out as `subarray` views; decoded-entries.ts keeps the hot ones decoded.
 */
import type { CallDetailResult, MetricSeries, StreamDetail, StreamDirection } from '../model/call-detail.js';
import { lowerBound } from '../model/sorted-times.js';
import { ByteReader, ByteWriter, SlotEncodingError } from './byte-io.js';
import { markSlotData } from './column-text.js';
import { internMetricText, isInternedMetricText } from './metric-text.js';
import { newSeriesChain, readSeries, writeSeries } from './slot-encoding.js';
import { stringBytes } from './string-bytes.js';

interface SlotMetricLayout {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
}

interface SlotStreamLayout {
  readonly peerId: string | null;
  readonly metrics: readonly SlotMetricLayout[];
}

export interface SlotEntry {
  /** One encoded series per metric of `streams`, in order (slot-encoding.ts). */
  readonly series: Uint8Array;
  /** The points of all series: a decoded entry holds twice as many numbers. */
  readonly points: number;
  /** Empty when the user has no data of this direction in the slot (cached as such too). */
  readonly streams: readonly SlotStreamLayout[];
  /**
   * The interval the entry holds when it is less than its slot (absent: the slot's own start or end). A call that
   * starts or ends inside a slot (ranges are fetched from where they start, not from slot boundaries) fills only
   * part of it; so does one cut at the upstream's retention (see CallDetailResult.startMs). A request may be
   * served from the entry only for instants inside this interval; the rest of the slot is still to be fetched.
   */
  readonly coveredFromMs?: number;
  readonly coveredToMs?: number;
}

/**
 * The entry of every slot without data (the most common entry of a sparse room): shared, so that caching an
 * empty slot costs only its key and the cache's bookkeeping, not an object, array and typed array of its own.
 */
export const EMPTY_SLOT_ENTRY: SlotEntry = Object.freeze({
  series: Object.freeze(new Uint8Array(0)),
  points: 0,
  streams: Object.freeze([]),
});

/** Entries are encoded one at a time, synchronously: one writer serves them all. */
const writer = new ByteWriter();

/**
 * The entry of one user's streams of one direction in the slot `[slotStartMs, slotEndMs)`, from a call that
 * holds data for `[coverFromMs, coverToMs)` only: cut to the part of the slot the call covers.
 */
export function encodeSlotEntry(
  streams: readonly StreamDetail[],
  slotStartMs: number,
  slotEndMs: number,
  coverFromMs: number = slotStartMs,
  coverToMs: number = slotEndMs,
): SlotEntry {
  const fromMs = Math.min(Math.max(coverFromMs, slotStartMs), slotEndMs);
  const toMs = Math.max(Math.min(coverToMs, slotEndMs), fromMs);
  const cuts: Array<{
    peerId: string | null;
    metrics: Array<{ metric: MetricSeries; from: number; to: number }>;
  }> = [];
  let points = 0;
  for (const stream of streams) {
    const metrics = [];
    for (const metric of stream.metrics) {
      const from = lowerBound(metric.times, fromMs);
      const to = lowerBound(metric.times, toMs);
      if (to > from) {
        metrics.push({ metric, from, to });
        points += to - from;
      }
    }
    if (metrics.length > 0) cuts.push({ peerId: stream.peerId, metrics });
  }
  const coverage: { coveredFromMs?: number; coveredToMs?: number } = {};
  if (fromMs > slotStartMs) coverage.coveredFromMs = fromMs;
  if (toMs < slotEndMs) coverage.coveredToMs = toMs;
  const whole = fromMs === slotStartMs && toMs === slotEndMs;
  if (points === 0) {
    return whole ? EMPTY_SLOT_ENTRY : { ...EMPTY_SLOT_ENTRY, ...coverage };
  }
  writer.reset();
  const chain = newSeriesChain();
  const layout = cuts.map(({ peerId, metrics }) => ({
    peerId,
    metrics: metrics.map(({ metric, from, to }) => {
      writeSeries(writer, metric.times.subarray(from, to), metric.values.subarray(from, to), chain);
      return {
        name: internMetricText(metric.name),
        description: internMetricText(metric.description),
        unit: internMetricText(metric.unit),
      };
    }),
  }));
  return { series: writer.take(), points, streams: layout, ...coverage };
}

/** Whether the entry holds its whole slot: only such entries are shared between replicas as the slot. */
export function isWholeSlotEntry(entry: SlotEntry): boolean {
  return entry.coveredFromMs === undefined && entry.coveredToMs === undefined;
}

/** The interval `[fromMs, toMs)` of the slot starting at `slotStartMs` that the entry holds. */
export function slotEntryCoverage(
  entry: SlotEntry,
  slotStartMs: number,
  slotMs: number,
): { readonly fromMs: number; readonly toMs: number } {
  return { fromMs: entry.coveredFromMs ?? slotStartMs, toMs: entry.coveredToMs ?? slotStartMs + slotMs };
}

/**
 * The entry's streams, decoded into one fresh Float64Array (marked as a slot's data, whose text column-text.ts
 * may keep). Entries come from encodeSlotEntry or a checked decodeSlotEntryBinary, so their bytes decode.
 */
export function decodeSlotEntry(
  entry: SlotEntry,
  userId: string,
  direction: StreamDirection,
): StreamDetail[] {
  // The most common entry of a sparse room: no buffer to make, nor to mark.
  if (entry.streams.length === 0) return [];
  const data = new Float64Array(2 * entry.points);
  const streams = decodeSeries(entry, data);
  markSlotData(data);
  return streams.map((stream) => ({ userId, direction, ...stream }));
}

/**
 * Decodes every series of `entry` into `data` (2 x points numbers); throws a SlotEncodingError unless the
 * bytes hold exactly one series per metric of the layout and exactly `points` points.
 */
export function decodeSeries(
  entry: Pick<SlotEntry, 'series' | 'points' | 'streams'>,
  data: Float64Array,
): Array<Pick<StreamDetail, 'peerId' | 'metrics'>> {
  const input = new ByteReader(entry.series);
  const chain = newSeriesChain();
  let offset = 0;
  const streams = entry.streams.map((stream) => ({
    peerId: stream.peerId,
    metrics: stream.metrics.map((metric) => {
      const length = readSeries(input, data, offset, chain);
      const series = {
        name: metric.name,
        description: metric.description,
        unit: metric.unit,
        times: data.subarray(offset, offset + length),
        values: data.subarray(offset + length, offset + 2 * length),
      };
      offset += 2 * length;
      return series;
    }),
  }));
  if (!input.done || offset !== data.length) throw new SlotEncodingError('series do not match their layout');
  return streams;
}

// What V8 objects of an entry weigh beyond its numbers and strings; measured by bench/cache-memory.ts.
/** The entry object itself (with its covered bounds, which most entries lack: counted for all). */
const ENTRY_BYTES = 72;
/** A Uint8Array with its ArrayBuffer (the bytes are counted apart: `byteLength`). */
const SERIES_ARRAY_BYTES = 208;
/** A stream's object and the array of its metrics. */
const STREAM_BYTES = 96;
/** A metric's layout object and its place in the stream's array. */
const METRIC_BYTES = 56;

/**
 * What an entry weighs in memory, for the window cache's byte bound (which adds the key and its own bookkeeping:
 * see windowCacheEntryBytes). The shared empty entry weighs nothing more; interned metric texts are shared by
 * every entry, while a peer id is counted in full although the entries of one call share it.
 */
export function slotEntryBytes(entry: SlotEntry): number {
  if (entry === EMPTY_SLOT_ENTRY) return 0;
  let bytes = ENTRY_BYTES;
  if (entry.series !== EMPTY_SLOT_ENTRY.series) bytes += SERIES_ARRAY_BYTES + entry.series.byteLength;
  for (const stream of entry.streams) {
    bytes += STREAM_BYTES + (stream.peerId === null ? 0 : stringBytes(stream.peerId));
    for (const metric of stream.metrics) {
      bytes += METRIC_BYTES + textBytes(metric.name) + textBytes(metric.description) + textBytes(metric.unit);
    }
  }
  return bytes;
}

function textBytes(text: string): number {
  return isInternedMetricText(text) ? 0 : stringBytes(text);
}

/** The streams of one user and direction in a call's result. */
export function streamsOf(
  result: Pick<CallDetailResult, 'streams'>,
  userId: string,
  direction: StreamDirection,
): StreamDetail[] {
  return result.streams.filter((stream) => stream.userId === userId && stream.direction === direction);
}
