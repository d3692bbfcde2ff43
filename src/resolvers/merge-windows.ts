/**
 * Stitching one user's per-window (per-slot) streams back into one set of streams over the requested range.
 */
import type { MetricSeries, StreamDetail, StreamDirection } from '../model/call-detail.js';
import { lowerBound, upperBound } from '../model/sorted-times.js';
import type { PieceCallback, PiecewiseColumns } from './column-pieces.js';

/** A series merged from several windows, kept in their parts. */
export interface MergedSeries extends MetricSeries {
  /** Each part and the run of it the series keeps, in order. */
  eachPart(each: (part: MetricSeries, from: number, to: number) => void): void;
}

export function isMergedSeries(series: MetricSeries): series is MergedSeries {
  return series instanceof ConcatenatedSeries;
}

/** One stream identity across windows, with its metrics' per-window parts in window order. */
interface StreamGroup {
  /** The stream's first appearance; its user, direction and peer describe the merged stream. */
  readonly first: StreamDetail;
  /** How many windows contributed this stream; 1 lets the merged stream reuse `first` when unchanged. */
  parts: number;
  /** Keyed by metric name. */
  readonly metrics: Map<string, MetricSeries[]>;
  /** Metric names in upstream order, reconstructed across windows. */
  readonly order: string[];
}

/**
 * Merges the per-window stream lists of ONE user, given in window (time) order, into streams over
 * `[fromMs, toMs)`.
 *
 * - Streams are matched by (direction, peerId), in the order of their first appearance, and metrics by name,
 *   in upstream order (a metric first seen in a later window is placed after its predecessor there); a
 *   merged metric keeps the description and unit it first had.
 * - Points are concatenated in window order and clipped to `[fromMs, toMs)`: the windows were widened to
 *   whole seconds for the upstream, which moreover includes both ends of each window.
 * - A point not later than the last point kept is dropped. Neighbouring windows share their edge instant,
 *   so the same point arrives twice; keeping the earlier copy keeps every series strictly increasing.
 * - Metrics left with no points are dropped, then streams left with no metrics, so a user with no data in
 *   the range gets no streams at all.
 *
 * The common single-window case copies nothing: a series that needs clipping becomes a `subarray` view, one
 * that needs none is reused as is (and so is a stream whose every metric is).
 */
export function mergeWindowStreams(
  windows: ReadonlyArray<readonly StreamDetail[]>,
  fromMs: number,
  toMs: number,
): StreamDetail[] {
  const merged: StreamDetail[] = [];
  for (const group of groupStreams(windows)) {
    const metrics: MetricSeries[] = [];
    let unchanged = group.parts === 1;
    for (const name of group.order) {
      const parts = group.metrics.get(name) as MetricSeries[];
      const series = mergeSeries(parts, fromMs, toMs);
      if (series !== parts[0]) unchanged = false;
      if (series !== null) metrics.push(series);
    }
    if (metrics.length === 0) continue;
    merged.push(unchanged ? group.first : { ...group.first, metrics });
  }
  return merged;
}

/** Groups streams by (direction, peerId) in first-appearance order. */
function groupStreams(windows: ReadonlyArray<readonly StreamDetail[]>): StreamGroup[] {
  // Nested maps rather than a string key: peerId is an opaque upstream string (and null for UP streams).
  const byIdentity = new Map<StreamDirection, Map<string | null, StreamGroup>>();
  const groups: StreamGroup[] = [];
  for (const streams of windows) {
    for (const stream of streams) {
      let byPeer = byIdentity.get(stream.direction);
      if (byPeer === undefined) {
        byPeer = new Map();
        byIdentity.set(stream.direction, byPeer);
      }
      let group = byPeer.get(stream.peerId);
      if (group === undefined) {
        group = { first: stream, parts: 0, metrics: new Map(), order: [] };
        byPeer.set(stream.peerId, group);
        groups.push(group);
      }
      group.parts += 1;
      let previous: string | null = null;
      for (const metric of stream.metrics) {
        const parts = group.metrics.get(metric.name);
        if (parts === undefined) {
          group.metrics.set(metric.name, [metric]);
          // Each window lists its metrics in upstream order, so a metric first seen in a later window goes
          // right after its predecessor there: the merged order is the upstream's, whichever window began.
          const at = previous === null ? 0 : group.order.indexOf(previous) + 1;
          group.order.splice(at, 0, metric.name);
        } else {
          parts.push(metric);
        }
        previous = metric.name;
      }
    }
  }
  return groups;
}

/** One metric's parts concatenated and clipped; the sole part itself when nothing changes; null when empty. */
function mergeSeries(parts: readonly MetricSeries[], fromMs: number, toMs: number): MetricSeries | null {
  // Kept index ranges per part, found by binary search so no point is visited twice.
  const starts = new Array<number>(parts.length);
  const ends = new Array<number>(parts.length);
  let total = 0;
  let lastKeptMs = Number.NEGATIVE_INFINITY;
  let onlyPart = -1;
  for (let p = 0; p < parts.length; p += 1) {
    const { times } = parts[p] as MetricSeries;
    const start = firstIndexAfter(times, fromMs, lastKeptMs);
    const end = Math.max(start, lowerBound(times, toMs));
    starts[p] = start;
    ends[p] = end;
    if (end > start) {
      total += end - start;
      lastKeptMs = times[end - 1] as number;
      onlyPart = onlyPart === -1 ? p : -2;
    }
  }
  if (total === 0) return null;
  const first = parts[0] as MetricSeries;
  if (onlyPart >= 0) {
    const part = parts[onlyPart] as MetricSeries;
    const start = starts[onlyPart] as number;
    const end = ends[onlyPart] as number;
    if (onlyPart === 0 && start === 0 && end === part.times.length) return part;
    return { ...first, times: part.times.subarray(start, end), values: part.values.subarray(start, end) };
  }
  return new ConcatenatedSeries(first, parts, starts, ends, total);
}

/**
 * A series kept in its windows' pieces until its points are read. A stream holds every metric the upstream
 * sent, while an operation reads the few it selects: copying each one up front would cost what the whole
 * range weighs for every alias asking for it, before any output bound could see a single point (40 aliases
 * of one settled hour held 100 copies of it). Read once, the copy is kept for the other fields reading it.
 */
class ConcatenatedSeries implements MetricSeries, PiecewiseColumns {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  #columns: { readonly times: Float64Array; readonly values: Float64Array } | null = null;

  constructor(
    first: MetricSeries,
    private readonly parts: readonly MetricSeries[],
    private readonly starts: readonly number[],
    private readonly ends: readonly number[],
    readonly total: number,
  ) {
    this.name = first.name;
    this.description = first.description;
    this.unit = first.unit;
  }

  get times(): Float64Array {
    return this.#concatenated().times;
  }

  /**
   * Hands over a column's runs, one per window, uncopied even when read before: a printer that takes it
   * piece by piece finds each window's slot data (see slots/column-text.ts) rather than a copy made for this
   * request. `each` returns false to stop.
   */
  /** The parts and the kept run of each, for work done per part (see piecewise-downsample.ts). */
  eachPart(each: (part: MetricSeries, from: number, to: number) => void): void {
    for (let p = 0; p < this.parts.length; p += 1) {
      const start = this.starts[p] as number;
      const end = this.ends[p] as number;
      if (end > start) each(this.parts[p] as MetricSeries, start, end);
    }
  }

  eachPiece(column: 'times' | 'values', each: PieceCallback): void {
    for (let p = 0; p < this.parts.length; p += 1) {
      const start = this.starts[p] as number;
      const end = this.ends[p] as number;
      if (end > start && !each((this.parts[p] as MetricSeries)[column], start, end)) return;
    }
  }

  get values(): Float64Array {
    return this.#concatenated().values;
  }

  #concatenated() {
    if (this.#columns !== null) return this.#columns;
    const times = new Float64Array(this.total);
    const values = new Float64Array(this.total);
    let offset = 0;
    for (let p = 0; p < this.parts.length; p += 1) {
      const part = this.parts[p] as MetricSeries;
      const start = this.starts[p] as number;
      const end = this.ends[p] as number;
      if (end === start) continue;
      times.set(part.times.subarray(start, end), offset);
      values.set(part.values.subarray(start, end), offset);
      offset += end - start;
    }
    this.#columns = { times, values };
    return this.#columns;
  }
}

/** The first index whose time is at or after `fromMs` and strictly after `lastKeptMs`. */
function firstIndexAfter(times: Float64Array, fromMs: number, lastKeptMs: number): number {
  return lastKeptMs >= fromMs ? upperBound(times, lastKeptMs) : lowerBound(times, fromMs);
}
