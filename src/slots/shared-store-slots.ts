/**
 * The second level of a load: the missing settled slots that other replicas (or the archive) already hold
 * whole, taken from the shared store into the local cache before anything is fetched.
 */
import type { SecondLevelSlotStore } from './second-level-slot-store.js';
import { isWholeSlotEntry } from './slot-entry.js';
import { holds, pieceOf } from './slot-pieces.js';
import type { MissingSlot, SourceState } from './source-state.js';

/**
 * Serves the missing settled slots that other replicas already hold whole from the shared store (and puts them
 * in the local cache). Only immutable slots are shared, so the moving tail never costs a Redis round trip.
 */
export async function takeFromSharedStore(
  state: SourceState,
  sharedStore: SecondLevelSlotStore,
  missing: Map<string, MissingSlot>,
  nowMs: number,
): Promise<void> {
  const candidates = [...missing].filter(([, slot]) => state.isSettled(slot.slotStartMs, nowMs));
  if (candidates.length === 0) return;
  const shared = await sharedStore.getMany(candidates.map(([key]) => key));
  for (const [key, entry] of shared) {
    const slot = missing.get(key);
    if (slot === undefined || !isWholeSlotEntry(entry)) continue;
    state.cache.set(key, entry, true);
    slot.pieces.push(pieceOf(entry, slot.slotStartMs, state.slotMs));
    slot.needs = [];
  }
  // While we asked Redis, another request may have started fetching some of the same parts: join it.
  for (const [key, slot] of missing) {
    slot.needs = slot.needs.filter((need) => {
      const flying = state.inflight
        .joinable(key, state.isSettled(need.slotStartMs, nowMs))
        .find((piece) => holds(piece, need));
      if (flying) slot.pieces.push(flying);
      return flying === undefined;
    });
  }
}
