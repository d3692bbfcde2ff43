/**
 * What one user's range asks of the slot store: the fetching source looks these needs up in the cache, and the
 * cost limit (src/limits/) plans them as if nothing were cached, so both count the same slots.
 */
import type { StreamDirection } from '../model/call-detail.js';
import type { SlotNeed } from './fetch-planner.js';
import { reachesPresent, slotsCovering } from './slots.js';

/** One user's half-open range `[fromMs, toMs)` and the directions wanted of it. */
export interface UserRange {
  readonly userId: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly directions: readonly StreamDirection[];
}

const SECOND_MS = 1000;

/**
 * `[fromMs, toMs)` on the whole seconds the upstream takes: widened outwards, so every point of the range is
 * fetched whatever its millisecond, except at an end that reaches the present, which is rounded down. Nothing
 * after it exists yet, and "the last hour" asked at any millisecond then stays one hour, one call, instead of
 * 3601 s. (The upstream includes EndTime: the point on that second, were there one, still comes back.)
 */
export function upstreamBounds(fromMs: number, toMs: number, nowMs: number): [fromMs: number, toMs: number] {
  const from = Math.floor(fromMs / SECOND_MS) * SECOND_MS;
  const to = (reachesPresent(toMs, nowMs) ? Math.floor : Math.ceil)(toMs / SECOND_MS) * SECOND_MS;
  return [from, Math.max(from, to)];
}

/**
 * The needs of a range at `nowMs`: one list per slot covering it, in time order, each with one need per
 * direction, in order, for the part of the slot inside the range's upstream bounds (slot boundaries are whole
 * seconds, so a part stays inside its slot; it is empty when the bounds leave none of the slot).
 */
export function slotNeedsOf(range: UserRange, slotMs: number, nowMs: number): SlotNeed[][] {
  const [fromMs, toMs] = upstreamBounds(range.fromMs, range.toMs, nowMs);
  return slotsCovering(range.fromMs, range.toMs, slotMs).map((slotStartMs) => {
    const partFromMs = Math.max(fromMs, slotStartMs);
    const partToMs = Math.min(toMs, slotStartMs + slotMs);
    // Properties written out rather than spread: a range's needs are made twice per request (cost and load),
    // ~1000 for a poll of 20 users' last hour, and a spread object is several times the size.
    return range.directions.map(
      (direction): SlotNeed => ({
        userId: range.userId,
        slotStartMs,
        fromMs: partFromMs,
        toMs: partToMs,
        direction,
      }),
    );
  });
}
