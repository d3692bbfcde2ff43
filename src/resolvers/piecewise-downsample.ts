/**
 * Downsampling a merged series slot by slot, each whole slot's buckets kept between requests: a live
 * dashboard's `series(step: 60)` over the last hour asks the same settled slots every poll, and only the first
 * and last, cut by the moving range, change. Epoch-aligned buckets that never straddle two slots (every step
 * dividing the slot, the usual case) make the slots' downsampled points, one after the other, exactly the
 * whole series' (checked on every call: where a bucket would straddle, the series is downsampled whole).
 */
import { LRUCache } from 'lru-cache';
import type { MetricSeries } from '../model/call-detail.js';
import { markSlotData } from '../slots/column-text.js';
import type { Aggregate } from './aggregate.js';
import { JoinedColumns } from './column-pieces.js';
import { downsample, type PointColumns } from './downsample.js';
import { isMergedSeries, type MergedSeries } from './merge-windows.js';

/** Two Float64Arrays with their buffers, the entry object and lru-cache's bookkeeping, beyond the numbers. */
const KEPT_BYTES = 2 * 208 + 120;
const DOWNSAMPLINGS_PER_SERIES = 8;

interface Kept {
  readonly stepSeconds: number;
  readonly kind: Aggregate;
  readonly columns: PointColumns;
}

export interface SlotDownsamples {
  /** `downsample(series, stepSeconds, kind)`, made of kept per-slot points where the series allows. */
  downsample(series: MetricSeries, stepSeconds: number, kind: Aggregate): PointColumns;
  stats(): {
    readonly hits: number;
    readonly misses: number;
    readonly bytes: number;
    readonly entries: number;
  };
}

export function createSlotDownsamples(options: { readonly maxBytes: number }): SlotDownsamples {
  let hits = 0;
  let misses = 0;
  // Keyed by a slot's decoded series (kept, so the same object every poll: see slots/decoded-entries.ts); one
  // step and aggregate per slot, the dashboard's.
  const lru = new LRUCache<MetricSeries, Kept>({
    maxSize: Math.max(1, options.maxBytes),
    sizeCalculation: (kept) => KEPT_BYTES + kept.columns.times.byteLength + kept.columns.values.byteLength,
  });

  // Per merged series, its downsamplings: a poll keeping the same points gets the same series object (see
  // canonicalSeries), and with it what the poll before made of it. Weakly held, as the series is; only its
  // first and last slots' points are made for it, the rest are the slots' kept points. A few steps and
  // aggregates each, since a chart may ask several of one metric (an average line and a maximum band).
  const ofSeries = new WeakMap<MetricSeries, Kept[]>();

  function wholePart(part: MetricSeries, stepSeconds: number, kind: Aggregate): PointColumns {
    const kept = lru.get(part);
    if (kept !== undefined && kept.stepSeconds === stepSeconds && kept.kind === kind) {
      hits += 1;
      return kept.columns;
    }
    misses += 1;
    const columns = downsample(part, stepSeconds, kind);
    // Kept, so its text may be kept too (slots/column-text.ts).
    markSlotData(columns.times);
    markSlotData(columns.values);
    lru.set(part, { stepSeconds, kind, columns });
    return columns;
  }

  function downsampleParts(series: MergedSeries, stepSeconds: number, kind: Aggregate): PointColumns {
    const stepMs = stepSeconds * 1000;
    const runs: Array<{ part: MetricSeries; from: number; to: number }> = [];
    let straddles = false;
    let lastBucket = Number.NEGATIVE_INFINITY;
    series.eachPart((part, from, to) => {
      if (Math.floor((part.times[from] as number) / stepMs) === lastBucket) straddles = true;
      lastBucket = Math.floor((part.times[to - 1] as number) / stepMs);
      runs.push({ part, from, to });
    });
    if (straddles) return downsample(series, stepSeconds, kind);
    return new JoinedColumns(
      runs.map(({ part, from, to }) =>
        from === 0 && to === part.times.length
          ? wholePart(part, stepSeconds, kind)
          : downsample(
              { times: part.times.subarray(from, to), values: part.values.subarray(from, to) },
              stepSeconds,
              kind,
            ),
      ),
    );
  }

  return {
    downsample(series, stepSeconds, kind) {
      if (!isMergedSeries(series)) return downsample(series, stepSeconds, kind);
      const made = ofSeries.get(series) ?? [];
      const found = made.find((kept) => kept.stepSeconds === stepSeconds && kept.kind === kind);
      if (found !== undefined) {
        hits += 1;
        return found.columns;
      }
      const columns = downsampleParts(series, stepSeconds, kind);
      ofSeries.set(series, [{ stepSeconds, kind, columns }, ...made.slice(0, DOWNSAMPLINGS_PER_SERIES - 1)]);
      return columns;
    },
    stats: () => ({ hits, misses, bytes: lru.calculatedSize, entries: lru.size }),
  };
}
