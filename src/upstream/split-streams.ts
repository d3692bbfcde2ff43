/**
 * One answer of the upstream may hold one stream in pieces: a user who left and rejoined, or a long stream cut
 * in parts, comes back as several `UserCallDetail` entries of the same (user, direction, peer), and one entry
 * may list the same metric more than once. In any order: a later piece may be listed first. Everything past
 * the parser relies on one stream per identity and one strictly increasing series per metric (the window
 * cache cuts slots out of them, the merge of slots trusts time order), so the pieces are joined here.
 */
import type { MetricSeries, StreamDetail } from '../model/call-detail.js';

/**
 * The streams with their pieces joined: one stream per (user, direction, peer) in order of first appearance,
 * each metric once, in order of first appearance over the whole answer, its points merged by time (a time
 * reported twice keeps the later report, as within one series). Keeps `description` and `unit` of a metric's
 * first piece that has them.
 */
export function joinSplitStreams(streams: readonly StreamDetail[]): StreamDetail[] {
  const byIdentity = new Map<string, { stream: StreamDetail; pieces: Map<string, MetricSeries[]> }>();
  for (const stream of streams) {
    // A JSON array as key: ids are opaque strings, any separator could be part of one.
    const identity = JSON.stringify([stream.userId, stream.direction, stream.peerId]);
    let joined = byIdentity.get(identity);
    if (joined === undefined) {
      joined = { stream, pieces: new Map() };
      byIdentity.set(identity, joined);
    }
    for (const metric of stream.metrics) {
      const pieces = joined.pieces.get(metric.name);
      if (pieces === undefined) joined.pieces.set(metric.name, [metric]);
      else pieces.push(metric);
    }
  }
  const result: StreamDetail[] = [];
  for (const { stream, pieces } of byIdentity.values()) {
    let split = false;
    const metrics: MetricSeries[] = [];
    for (const parts of pieces.values()) {
      if (parts.length > 1) split = true;
      metrics.push(parts.length === 1 ? (parts[0] as MetricSeries) : joinPieces(parts));
    }
    // The common answer has no pieces at all: its streams pass through as they are.
    result.push(split || metrics.length !== stream.metrics.length ? { ...stream, metrics } : stream);
  }
  return result;
}

function joinPieces(parts: readonly MetricSeries[]): MetricSeries {
  let total = 0;
  for (const part of parts) total += part.times.length;
  const times = new Float64Array(total);
  const values = new Float64Array(total);
  let offset = 0;
  for (const part of parts) {
    times.set(part.times, offset);
    values.set(part.values, offset);
    offset += part.times.length;
  }
  const first = parts[0] as MetricSeries;
  return {
    name: first.name,
    description: parts.find((part) => part.description !== '')?.description ?? '',
    unit: parts.find((part) => part.unit !== '')?.unit ?? '',
    ...sortedUnique(times, values),
  };
}

/**
 * Points sorted by time, a repeated time keeping the last report of it in the order given (the upstream's
 * latest report, when the points come in answer order).
 */
export function sortedUnique(
  times: Float64Array,
  values: Float64Array,
): { times: Float64Array; values: Float64Array } {
  // Array.prototype.sort is stable, so among points with the same time the one given last stays last.
  const order = Array.from(times.keys()).sort((a, b) => (times[a] as number) - (times[b] as number));
  const sortedTimes: number[] = [];
  const sortedValues: number[] = [];
  for (const index of order) {
    const time = times[index] as number;
    const value = values[index] as number;
    if (sortedTimes.length > 0 && sortedTimes[sortedTimes.length - 1] === time) {
      sortedValues[sortedValues.length - 1] = value;
    } else {
      sortedTimes.push(time);
      sortedValues.push(value);
    }
  }
  return { times: Float64Array.from(sortedTimes), values: Float64Array.from(sortedValues) };
}
