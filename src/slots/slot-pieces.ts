/**
 * Pieces: the parts of one slot a request can be served from (an entry cached, or a fetch in flight), each with
 * the interval it holds. A request's part of a slot is served once its pieces leave no gap in it.
 */
import { getOrInsert } from '../model/get-or-insert.js';
import { type SlotEntry, slotEntryCoverage } from './slot-entry.js';

/** `[fromMs, toMs)` inside one slot. */
export interface Interval {
  readonly fromMs: number;
  readonly toMs: number;
}

/** Part of a slot, and the entry (or its fetch) meant to hold it. */
export interface Piece extends Interval {
  readonly entry: SlotEntry | Promise<SlotEntry>;
}

/** A fetch other requests may join; `settled`: started once its slot could no longer change. */
export interface InFlight extends Piece {
  readonly entry: Promise<SlotEntry>;
  readonly settled: boolean;
}

export const overlaps = (a: Interval, b: Interval) => a.fromMs < b.toMs && b.fromMs < a.toMs;

export const holds = (piece: Interval, part: Interval) =>
  piece.fromMs <= part.fromMs && part.toMs <= piece.toMs;

/** The cached entry of the slot starting at `slotStartMs` as a piece: the interval it holds. */
export function pieceOf(entry: SlotEntry, slotStartMs: number, slotMs: number): Piece {
  const { fromMs, toMs } = slotEntryCoverage(entry, slotStartMs, slotMs);
  return { fromMs, toMs, entry };
}

/** What of `[fromMs, toMs)` the pieces leave out, in time order. */
export function gapsOf(fromMs: number, toMs: number, pieces: readonly Interval[]): Array<[number, number]> {
  const gaps: Array<[number, number]> = [];
  let reached = fromMs;
  for (const piece of [...pieces].sort((a, b) => a.fromMs - b.fromMs)) {
    if (piece.fromMs > reached) gaps.push([reached, Math.min(piece.fromMs, toMs)]);
    reached = Math.max(reached, piece.toMs);
    if (reached >= toMs) return gaps;
  }
  if (reached < toMs) gaps.push([reached, toMs]);
  return gaps;
}

export type InFlightPieces = ReturnType<typeof createInFlightPieces>;

/** The fetches in flight, per slot key: each leaves the list once it has settled, fetched or failed. */
export function createInFlightPieces() {
  const byKey = new Map<string, InFlight[]>();
  return {
    /** What a request may join; once its slot has settled, only fetches started after that (see lookUp). */
    joinable(key: string, slotSettled: boolean): InFlight[] {
      return (byKey.get(key) ?? []).filter((flying) => !slotSettled || flying.settled);
    },
    add(key: string, flying: InFlight): void {
      const list = getOrInsert(byKey, key, (): InFlight[] => []);
      list.push(flying);
      const forget = () => {
        const index = list.indexOf(flying);
        if (index !== -1) list.splice(index, 1);
        if (list.length === 0 && byKey.get(key) === list) byKey.delete(key);
      };
      flying.entry.then(forget, forget);
    },
  };
}
