/**
 * The incidents of one stream under a set of rules, and the rules it could not be judged by (a stream without
 * the metric a rule reads says so rather than passing as healthy).
 */
import type { MetricRoleNames } from '../../config/metric-roles.js';
import type { StreamDetail, StreamDirection } from '../../model/call-detail.js';
import { detectIncidents, type Incident, type IncidentRule } from './incidents.js';
import { type InsightInput, inputSeries, roleMetric } from './role-metric.js';

export interface StreamIncidentRule extends IncidentRule {
  readonly input: InsightInput;
  /** Only streams of this direction are judged by the rule; both when absent. */
  readonly direction?: StreamDirection;
}

export interface StreamIncident extends Incident {
  /** What the rule read: the metric's name, or `MOS`. */
  readonly metric: string;
  /** The stream it happened on. */
  readonly direction: StreamDirection;
  readonly peerId: string | null;
}

export interface UnjudgedRule {
  readonly kind: string;
  /** The roles, or the metric name, the stream lacks. */
  readonly missing: readonly string[];
}

export interface StreamIncidents {
  /** In order of their start. */
  readonly incidents: readonly StreamIncident[];
  readonly unjudged: readonly UnjudgedRule[];
}

/** Samples further apart than this many of the stream's sampling intervals are a break in the data. */
const GAP_INTERVALS = 3;

export function streamIncidents(
  stream: StreamDetail,
  rules: readonly StreamIncidentRule[],
  roles: MetricRoleNames,
): StreamIncidents {
  const incidents: StreamIncident[] = [];
  const unjudged: UnjudgedRule[] = [];
  for (const rule of rules) {
    if (rule.direction !== undefined && rule.direction !== stream.direction) continue;
    const lookup = inputSeries(stream, rule.input, roles);
    if ('missing' in lookup) {
      unjudged.push({ kind: rule.kind, missing: lookup.missing });
      continue;
    }
    const { times, values } = lookup.series;
    const metric = metricLabel(stream, rule.input, roles);
    const maxGapMs = GAP_INTERVALS * samplingIntervalMs(times);
    const { direction, peerId } = stream;
    for (const incident of detectIncidents(times, values, rule, maxGapMs)) {
      incidents.push({ ...incident, metric, direction, peerId });
    }
  }
  incidents.sort((a, b) => a.startMs - b.startMs);
  return { incidents, unjudged };
}

function metricLabel(stream: StreamDetail, input: InsightInput, roles: MetricRoleNames): string {
  if ('metric' in input) return input.metric;
  if ('mos' in input) return 'MOS';
  return roleMetric(stream, input.role, roles)?.name ?? input.role;
}

/** The shortest step between two samples: the sampling interval, where a gap can only be longer. */
function samplingIntervalMs(times: Float64Array): number {
  let shortest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < times.length; i += 1)
    shortest = Math.min(shortest, (times[i] as number) - (times[i - 1] as number));
  return Number.isFinite(shortest) ? shortest : 0;
}
