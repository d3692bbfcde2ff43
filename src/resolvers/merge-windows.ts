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

/**
 * The series a read should use: for a merged series, the object last made of the same parts when it keeps the
 * same points (see ConcatenatedSeries.canonical), so that work kept per series object (its downsampling, its
 * columns' text) carries over from one poll to the next.
 */
export function canonicalSeries(series: MetricSeries): MetricSeries {
  return series instanceof ConcatenatedSeries ? series.canonical() : series;
}

/**
 * Per list of parts, the last series merged of it. The lists are the groupings' (kept between polls, see
 * groupingOf), so a moving range that still keeps the same points finds its series of the poll before.
 */
const lastMergedOfParts = new WeakMap<readonly MetricSeries[], ConcatenatedSeries>();

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
 * that needs none is reused as is (and so is a stream whose every metric is). A range keeping the points of the
 * last one merged of the same windows gets the very list it got (readonly: it is shared).
 */
export function mergeWindowStreams(
  windows: ReadonlyArray<readonly StreamDetail[]>,
  fromMs: number,
  toMs: number,
): readonly StreamDetail[] {
  const grouping = groupingOf(windows);
  if (grouping === NO_GROUPING) return NO_STREAMS;
  const { last } = grouping;
  if (last !== undefined && keepSamePoints(grouping, last, fromMs, toMs)) return last.merged;
  const merged: StreamDetail[] = [];
  for (const group of grouping.groups) {
    const metrics: MetricSeries[] = [];
    let unchanged = group.parts === 1;
    for (const name of group.order) {
      const parts = group.metrics.get(name) as MetricSeries[];
      const series = parts.length === 1 ? mergeSeries(parts, fromMs, toMs) : mergeLater(parts, fromMs, toMs);
      if (series !== parts[0]) unchanged = false;
      if (series !== null) metrics.push(series);
    }
    if (metrics.length === 0) continue;
    merged.push(unchanged ? group.first : { ...group.first, metrics });
  }
  grouping.last = { fromMs, toMs, merged };
  return merged;
}

const NO_STREAMS: readonly StreamDetail[] = Object.freeze([]);

/** A grouping of windows, the windows it was made of, and its last merge. */
interface Grouping {
  readonly windows: ReadonlyArray<readonly StreamDetail[]>;
  readonly groups: readonly StreamGroup[];
  /**
   * The streams merged for the last range asked of these windows: the same for any range keeping the same
   * points, which a poll of the last hour does most of the time (it moves by less than the 10 s between
   * points), so that poll merges nothing and reads the very series objects the poll before read.
   */
  last?: { readonly fromMs: number; readonly toMs: number; readonly merged: readonly StreamDetail[] };
  /** See sampleTimesOf. */
  sampleTimes?: Float64Array;
}

/**
 * Every instant at which a window of the grouping has a point, of any stream and metric, in order: what decides
 * whether two ranges keep the same points of them. Made once per grouping (kept between polls); mostly the one
 * 10 s grid, so a poll decides with two binary searches rather than two per window.
 */
function sampleTimesOf(grouping: Grouping): Float64Array {
  if (grouping.sampleTimes !== undefined) return grouping.sampleTimes;
  const instants = new Set<number>();
  for (const window of grouping.windows)
    for (const stream of window)
      for (const metric of stream.metrics) for (const time of metric.times) instants.add(time);
  grouping.sampleTimes = Float64Array.from(instants).sort();
  return grouping.sampleTimes;
}

/** Whether no instant of `times` is in `[min(a, b), max(a, b))`. */
function noPointBetween(times: Float64Array, a: number, b: number): boolean {
  if (a === b) return true;
  const at = lowerBound(times, Math.min(a, b));
  return at === times.length || (times[at] as number) >= Math.max(a, b);
}

/**
 * Whether `[fromMs, toMs)` keeps the same points of the grouping's windows as the last range did: then it merges
 * to the same streams (which point of a window's shared edge is dropped depends only on the points kept).
 */
function keepSamePoints(
  grouping: Grouping,
  last: { readonly fromMs: number; readonly toMs: number },
  fromMs: number,
  toMs: number,
): boolean {
  const times = sampleTimesOf(grouping);
  return noPointBetween(times, last.fromMs, fromMs) && noPointBetween(times, last.toMs, toMs);
}

/**
 * Groupings by their first window. The windows are the slots' decoded entries, shared by every request while
 * they stay decoded (slots/decoded-entries.ts): a dashboard polling the last hour merges the same settled
 * windows every time, and grouping them visits every metric of every stream of every slot (~27,000 for 20
 * users of a 12-sender room), the costliest part of a merge. Weakly held: a grouping lives no longer than the
 * decoded window it starts with, and a few per first window are kept (the moving tail makes a new one). So
 * what groupings hold (references to windows, and the merged series made of them, see lastMergedOfParts) is
 * bounded by the decoded entries' byte bound: the windows of one range are decoded, and so evicted, together.
 */
const groupings = new WeakMap<readonly StreamDetail[], Grouping[]>();
const GROUPINGS_PER_FIRST_WINDOW = 4;

const NO_GROUPING: Grouping = { windows: [], groups: [] };

function groupingOf(windows: ReadonlyArray<readonly StreamDetail[]>): Grouping {
  // Empty windows group nothing, and an empty list is often made anew for each request.
  const kept = windows.filter((streams) => streams.length > 0);
  const first = kept[0];
  if (first === undefined) return NO_GROUPING;
  const known = groupings.get(first) ?? [];
  const found = known.find(
    (grouping) =>
      grouping.windows.length === kept.length && grouping.windows.every((streams, i) => streams === kept[i]),
  );
  if (found !== undefined) return found;
  const made: Grouping = { windows: kept, groups: groupStreams(kept) };
  groupings.set(first, [made, ...known.slice(0, GROUPINGS_PER_FIRST_WINDOW - 1)]);
  return made;
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

/**
 * Several parts of one metric, merged only once something reads them (ConcatenatedSeries): a stream holds every
 * metric the upstream sent (6 to 8), a dashboard asks for a few, and finding each part's run costs two binary
 * searches per part. Null when empty, which one point decides: the first part with a point in the range keeps
 * it, since only points at or before one already kept are dropped.
 */
function mergeLater(parts: readonly MetricSeries[], fromMs: number, toMs: number): MetricSeries | null {
  for (const { times } of parts) {
    const at = lowerBound(times, fromMs);
    if (at < times.length && (times[at] as number) < toMs) return new ConcatenatedSeries(parts, fromMs, toMs);
  }
  return null;
}

/** A metric of one window clipped: the part itself when nothing is cut, a view when something is, or null. */
function mergeSeries(parts: readonly MetricSeries[], fromMs: number, toMs: number): MetricSeries | null {
  const part = parts[0] as MetricSeries;
  const start = lowerBound(part.times, fromMs);
  const end = Math.max(start, lowerBound(part.times, toMs));
  if (end === start) return null;
  if (start === 0 && end === part.times.length) return part;
  return { ...part, times: part.times.subarray(start, end), values: part.values.subarray(start, end) };
}

/**
 * A series kept in its windows' pieces until its points are read. A stream holds every metric the upstream
 * sent, while an operation reads the few it selects: copying each one up front would cost what the whole
 * range weighs for every alias asking for it, before any output bound could see a single point (40 aliases
 * of one settled hour held 100 copies of it). Read once, the copy is kept for the other fields reading it.
 * Even each part's run is found only when first read: most of a stream's metrics are never read at all.
 */
class ConcatenatedSeries implements MetricSeries, PiecewiseColumns {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  #columns: { readonly times: Float64Array; readonly values: Float64Array } | null = null;
  #cuts: Cuts | null = null;

  constructor(
    private readonly parts: readonly MetricSeries[],
    private readonly fromMs: number,
    private readonly toMs: number,
  ) {
    const first = parts[0] as MetricSeries;
    this.name = first.name;
    this.description = first.description;
    this.unit = first.unit;
  }

  get total(): number {
    return this.#cut().total;
  }

  /**
   * This series, or an equal one made before of the same parts: a range keeping the same run of each part keeps
   * the same points, so it merges to the same series, whatever its exact bounds. A poll of the last hour moves
   * by less than the 10 s between points most of the time.
   */
  canonical(): ConcatenatedSeries {
    const last = lastMergedOfParts.get(this.parts);
    if (last === this) return this;
    if (last !== undefined && sameCuts(last.#cut(), this.#cut())) return last;
    lastMergedOfParts.set(this.parts, this);
    return this;
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
    const { starts, ends } = this.#cut();
    for (let p = 0; p < this.parts.length; p += 1) {
      const start = starts[p] as number;
      const end = ends[p] as number;
      if (end > start) each(this.parts[p] as MetricSeries, start, end);
    }
  }

  eachPiece(column: 'times' | 'values', each: PieceCallback): void {
    const { starts, ends } = this.#cut();
    for (let p = 0; p < this.parts.length; p += 1) {
      const start = starts[p] as number;
      const end = ends[p] as number;
      if (end > start && !each((this.parts[p] as MetricSeries)[column], start, end)) return;
    }
  }

  get values(): Float64Array {
    return this.#concatenated().values;
  }

  #concatenated() {
    if (this.#columns !== null) return this.#columns;
    const { starts, ends, total } = this.#cut();
    const times = new Float64Array(total);
    const values = new Float64Array(total);
    let offset = 0;
    for (let p = 0; p < this.parts.length; p += 1) {
      const part = this.parts[p] as MetricSeries;
      const start = starts[p] as number;
      const end = ends[p] as number;
      if (end === start) continue;
      times.set(part.times.subarray(start, end), offset);
      values.set(part.values.subarray(start, end), offset);
      offset += end - start;
    }
    this.#columns = { times, values };
    return this.#columns;
  }

  /** Each part's kept run, found by binary search so no point is visited twice. */
  #cut(): Cuts {
    if (this.#cuts !== null) return this.#cuts;
    const starts = new Array<number>(this.parts.length);
    const ends = new Array<number>(this.parts.length);
    let total = 0;
    let lastKeptMs = Number.NEGATIVE_INFINITY;
    for (let p = 0; p < this.parts.length; p += 1) {
      const { times } = this.parts[p] as MetricSeries;
      const length = times.length;
      // Most parts lie wholly inside the range, after what was kept: no search needed.
      const inside =
        length > 0 &&
        (times[0] as number) >= this.fromMs &&
        (times[0] as number) > lastKeptMs &&
        (times[length - 1] as number) < this.toMs;
      const start = inside ? 0 : firstIndexAfter(times, this.fromMs, lastKeptMs);
      const end = inside ? length : Math.max(start, lowerBound(times, this.toMs));
      starts[p] = start;
      ends[p] = end;
      if (end > start) {
        total += end - start;
        lastKeptMs = times[end - 1] as number;
      }
    }
    this.#cuts = { starts, ends, total };
    return this.#cuts;
  }
}

/** Where each part's kept run starts and ends, and how many points they keep. */
interface Cuts {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  readonly total: number;
}

const sameCuts = (a: Cuts, b: Cuts) =>
  a.total === b.total &&
  a.starts.every((start, p) => start === b.starts[p]) &&
  a.ends.every((end, p) => end === b.ends[p]);

/** The first index whose time is at or after `fromMs` and strictly after `lastKeptMs`. */
function firstIndexAfter(times: Float64Array, fromMs: number, lastKeptMs: number): number {
  return lastKeptMs >= fromMs ? upperBound(times, lastKeptMs) : lowerBound(times, fromMs);
}
