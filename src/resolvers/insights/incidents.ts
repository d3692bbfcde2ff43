/**
 * Finds the intervals where one stream's metric is out of bounds for long enough to matter: a threshold that
 * must hold in k of the last n samples (one bad sample is noise), or for at least a duration, and that clears
 * with hysteresis (a value hovering at the threshold does not open and close an incident every sample).
 */

export type Comparison = 'ABOVE' | 'BELOW';

export interface IncidentRule {
  readonly kind: string;
  readonly comparison: Comparison;
  /** A sample breaches when it is beyond this (strictly above, or strictly below). */
  readonly threshold: number;
  /**
   * While an incident is open a sample still counts as bad until it is back within this value; defaults to
   * `threshold` (no hysteresis). Above: at most `threshold`; below: at least.
   */
  readonly clearThreshold?: number;
  /** Opens when `k` of the last `n` samples breach. */
  readonly sustain: { readonly k: number; readonly n: number } | { readonly seconds: number };
}

export interface Incident {
  readonly kind: string;
  /** Unix ms of the first bad sample. */
  readonly startMs: number;
  /**
   * Unix ms of the first sample back within bounds after the last bad one; of the last bad sample when the
   * data ends, or breaks off, while the incident is open.
   */
  readonly endMs: number;
  /** The worst value inside the incident: the highest for ABOVE, the lowest for BELOW. */
  readonly peak: number;
  readonly threshold: number;
}

interface Sample {
  readonly timeMs: number;
  readonly value: number;
}

/**
 * `times` strictly increasing, `values` of the same length. Samples further apart than `maxGapMs` are a break
 * in the data: an incident open across it ends at its last bad sample, and counting starts afresh.
 */
export function detectIncidents(
  times: Float64Array,
  values: Float64Array,
  rule: IncidentRule,
  maxGapMs: number,
): Incident[] {
  const clear = rule.clearThreshold ?? rule.threshold;
  const beyond = (bound: number) => (sample: Sample) =>
    rule.comparison === 'ABOVE' ? sample.value > bound : sample.value < bound;
  const breaches = beyond(rule.threshold);
  const staysBad = beyond(clear);
  const worse = (a: number, b: number) => (rule.comparison === 'ABOVE' ? Math.max(a, b) : Math.min(a, b));
  const { sustain } = rule;
  const incidents: Incident[] = [];
  // The last n samples for a k-of-n rule; the current run of breaching samples for a duration rule.
  let recent: Sample[] = [];
  let open: OpenIncident | null = null;

  const close = (incident: OpenIncident) => {
    const endMs = incident.recoveredMs ?? incident.lastBadMs;
    incidents.push({
      kind: rule.kind,
      startMs: incident.startMs,
      endMs,
      peak: incident.peak,
      threshold: rule.threshold,
    });
    open = null;
    recent = [];
  };

  for (let index = 0; index < times.length; index += 1) {
    const sample: Sample = { timeMs: times[index] as number, value: values[index] as number };
    const previous = recent.at(-1);
    if (previous !== undefined && sample.timeMs - previous.timeMs > maxGapMs) {
      if (open !== null) close({ ...open, recoveredMs: null });
      recent = [];
    }
    if (open !== null) {
      recent.push(sample);
      if ('k' in sustain && recent.length > sustain.n) recent.shift();
      if (staysBad(sample)) {
        open.peak = worse(open.peak, sample.value);
        open.lastBadMs = sample.timeMs;
        open.recoveredMs = null;
      } else {
        open.recoveredMs ??= sample.timeMs;
        // A k-of-n rule closes once the window no longer holds k bad samples; a duration rule at once.
        if (!('k' in sustain) || recent.filter(staysBad).length < sustain.k) close(open);
      }
      continue;
    }
    if ('k' in sustain) {
      recent.push(sample);
      if (recent.length > sustain.n) recent.shift();
      const breaching = recent.filter(breaches);
      if (breaches(sample) && breaching.length >= sustain.k) open = opened(breaching);
    } else {
      // A duration rule counts consecutive breaching samples: one good sample restarts it.
      recent = breaches(sample) ? [...recent, sample] : [];
      const first = recent[0];
      if (first !== undefined && sample.timeMs - first.timeMs >= sustain.seconds * 1000)
        open = opened(recent);
    }
  }
  const last: OpenIncident | null = open;
  if (last !== null) close({ ...last, recoveredMs: null });
  return incidents;

  function opened(breaching: readonly Sample[]): OpenIncident {
    const first = breaching[0] as Sample;
    const latest = breaching.at(-1) as Sample;
    const peak = breaching.reduce((worst, sample) => worse(worst, sample.value), first.value);
    return { startMs: first.timeMs, peak, lastBadMs: latest.timeMs, recoveredMs: null };
  }
}

interface OpenIncident {
  readonly startMs: number;
  peak: number;
  lastBadMs: number;
  /** The first sample back within bounds since the last bad one, while the rule waits to close. */
  recoveredMs: number | null;
}
