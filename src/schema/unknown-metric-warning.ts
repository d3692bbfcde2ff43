import type { GatewayContext } from './context.js';
import type { WarningCheck } from './warnings.js';

/**
 * UNKNOWN_METRIC: names asked of `metrics(names:)` or `metric(name:)` that no stream of the answer has. Not an
 * error: the data is still right (those metrics are empty), and a name missing here may exist elsewhere.
 */
export const unknownMetricWarning: WarningCheck<Pick<GatewayContext, 'metricNames'>> = (context) => {
  const unknown = context.metricNames.unknown();
  if (unknown === null) return null;
  const hints = unknown.names.map((name) => {
    const [first, ...rest] = unknown.suggestions[name] ?? [];
    if (first === undefined) return `"${name}"`;
    return `"${name}" (did you mean ${[first, ...rest].map((s) => `"${s}"`).join(' or ')}?)`;
  });
  return {
    code: 'UNKNOWN_METRIC',
    message:
      `No stream of this answer has the metric ${hints.join(', ')}; ` +
      'UserCallQuality.metricNames lists the names there are.',
    names: unknown.names,
    suggestions: unknown.suggestions,
  };
};
