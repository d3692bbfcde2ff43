import type { StreamDetail } from '../model/call-detail.js';
import { DEFAULT_INCIDENT_RULES } from '../resolvers/insights/default-incident-rules.js';
import { incidentRules } from '../resolvers/insights/incident-rule-input.js';
import { streamIncidents } from '../resolvers/insights/stream-incidents.js';
import { streamQuality } from '../resolvers/insights/stream-quality.js';
import { findMetric, selectMetrics } from '../resolvers/projection.js';
import { builder } from './builder.js';
import type { GatewayContext } from './context.js';
import { Direction } from './direction.js';
import { Incident, IncidentRuleInput, RULES_DESCRIPTION } from './incident.js';
import { Metric } from './metric.js';
import { StreamQuality } from './stream-quality.js';
import { noteUnjudgedRules } from './unjudged-rule-warning.js';

/**
 * What asking a stream for its metrics does beside answering, all of it (the streams printer replays it for
 * streams it found printed, schema/streams-printer.ts): past the output budget the answer is refused anyway, so
 * no more metrics are completed for it; the names asked are noted for the UNKNOWN_METRIC warning.
 */
export function askMetrics(
  stream: StreamDetail,
  names: readonly string[] | null | undefined,
  context: Pick<GatewayContext, 'output' | 'metricNames'>,
): void {
  context.output.check();
  context.metricNames.note(names, stream.metrics);
}

export const Stream = builder.objectRef<StreamDetail>('Stream').implement({
  description:
    'The metrics of one media stream of a user: what it sends (UP), or what it receives from one peer (DOWN).',
  fields: (t) => ({
    direction: t.expose('direction', {
      type: Direction,
      description: 'UP: sent by the user; DOWN: received.',
    }),
    peerId: t.exposeID('peerId', {
      nullable: true,
      description: 'The sending peer of a DOWN stream; null for UP.',
    }),
    metrics: t.field({
      type: [Metric],
      description:
        'All metrics, or those named, in upstream order. A name no stream of the answer has is skipped here ' +
        'and named in an UNKNOWN_METRIC warning (`extensions.warnings`), with the closest known names.',
      args: {
        names: t.arg.stringList({ required: false, description: 'Metric names to keep, e.g. ["Rtt"].' }),
      },
      resolve: (stream, args, context) => {
        askMetrics(stream, args.names, context);
        return selectMetrics(stream.metrics, args.names);
      },
    }),
    metric: t.field({
      type: Metric,
      nullable: true,
      description:
        'One metric by name; null when this stream has no such metric (an UNKNOWN_METRIC warning in ' +
        '`extensions.warnings` when no stream of the answer has it).',
      args: { name: t.arg.string({ description: 'The metric name, e.g. "VideoSendBitrate".' }) },
      resolve: (stream, args, context) => {
        context.output.check();
        context.metricNames.note([args.name], stream.metrics);
        return findMetric(stream.metrics, args.name);
      },
    }),
    incidents: t.field({
      type: [Incident],
      description: 'Intervals where the stream was in trouble by the rules, in order of their start.',
      args: { rules: t.arg({ type: [IncidentRuleInput], required: false, description: RULES_DESCRIPTION }) },
      resolve: (stream, args, context) => {
        const rules = args.rules ? incidentRules(args.rules) : DEFAULT_INCIDENT_RULES;
        const judged = streamIncidents(stream, rules, context.metricRoles);
        noteUnjudgedRules(context, judged.unjudged);
        return judged.incidents;
      },
    }),
    quality: t.field({
      type: StreamQuality,
      description: 'A quality score and MOS by the E-model, over the range and per bucket.',
      resolve: (stream, _args, context) => streamQuality(stream, context.metricRoles),
    }),
  }),
});
