/**
 * The compact form in which the window cache keeps one (user, direction, slot): every series of the slot back
 * to back in ONE Float64Array (per metric: its times, then its values), plus a small layout to find them.
 * One buffer per entry keeps a cached point near 16 bytes; reads hand out `subarray` views, never copies.
 */
import type { CallDetailResult, MetricSeries, StreamDetail, StreamDirection } from './call-detail.js';
import { lowerBound } from './sorted-times.js';

interface SlotMetricLayout {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  /** Index of the first time in `data`; the values follow the times. */
  readonly offset: number;
  readonly length: number;
}

interface SlotStreamLayout {
  readonly peerId: string | null;
  readonly metrics: readonly SlotMetricLayout[];
}

export interface SlotEntry {
  readonly data: Float64Array;
  /** Empty when the user has no data of this direction in the slot (cached as such too). */
  readonly streams: readonly SlotStreamLayout[];
  /**
   * Set when the entry holds the slot only from this instant on: its call could not reach further back, past
   * the upstream's retention (see CallDetailResult.startMs). A request whose range starts earlier in the slot
   * cannot be answered from it, nor from any later call.
   */
  readonly coveredFromMs?: number;
}

/**
 * The entry of one user's streams of one direction, cut to `[slotStartMs, slotEndMs)`, from a call whose data
 * starts at `callStartMs`.
 */
export function encodeSlotEntry(
  streams: readonly StreamDetail[],
  slotStartMs: number,
  slotEndMs: number,
  callStartMs: number = slotStartMs,
): SlotEntry {
  const cuts: Array<{
    peerId: string | null;
    metrics: Array<{ metric: MetricSeries; from: number; to: number }>;
  }> = [];
  let total = 0;
  for (const stream of streams) {
    const metrics = [];
    for (const metric of stream.metrics) {
      const from = lowerBound(metric.times, slotStartMs);
      const to = lowerBound(metric.times, slotEndMs);
      if (to > from) {
        metrics.push({ metric, from, to });
        total += 2 * (to - from);
      }
    }
    if (metrics.length > 0) cuts.push({ peerId: stream.peerId, metrics });
  }
  const data = new Float64Array(total);
  let offset = 0;
  const layout = cuts.map(({ peerId, metrics }) => ({
    peerId,
    metrics: metrics.map(({ metric, from, to }) => {
      const length = to - from;
      data.set(metric.times.subarray(from, to), offset);
      data.set(metric.values.subarray(from, to), offset + length);
      const entry = { name: metric.name, description: metric.description, unit: metric.unit, offset, length };
      offset += 2 * length;
      return entry;
    }),
  }));
  if (callStartMs <= slotStartMs) return { data, streams: layout };
  return { data, streams: layout, coveredFromMs: Math.min(callStartMs, slotEndMs) };
}

export function decodeSlotEntry(
  entry: SlotEntry,
  userId: string,
  direction: StreamDirection,
): StreamDetail[] {
  return entry.streams.map((stream) => ({
    userId,
    direction,
    peerId: stream.peerId,
    metrics: stream.metrics.map((metric) => ({
      name: metric.name,
      description: metric.description,
      unit: metric.unit,
      times: entry.data.subarray(metric.offset, metric.offset + metric.length),
      values: entry.data.subarray(metric.offset + metric.length, metric.offset + 2 * metric.length),
    })),
  }));
}

// Rough V8 costs of the objects around the numbers; measured by the cache-memory benchmark, erring high.
const ENTRY_OVERHEAD_BYTES = 200;
const STREAM_OVERHEAD_BYTES = 80;
const METRIC_OVERHEAD_BYTES = 80;

/**
 * What an entry costs in memory, for the cache's byte bound. Strings are counted in full although entries of
 * one response share them: the bound errs on the safe side.
 */
export function slotEntryBytes(entry: SlotEntry): number {
  let bytes = ENTRY_OVERHEAD_BYTES + entry.data.byteLength;
  for (const stream of entry.streams) {
    bytes += STREAM_OVERHEAD_BYTES + (stream.peerId?.length ?? 0) * 2;
    for (const metric of stream.metrics) {
      bytes +=
        METRIC_OVERHEAD_BYTES + (metric.name.length + metric.description.length + metric.unit.length) * 2;
    }
  }
  return bytes;
}

/** The streams of one user and direction in a call's result. */
export function streamsOf(
  result: Pick<CallDetailResult, 'streams'>,
  userId: string,
  direction: StreamDirection,
): StreamDetail[] {
  return result.streams.filter((stream) => stream.userId === userId && stream.direction === direction);
}
