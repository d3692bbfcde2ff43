/**
 * The gateway's own model of ListCallDetail data. Upstream JSON is validated and mapped into these types at
 * the `upstream/` boundary (see parse-response.ts); nothing past that boundary sees PascalCase keys.
 *
 * Points are kept in parallel typed arrays rather than arrays of `{ time, value }` objects: a cached point
 * then costs 16 bytes instead of ~80, and the same arrays are served to charts without copying.
 */

/** Which media a stream carries, from the user's side: `up` is what the user sends, `down` what it receives. */
export type StreamDirection = 'up' | 'down';

/** The upstream's `Direction` query parameter: 0 both, 1 up only, 2 down only. */
export type DirectionFilter = 0 | 1 | 2;

export interface MetricSeries {
  /** Opaque upstream metric name; never matched against a hard-coded list in the gateway. */
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  /** Unix milliseconds, strictly increasing. */
  readonly times: Float64Array;
  /** Same length as `times`. */
  readonly values: Float64Array;
}

export interface StreamDetail {
  readonly userId: string;
  readonly direction: StreamDirection;
  /** The sending peer of a `down` stream; null for `up`. */
  readonly peerId: string | null;
  /** In upstream order. */
  readonly metrics: readonly MetricSeries[];
}

/** One ListCallDetail call: at most 20 users and one window of at most 1 hour. */
export interface CallDetailQuery {
  readonly appId: string;
  readonly roomId: string;
  readonly userIds: readonly string[];
  /** Unix ms, whole seconds (the upstream takes second precision). */
  readonly startMs: number;
  readonly endMs: number;
  readonly direction: DirectionFilter;
}

export interface CallDetailResult {
  readonly requestId: string;
  /** Every stream the upstream returned, for any of the queried users; users without data have none. */
  readonly streams: readonly StreamDetail[];
  /**
   * The `StartTime` the call was sent with (unix ms): the query's, or later when the query reached back past
   * the upstream's retention at the moment it was sent. The result holds no data before it.
   */
  readonly startMs: number;
  /** The answer's HTTP status (a 2xx); absent when no request was sent (a window wholly past the retention). */
  readonly httpStatus?: number;
}

/** The upstream's hard limits, in one place so the planner, the client and the simulator agree. */
export const LIST_CALL_DETAIL_LIMITS = {
  maxUsersPerCall: 20,
  maxSpanMs: 60 * 60 * 1000,
  retentionMs: 6 * 24 * 60 * 60 * 1000,
  /** Data for an instant may still arrive this long after it. */
  latencyMs: 100 * 1000,
  requestsPerSecond: 10,
} as const;

export const LIST_CALL_DETAIL_ACTION = 'ListCallDetail';
export const LIST_CALL_DETAIL_VERSION = '2023-11-01';
