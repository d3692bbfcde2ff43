/**
 * Choosing streams and metrics from fetched data. This happens in the gateway, not upstream: the upstream
 * filters only by direction, and asking for other metrics of a window already fetched should cost nothing.
 */
import type { MetricSeries, StreamDetail, StreamDirection } from '../model/call-detail.js';
import { sameItems } from '../model/same-items.js';

/** Optional stream filters; null or absent means "any". */
export interface StreamFilter {
  readonly direction?: StreamDirection | null;
  /** Keeps only DOWN streams from this sending peer (UP streams have no peer). */
  readonly peerId?: string | null;
}

/** The streams matching every given filter, in their original order; the input itself when none is given. */
export function selectStreams(
  streams: readonly StreamDetail[],
  filter: StreamFilter,
): readonly StreamDetail[] {
  const direction = filter.direction ?? null;
  const peerId = filter.peerId ?? null;
  if (direction === null && peerId === null) return streams;
  return streams.filter(
    (stream) =>
      (direction === null || stream.direction === direction) && (peerId === null || stream.peerId === peerId),
  );
}

/**
 * All metrics, or only those named, always in upstream order (not the order of `names`, so that a chart's
 * series keep a stable order whatever the query says). Unknown names are skipped here: the metric set is not
 * an enum, and a metric missing for one stream may exist for another, so whether a name is unknown is decided
 * once for the whole operation (MetricNameUse in metric-names.ts).
 */
export function selectMetrics(
  metrics: readonly MetricSeries[],
  names?: readonly string[] | null,
): readonly MetricSeries[] {
  if (names === null || names === undefined) return metrics;
  const last = selections.get(metrics);
  if (last !== undefined && sameItems(last.names, names)) return last.selected;
  const wanted = new Set(names);
  const selected = metrics.filter((metric) => wanted.has(metric.name));
  selections.set(metrics, { names, selected });
  return selected;
}

/**
 * Per metrics list (a stream's, kept between polls), the last selection made of it: a dashboard asks every
 * poll for the same names of the same 260 streams.
 */
const selections = new WeakMap<
  readonly MetricSeries[],
  { readonly names: readonly string[]; readonly selected: readonly MetricSeries[] }
>();

/** The metric with this name, or null when the stream has none. */
export function findMetric(metrics: readonly MetricSeries[], name: string): MetricSeries | null {
  return metrics.find((metric) => metric.name === name) ?? null;
}
