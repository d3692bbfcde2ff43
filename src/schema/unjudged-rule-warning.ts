import type { UnjudgedRule } from '../resolvers/insights/stream-incidents.js';
import type { GatewayContext } from './context.js';
import type { Warning } from './warnings.js';

/**
 * UNJUDGED_INCIDENT_RULE: a rule that a stream lacks the input for was not applied to it, so an empty
 * `incidents` there does not mean healthy. One warning per rule and missing input, counting the streams.
 */
export function noteUnjudgedRules(
  context: Pick<GatewayContext, 'warnings'>,
  unjudged: readonly UnjudgedRule[],
): void {
  for (const rule of unjudged) {
    const missing = rule.missing.join(', ');
    const index = context.warnings.findIndex(
      (warning) =>
        warning.code === 'UNJUDGED_INCIDENT_RULE' &&
        warning.kind === rule.kind &&
        String(warning.missing) === String(rule.missing),
    );
    const streams = index === -1 ? 1 : Number(context.warnings[index]?.streams) + 1;
    const warning: Warning = {
      code: 'UNJUDGED_INCIDENT_RULE',
      message:
        `The incident rule ${rule.kind} was not applied to ${streams} stream${streams === 1 ? '' : 's'} ` +
        `without ${missing}: an empty \`incidents\` there does not mean healthy (METRIC_ROLES maps metric ` +
        'names to roles).',
      kind: rule.kind,
      missing: rule.missing,
      streams,
    };
    if (index === -1) context.warnings.push(warning);
    else context.warnings[index] = warning;
  }
}
