/**
 * Where a load looks first for a (user, direction, slot) it needs: the window cache, then the fetches in flight
 * for other requests and the calls this load already planned; what none of them holds is left to fetch.
 */
import type { SlotNeed } from './fetch-planner.js';
import type { SlotEntry } from './slot-entry.js';
import { gapsOf, holds, type Interval, overlaps, type Piece, pieceOf } from './slot-pieces.js';
import type { SourceState } from './source-state.js';

const NO_GAPS: ReadonlyArray<[number, number]> = Object.freeze([]);
const NO_PIECES: readonly Piece[] = Object.freeze([]);

export interface SlotLookup {
  readonly held: readonly Piece[];
  readonly gaps: ReadonlyArray<[number, number]>;
  /** The cached entry alone holding the whole need. */
  readonly whole?: SlotEntry;
}

/**
 * What a need can use besides fetching: pieces cached, in flight, or already planned by this load, and what
 * of it none of them holds. Once the slot has settled, only what was fetched after that will do: an earlier
 * fetch of the tail may lack data that arrived late, and `final: true` promises the answer never changes
 * (see isRangeSettled). A tail piece is used only when it holds the whole need: the tail's pieces are never
 * joined (a piece fetched later would keep an older one alive past its TTL), so its rest is fetched again,
 * in the same call as the part missing, which costs no call of its own.
 */
export function lookUpSlot(
  state: SourceState,
  key: string,
  need: SlotNeed,
  nowMs: number,
  planned: readonly Interval[],
): SlotLookup {
  const settled = state.isSettled(need.slotStartMs, nowMs);
  const candidates: Piece[] = [];
  const cached = state.cache.get(key, settled);
  if (cached !== undefined) {
    const piece = pieceOf(cached, need.slotStartMs, state.slotMs);
    if (holds(piece, need)) return { held: NO_PIECES, gaps: NO_GAPS, whole: cached };
    candidates.push(piece);
  }
  candidates.push(...state.inflight.joinable(key, settled));
  const all: Interval[] = [...candidates, ...planned];
  if (!settled) {
    const whole = candidates.find((piece) => holds(piece, need));
    if (whole !== undefined) return { held: [whole], gaps: [] };
    const plannedWhole = planned.some((piece) => holds(piece, need));
    return { held: [], gaps: plannedWhole ? [] : [[need.fromMs, need.toMs] as [number, number]] };
  }
  return {
    held: candidates.filter((piece) => overlaps(piece, need)),
    gaps: gapsOf(need.fromMs, need.toMs, all),
  };
}
