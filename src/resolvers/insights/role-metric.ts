/**
 * A stream's metric for a role (see config/metric-roles.ts), and the derived per-sample series the rules and
 * scores read: loss in percent, and the E-model's MOS where RTT, jitter and loss are sampled together.
 */
import type { MetricRole, MetricRoleNames } from '../../config/metric-roles.js';
import type { MetricSeries, StreamDetail } from '../../model/call-detail.js';
import { mosOfR, rFactor } from './e-model.js';

/** What a rule or a score reads: a metric, a role, or MOS (computed from RTT, jitter and loss). */
export type InsightInput =
  | { readonly metric: string }
  | { readonly role: MetricRole }
  | { readonly mos: true };

export interface InputSeries {
  readonly times: Float64Array;
  readonly values: Float64Array;
}

/** The input's series on this stream, or the roles it lacks (the metric's name when a named one is absent). */
export type InputLookup = { readonly series: InputSeries } | { readonly missing: readonly string[] };

export function roleMetric(
  stream: StreamDetail,
  role: MetricRole,
  roles: MetricRoleNames,
): MetricSeries | null {
  for (const name of roles[role][stream.direction]) {
    const metric = stream.metrics.find((candidate) => candidate.name === name);
    if (metric !== undefined) return metric;
  }
  return null;
}

export function inputSeries(stream: StreamDetail, input: InsightInput, roles: MetricRoleNames): InputLookup {
  if ('metric' in input) {
    const metric = stream.metrics.find((candidate) => candidate.name === input.metric);
    return metric === undefined ? { missing: [input.metric] } : { series: metric };
  }
  if ('role' in input) {
    const metric = roleMetric(stream, input.role, roles);
    if (metric === null) return { missing: [input.role] };
    return { series: input.role === 'PACKET_LOSS' ? lossInPercent(metric) : metric };
  }
  const rated = ratedSamples(stream, roles);
  if ('missing' in rated) return rated;
  return { series: { times: rated.series.times, values: rated.series.values.map(mosOfR) } };
}

/**
 * Loss in percent, as the E-model and the loss thresholds take it. A metric whose unit is not `%` is read as
 * a fraction (0..1), as `fraction_lost` is named.
 */
function lossInPercent(metric: MetricSeries): InputSeries {
  if (metric.unit === '%') return metric;
  return { times: metric.times, values: metric.values.map((value) => value * 100) };
}

/** The E-model's R (0..100) at every instant where RTT, jitter and loss all have a sample. */
export function ratedSamples(stream: StreamDetail, roles: MetricRoleNames): InputLookup {
  const rtt = roleMetric(stream, 'RTT', roles);
  const jitter = roleMetric(stream, 'JITTER', roles);
  const lossMetric = roleMetric(stream, 'PACKET_LOSS', roles);
  if (rtt === null || jitter === null || lossMetric === null) {
    const missing: MetricRole[] = [];
    if (rtt === null) missing.push('RTT');
    if (jitter === null) missing.push('JITTER');
    if (lossMetric === null) missing.push('PACKET_LOSS');
    return { missing };
  }
  const loss = lossInPercent(lossMetric);
  const times: number[] = [];
  const values: number[] = [];
  // The three series are each sorted by time: one merge walk finds the instants they share.
  let j = 0;
  let l = 0;
  for (let r = 0; r < rtt.times.length; r += 1) {
    const time = rtt.times[r] as number;
    while (j < jitter.times.length && (jitter.times[j] as number) < time) j += 1;
    while (l < loss.times.length && (loss.times[l] as number) < time) l += 1;
    if (jitter.times[j] !== time || loss.times[l] !== time) continue;
    times.push(time);
    values.push(
      rFactor({
        rttMs: rtt.values[r] as number,
        jitterMs: jitter.values[j] as number,
        lossPercent: loss.values[l] as number,
      }),
    );
  }
  return { series: { times: Float64Array.from(times), values: Float64Array.from(values) } };
}
