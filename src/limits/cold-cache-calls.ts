/**
 * How many ListCallDetail calls a set of call-quality requests would take with nothing cached: the same slot
 * needs the source would find missing (src/slots/slot-needs.ts), planned by the same planner, per room.
 *
 * Cheap lower bounds come first, so an operation far over the limit is refused without expanding its needs (a
 * 100 000-user list or a week of 10-second slots would be millions). They hold for any plan that respects the
 * upstream's limits: instants `maxSpanMs` apart are never in one call, and each needs ceil(users / 20) calls;
 * one call fetches at most 20 users x one hour x both directions.
 */

import { LIST_CALL_DETAIL_LIMITS, type StreamDirection } from '../model/call-detail.js';
import { getOrInsert } from '../model/get-or-insert.js';
import type { CallQualityRequest } from '../resolvers/call-quality.js';
import { planCalls, type SlotNeed } from '../slots/fetch-planner.js';
import { slotNeedsOf, upstreamBounds } from '../slots/slot-needs.js';

const PLAN_LIMITS = {
  maxSpanMs: LIST_CALL_DETAIL_LIMITS.maxSpanMs,
  maxUsers: LIST_CALL_DETAIL_LIMITS.maxUsersPerCall,
} as const;
const DIRECTION_COUNT = 2;

interface Room {
  readonly requests: CallQualityRequest[];
  /** The most calls any one of its requests needs alone: a lower bound of the room's calls. */
  lowerBound: number;
}

/** `[fromMs, toMs)`, on whole seconds (a request's upstreamBounds). */
type Range = [fromMs: number, toMs: number];

/** Time one set of users needs in one direction, as disjoint ranges. */
interface SharedNeed {
  readonly userIds: readonly string[];
  readonly direction: StreamDirection;
  readonly ranges: readonly Range[];
}

/**
 * Calls for `requests` with a cold cache: exact while the count stays at most `stopAbove`; beyond it, counting
 * stops early and the answer is a lower bound that is above `stopAbove`. Requests must be valid (non-empty
 * `userIds` and directions, `fromMs < toMs`), as the resolvers ensure before loading anything.
 */
export function coldCacheCalls(
  asked: readonly CallQualityRequest[],
  options: { readonly slotMs: number; readonly nowMs: number; readonly stopAbove?: number },
): number {
  const { slotMs, nowMs, stopAbove = Number.POSITIVE_INFINITY } = options;
  // What lies past the upstream's retention is never fetched (it is the archive's, or named as missing): a range
  // reaching that far back costs only its part the upstream still has.
  const upstreamFromMs = nowMs - LIST_CALL_DETAIL_LIMITS.retentionMs;
  const requests = asked.flatMap((request) => {
    if (request.fromMs >= upstreamFromMs) return [request];
    return request.toMs <= upstreamFromMs ? [] : [{ ...request, fromMs: upstreamFromMs }];
  });
  const rooms = new Map<string, Room>();
  // Aliases passing one list variable share one array: count its distinct users once.
  const distinctUsers = new Map<readonly string[], number>();
  let lowerBound = 0;
  for (const request of requests) {
    const room = getOrInsert(rooms, JSON.stringify([request.appId, request.roomId]), () => ({
      requests: [],
      lowerBound: 0,
    }));
    room.requests.push(request);
    const users = getOrInsert(distinctUsers, request.userIds, () => new Set(request.userIds).size);
    const alone = requestLowerBound(request, users, nowMs);
    if (alone > room.lowerBound) {
      lowerBound += alone - room.lowerBound;
      room.lowerBound = alone;
      if (lowerBound > stopAbove) return lowerBound;
    }
  }

  const userTimePerCall = PLAN_LIMITS.maxUsers * PLAN_LIMITS.maxSpanMs * DIRECTION_COUNT;
  // Rooms are planned apart, so their calls add up: counted exactly so far, plus the others' lower bounds.
  let counted = 0;
  let uncounted = lowerBound;
  for (const room of rooms.values()) {
    uncounted -= room.lowerBound;
    const shared = sharedNeeds(room.requests, nowMs);
    let userTime = 0;
    for (const { userIds, ranges } of shared) {
      for (const [fromMs, toMs] of ranges) userTime += userIds.length * (toMs - fromMs);
    }
    const atLeast = Math.max(room.lowerBound, Math.ceil(userTime / userTimePerCall));
    if (counted + atLeast + uncounted > stopAbove) return counted + atLeast + uncounted;
    counted += roomCalls(shared, slotMs, nowMs);
    if (counted + uncounted > stopAbove) return counted + uncounted;
  }
  return counted;
}

/**
 * The planner's calls for a room's needs. When every user needs the same (one request's users, the usual
 * operation), they share every piece of time the planner cuts, ceil(users / 20) calls each: planning one of
 * them gives the pieces, without expanding and planning every user's slots (most of what this check costs a
 * dashboard's poll).
 */
function roomCalls(shared: readonly SharedNeed[], slotMs: number, nowMs: number): number {
  const first = shared[0];
  if (first === undefined) return 0;
  const alike = shared.every((need) => need.userIds === first.userIds);
  const userIds = alike ? first.userIds.slice(0, 1) : undefined;
  const needs: SlotNeed[] = [];
  for (const need of shared) {
    for (const userId of userIds ?? need.userIds) {
      for (const [fromMs, toMs] of need.ranges) {
        const directions = [need.direction];
        for (const slot of slotNeedsOf({ userId, fromMs, toMs, directions }, slotMs, nowMs))
          needs.push(...slot);
      }
    }
  }
  const calls = planCalls(needs, PLAN_LIMITS).length;
  return alike ? calls * Math.ceil(first.userIds.length / PLAN_LIMITS.maxUsers) : calls;
}

/** Calls one request needs even alone: ceil(users / 20) for each instant of its range an hour apart. */
function requestLowerBound(request: CallQualityRequest, distinctUsers: number, nowMs: number): number {
  const [fromMs, toMs] = upstreamBounds(request.fromMs, request.toMs, nowMs);
  const windows = Math.ceil((toMs - fromMs) / PLAN_LIMITS.maxSpanMs);
  return windows * Math.ceil(distinctUsers / PLAN_LIMITS.maxUsers);
}

/** One request's range in one direction; `index` orders stretches into a user's group key. */
interface Stretch {
  readonly index: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly direction: StreamDirection;
}

/**
 * The time a room's requests cover, deduplicated as the source's cache keys would be, without one entry per
 * slot: each request's range and direction becomes one stretch, each user the set of stretches it is in, and
 * users with the same set (usually all users of one request) share one merge of their stretches.
 */
function sharedNeeds(requests: readonly CallQualityRequest[], nowMs: number): SharedNeed[] {
  const [only, ...others] = requests;
  // One request (one field of the operation, the usual case): every one of its users needs its whole range.
  if (only !== undefined && others.length === 0) {
    const [fromMs, toMs] = upstreamBounds(only.fromMs, only.toMs, nowMs);
    const userIds = [...new Set(only.userIds)];
    return [...new Set(only.directions)].map((direction) => ({
      userIds,
      direction,
      ranges: [[fromMs, toMs]],
    }));
  }
  const stretches = new Map<string, Stretch>();
  const stretchesOfUser = new Map<string, Set<Stretch>>();
  for (const request of requests) {
    const [fromMs, toMs] = upstreamBounds(request.fromMs, request.toMs, nowMs);
    const requested = [...new Set(request.directions)].map((direction) =>
      getOrInsert(stretches, `${fromMs}/${toMs}/${direction}`, () => ({
        index: stretches.size,
        fromMs,
        toMs,
        direction,
      })),
    );
    for (const userId of request.userIds) {
      const own = getOrInsert(stretchesOfUser, userId, () => new Set<Stretch>());
      for (const stretch of requested) own.add(stretch);
    }
  }
  const groups = new Map<string, { stretches: Set<Stretch>; userIds: string[] }>();
  for (const [userId, own] of stretchesOfUser) {
    const key = [...own]
      .map((stretch) => stretch.index)
      .sort((a, b) => a - b)
      .join(',');
    getOrInsert(groups, key, () => ({ stretches: own, userIds: [] })).userIds.push(userId);
  }
  const shared: SharedNeed[] = [];
  for (const group of groups.values()) {
    const byDirection = new Map<StreamDirection, Range[]>();
    for (const { direction, fromMs, toMs } of group.stretches) {
      getOrInsert(byDirection, direction, (): Range[] => []).push([fromMs, toMs]);
    }
    for (const [direction, ranges] of byDirection) {
      shared.push({ userIds: group.userIds, direction, ranges: merge(ranges) });
    }
  }
  return shared;
}

/** Overlapping or touching ranges joined, in time order. */
function merge(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const [fromMs, toMs] of ranges) {
    const last = merged[merged.length - 1];
    if (last && fromMs <= last[1]) last[1] = Math.max(last[1], toMs);
    else merged.push([fromMs, toMs]);
  }
  return merged;
}
