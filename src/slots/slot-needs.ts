/**
 * What one user's range asks of the slot store: the fetching source looks these needs up in the cache, and the
 * cost limit (src/cost/) plans them as if nothing were cached, so both count the same slots.
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

/** The needs of a range: one list per slot covering it, in time order, each with one need per direction, in order. */
export function slotNeedsOf(range: UserRange, slotMs: number): SlotNeed[][] {
  return slotsCovering(range.fromMs, range.toMs, slotMs).map((slotStartMs) =>
    range.directions.map((direction) => ({ userId: range.userId, slotStartMs, direction })),
  );
}
