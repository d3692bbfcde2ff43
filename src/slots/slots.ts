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

/**
 * How near the present an instant must be for the upstream to hold nothing after it yet: its data arrives about
 * 100 s late, so nothing of the last few seconds exists. Generous enough for a client whose clock runs a few
 * seconds behind the gateway's.
 */
const PRESENT_MS = 5_000;

/** Whether the upstream can hold no data after `timeMs` at `nowMs` (see PRESENT_MS). */
export function reachesPresent(timeMs: number, nowMs: number): boolean {
  return timeMs >= nowMs - PRESENT_MS;
}

/** The slot length and the settle time: together they decide what can no longer change. */
export interface SlotTiming {
  readonly slotMs: number;
  /** Upstream latency plus margin: a slot this long past its end is immutable. */
  readonly settleMs: number;
}

/**
 * Whether an answer for a range ending at `toMs` can never change: every slot behind it is immutable (the
 * source then serves only entries fetched after their slot settled). The rule of `final` and of the response
 * cache, so that neither trusts what the window cache would not keep for good.
 */
export function isRangeSettled(toMs: number, nowMs: number, timing: SlotTiming): boolean {
  return isSlotImmutable(slotStartOf(toMs - 1, timing.slotMs), timing.slotMs, nowMs, timing.settleMs);
}
