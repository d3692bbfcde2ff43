/**
 * Slots: aligned blocks of time (default 5 minutes) that the window cache stores and the planner fetches.
 * Aligning to the Unix epoch makes every client's "last 15 minutes" land on the same slots, so they share
 * cache entries and in-flight fetches.
 */

export function slotStartOf(timeMs: number, slotMs: number): number {
  return Math.floor(timeMs / slotMs) * slotMs;
}

/** Starts of the slots that cover `[fromMs, toMs)`, in time order. */
export function slotsCovering(fromMs: number, toMs: number, slotMs: number): number[] {
  const starts: number[] = [];
  for (let start = slotStartOf(fromMs, slotMs); start < toMs; start += slotMs) starts.push(start);
  return starts;
}

/**
 * A slot can no longer change once the upstream's latency (and a margin for its bad days) has passed since
 * its end: only then may it be cached without expiry.
 */
export function isSlotImmutable(
  slotStartMs: number,
  slotMs: number,
  nowMs: number,
  settleMs: number,
): boolean {
  return slotStartMs + slotMs <= nowMs - settleMs;
}
