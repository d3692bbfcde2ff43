import { FRAME_SIGNIFICANT_DIGITS, roundValue } from '../resolvers/frame.js';
import { DEFAULT_INCIDENT_RULES } from '../resolvers/insights/default-incident-rules.js';
import type { StreamIncident } from '../resolvers/insights/stream-incidents.js';
import { builder } from './builder.js';
import { DateTime } from './date-time.js';
import { Direction } from './direction.js';

export const MetricRole = builder.enumType('MetricRole', {
  description:
    'The part a metric plays in quality insights, whatever the upstream calls it (METRIC_ROLES maps names to ' +
    'roles), or MOS, computed from RTT, jitter and loss.',
  values: {
    RTT: { description: 'Round-trip time, ms.' },
    JITTER: { description: 'Jitter, ms.' },
    PACKET_LOSS: {
      description: 'Packet loss, percent (a metric whose unit is not `%` is read as a fraction).',
    },
    FREEZE: { description: 'Time a receiving video stream spent frozen in a sampling period, ms.' },
    BITRATE: { description: 'Video bitrate.' },
    FRAME_RATE: { description: 'Video frame rate.' },
    MOS: { description: 'The E-model’s mean opinion score (1 to 4.5), from RTT, jitter and loss.' },
  } as const,
});

export const Comparison = builder.enumType('Comparison', {
  description: 'Which side of the threshold is trouble.',
  values: {
    ABOVE: { description: 'Values strictly above the threshold breach it.' },
    BELOW: { description: 'Values strictly below the threshold breach it.' },
  } as const,
});

const defaults = DEFAULT_INCIDENT_RULES.map((rule) => {
  const input = 'metric' in rule.input ? rule.input.metric : 'role' in rule.input ? rule.input.role : 'MOS';
  const sustain =
    'k' in rule.sustain ? `${rule.sustain.k} of ${rule.sustain.n} samples` : `${rule.sustain.seconds} s`;
  return `${rule.kind}: ${input} ${rule.comparison.toLowerCase()} ${rule.threshold} in ${sustain}`;
});

export const IncidentRuleInput = builder.inputType('IncidentRuleInput', {
  description:
    'When a stream is in trouble: its metric (or role) beyond a threshold in `breaching` of the last `samples` ' +
    'samples, or for `seconds` on end; it clears once back within `clearThreshold` (hysteresis).',
  fields: (t) => ({
    kind: t.string({ description: 'The name incidents of this rule carry, e.g. "HIGH_RTT".' }),
    metric: t.string({ required: false, description: 'An upstream metric name; give this or `role`.' }),
    role: t.field({
      type: MetricRole,
      required: false,
      description: 'A metric role; give this or `metric`.',
    }),
    direction: t.field({
      type: Direction,
      required: false,
      description: 'Judge only streams of this direction; both when omitted.',
    }),
    comparison: t.field({ type: Comparison, description: 'ABOVE or BELOW the threshold is trouble.' }),
    threshold: t.float({ description: 'In the metric’s unit (the role’s, for a role).' }),
    clearThreshold: t.float({
      required: false,
      description: 'While open, a sample counts as bad until back within this; default `threshold`.',
    }),
    breaching: t.int({
      required: false,
      description: 'How many of the last `samples` must breach (default all).',
    }),
    samples: t.int({ required: false, description: 'The window of samples, 1 to 360 (default 1).' }),
    seconds: t.int({
      required: false,
      description: 'Instead of samples: breaching on end for at least this long, 1 to 3600.',
    }),
  }),
});

export const RULES_DESCRIPTION =
  `The rules to judge by, at most 20; omitted: the defaults (${defaults.join('; ')}). A rule whose input a ` +
  'stream lacks is not applied to it, and an UNJUDGED_INCIDENT_RULE warning says so.';

export const Incident = builder.objectRef<StreamIncident>('Incident').implement({
  description: 'An interval where a rule held on a stream.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'The rule’s kind, e.g. HIGH_RTT.' }),
    metric: t.exposeString('metric', { description: 'The metric the rule read, or MOS.' }),
    direction: t.field({
      type: Direction,
      description: 'The direction of the stream it happened on.',
      resolve: (i) => i.direction,
    }),
    peerId: t.exposeID('peerId', {
      nullable: true,
      description: 'The sending peer of that stream, when it is a DOWN stream.',
    }),
    start: t.field({ type: DateTime, description: 'The first bad sample.', resolve: (i) => i.startMs }),
    end: t.field({
      type: DateTime,
      description:
        'The first sample back within bounds after the last bad one; the last bad sample when the data ends ' +
        'or breaks off first.',
      resolve: (i) => i.endMs,
    }),
    peak: t.float({
      description: `The worst value inside the incident, to ${FRAME_SIGNIFICANT_DIGITS} significant digits.`,
      resolve: (i) => roundValue(i.peak),
    }),
    threshold: t.exposeFloat('threshold', { description: 'The threshold that fired.' }),
  }),
});
