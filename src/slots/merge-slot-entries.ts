/**
 * Joining two entries of one slot that hold touching or overlapping parts of it (one call ended inside the
 * slot, a later one started where it ended) into one entry holding both: the cache then keeps one entry per
 * slot, and a slot fetched in pieces becomes whole, shareable with other replicas like any other.
 */
import type { MetricSeries, StreamDetail } from '../model/call-detail.js';
import { lowerBound } from '../model/sorted-times.js';
import { decodeSlotEntry, encodeSlotEntry, type SlotEntry, slotEntryCoverage } from './slot-entry.js';

/**
 * One entry holding what `held` and `fetched` hold, or null when their intervals neither touch nor overlap
 * (one entry holds one interval). Where both hold an instant, `held`'s points are kept.
 */
export function mergeSlotEntries(
  held: SlotEntry,
  fetched: SlotEntry,
  slotStartMs: number,
  slotMs: number,
): SlotEntry | null {
  const a = slotEntryCoverage(held, slotStartMs, slotMs);
  const b = slotEntryCoverage(fetched, slotStartMs, slotMs);
  if (a.fromMs <= b.fromMs && b.toMs <= a.toMs) return held;
  if (b.fromMs <= a.fromMs && a.toMs <= b.toMs) return fetched;
  if (Math.max(a.fromMs, b.fromMs) > Math.min(a.toMs, b.toMs)) return null;
  const [first, second, firstToMs] = a.fromMs <= b.fromMs ? [held, fetched, a.toMs] : [fetched, held, b.toMs];
  // Stream and metric identities only matter within the entry: any user and direction will do to decode.
  const streams = joinStreams(decodeSlotEntry(first, '', 'up'), decodeSlotEntry(second, '', 'up'), firstToMs);
  return encodeSlotEntry(
    streams,
    slotStartMs,
    slotStartMs + slotMs,
    Math.min(a.fromMs, b.fromMs),
    Math.max(a.toMs, b.toMs),
  );
}

/** `first`'s streams, each metric continued by `second`'s points from `splitMs` on; new streams and metrics last. */
function joinStreams(
  first: readonly StreamDetail[],
  second: readonly StreamDetail[],
  splitMs: number,
): StreamDetail[] {
  const joined = first.map((stream) => ({ ...stream, metrics: [...stream.metrics] }));
  for (const stream of second) {
    const match = joined.find((candidate) => candidate.peerId === stream.peerId);
    if (match === undefined) {
      joined.push({ ...stream, metrics: [...stream.metrics] });
      continue;
    }
    for (const metric of stream.metrics) {
      const index = match.metrics.findIndex((candidate) => candidate.name === metric.name);
      if (index === -1) match.metrics.push(metric);
      else match.metrics[index] = concatenate(match.metrics[index] as MetricSeries, metric, splitMs);
    }
  }
  return joined;
}

function concatenate(before: MetricSeries, after: MetricSeries, splitMs: number): MetricSeries {
  const keep = lowerBound(before.times, splitMs);
  const from = lowerBound(after.times, splitMs);
  const length = keep + after.times.length - from;
  const times = new Float64Array(length);
  const values = new Float64Array(length);
  times.set(before.times.subarray(0, keep));
  values.set(before.values.subarray(0, keep));
  times.set(after.times.subarray(from), keep);
  values.set(after.values.subarray(from), keep);
  return { ...before, times, values };
}
