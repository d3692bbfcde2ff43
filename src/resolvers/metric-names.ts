/**
 * Which metrics a user's streams have, and which asked-for names none of them has. Names are the upstream's
 * own and not a fixed list, so a misspelt name cannot be refused by the schema; it is told apart from a
 * metric that is merely missing here by looking at every stream the operation answered with.
 */
import type { MetricSeries, StreamDetail } from '../model/call-detail.js';
import { closestNames } from './edit-distance.js';

/**
 * Each metric name once, as the first stream having it describes it, in upstream order (the streams' order,
 * then each stream's own): the same order as the series of a chart built from `streams`.
 */
export function distinctMetrics(streams: readonly StreamDetail[]): MetricSeries[] {
  const seen = new Map<string, MetricSeries>();
  for (const stream of streams) {
    for (const metric of stream.metrics) {
      if (!seen.has(metric.name)) seen.set(metric.name, metric);
    }
  }
  return [...seen.values()];
}

/** Names asked for that no stream of the operation has, each with the closest known names. */
export interface UnknownMetrics {
  /** In the order first asked. */
  readonly names: readonly string[];
  /** For each unknown name, the closest known ones (possibly none), best first. */
  readonly suggestions: Readonly<Record<string, readonly string[]>>;
}

/**
 * One per operation: every name asked of a stream and every name a stream that was asked had. Deciding per
 * stream would call `Rtt` unknown on a stream that lacks it while a sibling stream has it.
 */
export class MetricNameUse {
  private readonly asked = new Set<string>();
  /**
   * The metrics of every stream asked for names, each list once: their names matter only once some name is
   * unknown, and adding them all up front cost a Set insertion per metric of each of a poll's 260 streams.
   */
  private readonly streamsAsked = new Set<readonly MetricSeries[]>();
  /** The names last noted: an operation asks every stream for the same argument, one array. */
  private lastNames: readonly string[] | undefined;

  /** A stream was asked for `names` (null: for all of its metrics, which asks for no name). */
  note(names: readonly string[] | null | undefined, metrics: readonly MetricSeries[]): void {
    if (names === null || names === undefined) return;
    if (names !== this.lastNames) {
      for (const name of names) this.asked.add(name);
      this.lastNames = names;
    }
    this.streamsAsked.add(metrics);
  }

  /** Null when every name asked exists on some stream asked (or no stream was asked for a name at all). */
  unknown(): UnknownMetrics | null {
    const known = new Set<string>();
    for (const metrics of this.streamsAsked) for (const metric of metrics) known.add(metric.name);
    const names = [...this.asked].filter((name) => !known.has(name));
    if (names.length === 0) return null;
    const knownNames = [...known];
    // fromEntries defines own properties: a name such as `__proto__` stays a key, not a prototype.
    const suggestions = Object.fromEntries(names.map((name) => [name, closestNames(name, knownNames)]));
    return { names, suggestions };
  }
}
