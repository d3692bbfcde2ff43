/** What a live subscription delivers: the whole window first, then what is new, per user. */
import type { StreamDetail, StreamDirection } from '../model/call-detail.js';

/** One user's part of an event. */
export interface LiveUser {
  readonly appId: string;
  readonly roomId: string;
  readonly userId: string;
  readonly directions: readonly StreamDirection[];
  /** The user's streams with only the event's points, or the Error that kept them from being fetched. */
  readonly streams: readonly StreamDetail[] | Error;
}

export interface LiveEvent {
  /** True for the first event (the whole window), false for the updates after it. */
  readonly initial: boolean;
  /** Every point of the event lies in [fromMs, toMs). */
  readonly fromMs: number;
  readonly toMs: number;
  /** Where the moving window starts at this event: points before it have left the window. */
  readonly windowFromMs: number;
  /** One entry per subscribed user, in the order subscribed. */
  readonly users: readonly LiveUser[];
}
