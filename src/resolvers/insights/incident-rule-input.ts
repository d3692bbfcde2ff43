/**
 * Incident rules as a client writes them in a query, checked and turned into the detector's rules. Every
 * problem names the rule by its index, the field at fault and the fix.
 */
import type { MetricRole } from '../../config/metric-roles.js';
import { InvalidArgumentError } from '../../errors/invalid-argument.js';
import type { StreamDirection } from '../../model/call-detail.js';
import type { Comparison } from './incidents.js';
import type { StreamIncidentRule } from './stream-incidents.js';

export interface IncidentRuleInput {
  readonly kind: string;
  readonly metric?: string | null;
  /** A metric role, or `MOS` for the E-model's score computed from RTT, jitter and loss. */
  readonly role?: MetricRole | 'MOS' | null;
  readonly direction?: StreamDirection | null;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly clearThreshold?: number | null;
  readonly breaching?: number | null;
  readonly samples?: number | null;
  readonly seconds?: number | null;
}

/** More rules than a dashboard shows kinds of trouble, and the cost of judging them stays small. */
export const MAX_RULES = 20;
const MAX_SAMPLES = 360;
const MAX_SECONDS = 3600;

export function incidentRules(inputs: readonly IncidentRuleInput[]): StreamIncidentRule[] {
  if (inputs.length > MAX_RULES) {
    throw new InvalidArgumentError(
      'rules',
      `\`rules\` may hold at most ${MAX_RULES} rules, got ${inputs.length}`,
    );
  }
  return inputs.map((input, index) => incidentRule(input, `rules[${index}]`));
}

function incidentRule(input: IncidentRuleInput, at: string): StreamIncidentRule {
  const fail = (field: string, message: string): never => {
    throw new InvalidArgumentError(`${at}.${field}`, `\`${at}.${field}\` ${message}`);
  };
  const kind = input.kind.trim();
  if (kind === '' || kind.length > 64) fail('kind', 'must be a name of 1 to 64 characters, e.g. "HIGH_RTT"');
  const hasMetric = input.metric !== undefined && input.metric !== null;
  const hasRole = input.role !== undefined && input.role !== null;
  if (hasMetric === hasRole)
    fail(hasMetric ? 'role' : 'metric', 'or `role` must be given, and only one of them');
  if (!Number.isFinite(input.threshold)) fail('threshold', 'must be a finite number');
  const clearThreshold = input.clearThreshold ?? undefined;
  if (clearThreshold !== undefined) {
    const inside =
      input.comparison === 'ABOVE' ? clearThreshold <= input.threshold : clearThreshold >= input.threshold;
    if (!inside) {
      fail(
        'clearThreshold',
        `must be on the healthy side of \`threshold\` (${input.comparison === 'ABOVE' ? 'at most' : 'at least'} ${input.threshold}), so an incident can clear`,
      );
    }
  }
  const base = {
    kind,
    input: hasMetric
      ? { metric: input.metric as string }
      : input.role === 'MOS'
        ? { mos: true as const }
        : { role: input.role as MetricRole },
    ...(input.direction ? { direction: input.direction } : {}),
    comparison: input.comparison,
    threshold: input.threshold,
    ...(clearThreshold !== undefined ? { clearThreshold } : {}),
  };
  const { breaching, samples, seconds } = input;
  if (seconds !== undefined && seconds !== null) {
    if (breaching != null || samples != null)
      fail('seconds', 'cannot be combined with `breaching` and `samples`');
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_SECONDS) {
      fail('seconds', `must be a whole number of seconds from 1 to ${MAX_SECONDS}`);
    }
    return { ...base, sustain: { seconds: seconds as number } };
  }
  const n = samples ?? 1;
  const k = breaching ?? n;
  if (!Number.isInteger(n) || n < 1 || n > MAX_SAMPLES)
    fail('samples', `must be a whole number from 1 to ${MAX_SAMPLES}`);
  if (!Number.isInteger(k) || k < 1 || k > n)
    fail('breaching', `must be a whole number from 1 to \`samples\` (${n})`);
  return { ...base, sustain: { k, n } };
}
