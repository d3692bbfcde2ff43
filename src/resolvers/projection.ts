/**
 * Choosing streams and metrics from fetched data. This happens in the gateway, not upstream: the upstream
 * filters only by direction, and asking for other metrics of a window already fetched should cost nothing.
 */
import type { MetricSeries, StreamDetail, StreamDirection } from '../model/call-detail.js';

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
  let wanted = wantedNames.get(names);
  if (wanted === undefined) {
    wanted = new Set(names);
    wantedNames.set(names, wanted);
  }
  return metrics.filter((metric) => (wanted as Set<string>).has(metric.name));
}

/**
 * Per list of names: an operation's argument is one array for every stream it is asked of when the fast path
 * prints the streams (schema/streams-plan.ts keeps arguments per operation), 240 for a 20-user dashboard.
 */
const wantedNames = new WeakMap<readonly string[], Set<string>>();

/** The metric with this name, or null when the stream has none. */
export function findMetric(metrics: readonly MetricSeries[], name: string): MetricSeries | null {
  return metrics.find((metric) => metric.name === name) ?? null;
}
