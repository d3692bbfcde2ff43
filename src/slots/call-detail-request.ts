/** What the call-detail source is asked for, and what it answers per request. */
import type { StreamDetail, StreamDirection } from '../model/call-detail.js';

export interface CallDetailRequest {
  readonly appId: string;
  readonly roomId: string;
  readonly userId: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** Never empty. */
  readonly directions: readonly StreamDirection[];
}

/**
 * One user's streams of the requested directions: one list per slot and direction (a slot's directions side by
 * side), in time order. A slot served from pieces gives one list per piece, in time order (pieces may overlap:
 * mergeWindowStreams keeps the first copy). The lists are the decoded entries themselves, never copies: the
 * same slot gives the same list to every request while it stays decoded, which lets the merge reuse its work.
 */
export type SlotParts = ReadonlyArray<readonly StreamDetail[]>;
