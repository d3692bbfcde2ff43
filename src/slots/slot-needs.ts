/**
 * What one user's range asks of the slot store: the fetching source looks these needs up in the cache, and the
 * cost limit (src/limits/) plans them as if nothing were cached, so both count the same slots.
 */
import type { StreamDirection } from '../model/call-detail.js';
import type { SlotNeed } from './fetch-planner.js';
import { slotsCovering } from './slots.js';

/** One user's half-open range `[fromMs, toMs)` and the directions wanted of it. */
export interface UserRange {
  readonly userId: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly directions: readonly StreamDirection[];
}

const SECOND_MS = 1000;

/** The first whole second at or after `timeMs`: where a range's end lies on the upstream's second grid. */
export function wholeSecondAtOrAfter(timeMs: number): number {
  return Math.ceil(timeMs / SECOND_MS) * SECOND_MS;
}

/**
 * The needs of a range: one list per slot covering it, in time order, each with one need per direction, in order,
 * for the part of the slot inside the range, on whole seconds as the upstream takes its bounds: both ends
 * rounded up. The upstream samples on whole seconds, so `[from, to)` holds exactly the points of
 * `[ceil(from), ceil(to))`, and an hour stays an hour: rounding outwards would make "the last hour" asked at
 * any millisecond 3601 s, two calls. (Slot boundaries are whole seconds: a part stays inside its slot.)
 */
export function slotNeedsOf(range: UserRange, slotMs: number): SlotNeed[][] {
  const fromMs = wholeSecondAtOrAfter(range.fromMs);
  const toMs = wholeSecondAtOrAfter(range.toMs);
  return slotsCovering(range.fromMs, range.toMs, slotMs).map((slotStartMs) => {
    const part = { fromMs: Math.max(fromMs, slotStartMs), toMs: Math.min(toMs, slotStartMs + slotMs) };
    return range.directions.map((direction) => ({ userId: range.userId, slotStartMs, ...part, direction }));
  });
}
