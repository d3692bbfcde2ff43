/**
 * The cache-hit path of a load: a request's settled slots found through the window cache's index, one lookup
 * per direction, without a key string, need or piece per slot. Only what the per-slot lookup would have served
 * alone (an immutable cached entry holding the whole need, see lookUpSlot) is taken this way, so the answer is
 * the same; the slots after the run (the moving tail, or a settled slot not yet fetched again) are looked up
 * one by one.
 */
import type { CallDetailRequest } from './call-detail-request.js';
import type { SlotEntry } from './slot-entry.js';
import { upstreamBounds } from './slot-needs.js';
import { slotStartOf } from './slots.js';
import type { SourceState } from './source-state.js';

export interface SettledRun {
  /** The entries of the run's slots, a slot's directions side by side (the request's order), in time order. */
  readonly entries: readonly SlotEntry[];
  /** Where the rest of the request starts: the end of the run's last slot. */
  readonly restFromMs: number;
}

/**
 * The request's first settled slots held in the index, for every direction; undefined when none are.
 * `prefixes`: the slotKeyPrefix of each of the request's directions, in order.
 */
export function settledRunOf(
  state: SourceState,
  request: CallDetailRequest,
  prefixes: readonly string[],
  nowMs: number,
): SettledRun | undefined {
  const { slotMs } = state;
  const firstStartMs = slotStartOf(request.fromMs, slotMs);
  let settled = 0;
  while (
    firstStartMs + settled * slotMs < request.toMs &&
    state.isSettled(firstStartMs + settled * slotMs, nowMs)
  ) {
    settled += 1;
  }
  if (settled === 0) return undefined;
  const [fromMs, toMs] = upstreamBounds(request.fromMs, request.toMs, nowMs);
  const entries = state.cache.settledRun(prefixes, slotMs, firstStartMs, settled, fromMs, toMs);
  if (entries.length === 0) return undefined;
  return { entries, restFromMs: firstStartMs + (entries.length / prefixes.length) * slotMs };
}
