/**
 * What the parts of the call-detail source share (process-lifetime): the window cache, the fetches in flight
 * and the settle rule; and what one load works with while it resolves its requests.
 */

import type { SlotNeed } from './fetch-planner.js';
import type { SlotEntry } from './slot-entry.js';
import type { InFlightPieces, Piece } from './slot-pieces.js';
import type { WindowCache } from './window-cache.js';

export interface SourceState {
  readonly cache: WindowCache;
  readonly slotMs: number;
  readonly inflight: InFlightPieces;
  /** Whether the slot can no longer change at `nowMs`: only then is it cached for good. */
  isSettled(slotStartMs: number, nowMs: number): boolean;
}

/** What one load still has to fetch of one (user, direction, slot), and the pieces that will hold it. */
export interface MissingSlot {
  readonly appId: string;
  readonly roomId: string;
  readonly slotStartMs: number;
  needs: SlotNeed[];
  readonly pieces: Piece[];
}

/** One (request, slot, direction) of a load: what it needs, and the pieces it found already held. */
export interface SlotUse {
  readonly key: string;
  readonly need: SlotNeed;
  readonly held: readonly Piece[];
  /** The cached entry alone holding the whole need (the common case): nothing else to look at or join. */
  readonly whole?: SlotEntry;
}
