/**
 * With an archive, the parts of slots older than the upstream's retention: never fetched (the upstream no
 * longer has them), so they come from the stores or the request is told what is not archived.
 */
import type { MissingSlot } from './source-state.js';

/**
 * How far inside the upstream's retention a part of a slot must start to be fetched: more than the upstream
 * client keeps its own calls inside the edge, so a call the source plans is never cut short there.
 */
const PAST_RETENTION_MARGIN_MS = 10_000;

/** Where the part of slots never fetched ends (whole seconds, as calls start); -Infinity without an archive. */
export function pastRetentionEdge(upstreamRetentionMs: number | undefined, nowMs: number): number {
  if (upstreamRetentionMs === undefined) return Number.NEGATIVE_INFINITY;
  return Math.ceil((nowMs - upstreamRetentionMs + PAST_RETENTION_MARGIN_MS) / 1000) * 1000;
}

/** Keeps only what the upstream still has of the needs left after the second-level stores. */
export function dropPastRetention(missing: Map<string, MissingSlot>, edgeMs: number): void {
  for (const slot of missing.values()) {
    slot.needs = slot.needs.flatMap((need) =>
      need.toMs <= edgeMs ? [] : [{ ...need, fromMs: Math.max(need.fromMs, edgeMs) }],
    );
  }
}
