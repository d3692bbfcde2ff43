/**
 * How long browsers and CDNs may reuse a settled answer: never past the moment its earliest range leaves what
 * the gateway can serve (the upstream's 6-day retention, or the archive's ARCHIVE_RETENTION_DAYS when there is
 * one: after it, the same GET must be refused like any other spelling of that range), and never past the
 * operator's cap.
 */

/**
 * Whole seconds of `max-age` for an answer whose ranges start at `earliestFromMs` at the earliest (infinite: it
 * asked for none); 0 when it must not be reused at all.
 */
export function settledMaxAgeSeconds(
  earliestFromMs: number,
  nowMs: number,
  capSeconds: number,
  retentionMs: number,
): number {
  const servableMs = Number.isFinite(earliestFromMs)
    ? earliestFromMs + retentionMs - nowMs
    : Number.POSITIVE_INFINITY;
  return Math.max(0, Math.floor(Math.min(servableMs / 1000, capSeconds)));
}
