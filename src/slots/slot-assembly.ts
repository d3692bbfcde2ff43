/**
 * A request's part of a slot from the pieces that hold it (cached, in flight or just fetched), decoded in time
 * order; or the error that names what none of them holds.
 */
import type { StreamDetail, StreamDirection } from '../model/call-detail.js';
import type { CallDetailRequest, SlotParts } from './call-detail-request.js';
import type { SlotNeed } from './fetch-planner.js';
import { NotArchivedError } from './not-archived-error.js';
import { RetentionEdgeError } from './retention-edge-error.js';
import type { SlotEntry } from './slot-entry.js';
import { gapsOf, overlaps, type Piece, pieceOf } from './slot-pieces.js';
import type { SlotUse } from './source-state.js';

export type DecodeSlotEntry = (
  entry: SlotEntry,
  userId: string,
  direction: StreamDirection,
) => readonly StreamDetail[];

export interface SlotAssembly {
  /**
   * The need's streams from its pieces, one list per piece in time order; if they leave part of it out, a
   * NotArchivedError for a part past the retention (never fetched) or a RetentionEdgeError (a call the
   * retention cut short).
   */
  streamsFrom(
    request: CallDetailRequest,
    use: SlotUse,
    fresh: readonly Piece[],
    pastEdgeMs: number,
  ): SlotParts | Promise<SlotParts>;
}

export function createSlotAssembly(slotMs: number, decode: DecodeSlotEntry): SlotAssembly {
  function streamsOfEntries(
    request: CallDetailRequest,
    need: SlotNeed,
    entries: readonly SlotEntry[],
    pastEdgeMs: number,
  ): SlotParts {
    const held = entries.map((entry) => pieceOf(entry, need.slotStartMs, slotMs));
    const [gap] = gapsOf(need.fromMs, need.toMs, held);
    if (gap !== undefined && gap[0] < pastEdgeMs) {
      throw new NotArchivedError(request.userId, [[gap[0], Math.min(gap[1], pastEdgeMs)]]);
    }
    if (gap !== undefined) throw new RetentionEdgeError(request.fromMs, gap[1]);
    return held
      .sort((a, b) => a.fromMs - b.fromMs)
      .map((piece) => decode(piece.entry as SlotEntry, request.userId, need.direction));
  }

  return {
    streamsFrom(request, use, fresh, pastEdgeMs) {
      if (use.whole !== undefined) return [decode(use.whole, request.userId, use.need.direction)];
      const pieces = [...use.held, ...fresh.filter((piece) => overlaps(piece, use.need))];
      const entries = pieces.map((piece) => piece.entry);
      if (entries.every((entry) => !(entry instanceof Promise))) {
        return streamsOfEntries(request, use.need, entries as SlotEntry[], pastEdgeMs);
      }
      return Promise.all(entries).then((settled) => streamsOfEntries(request, use.need, settled, pastEdgeMs));
    },
  };
}
