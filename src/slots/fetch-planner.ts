/**
 * Turns the parts of slots missing from the cache into as few ListCallDetail calls as possible: at most
 * `maxUsers` users and `maxSpanMs` each, for one (app, room).
 *
 * Missing time is cut on one grid of `maxSpanMs` pieces anchored at the earliest missing instant, not at a slot
 * boundary: a range is fetched in calls that start where it starts, so an unaligned hour is one call although
 * it touches 13 five-minute slots. Users missing the same stretch of time land in the same piece and share
 * calls; within a piece every user joins one
 * call class with the union of the directions missing (a `Direction=0` call costs no more than a filtered one,
 * and ceil((a + b) / 20) never exceeds ceil(a / 20) + ceil(b / 20)).
 */
import type { DirectionFilter, StreamDirection } from '../model/call-detail.js';
import { getOrInsert } from '../model/get-or-insert.js';

/** What is missing of one (user, direction, slot): `[fromMs, toMs)`, inside the slot, on whole seconds. */
export interface SlotNeed {
  readonly userId: string;
  readonly slotStartMs: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly direction: StreamDirection;
}

export interface PlannedCall {
  readonly userIds: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
  readonly direction: DirectionFilter;
}

interface PieceUser {
  startMs: number;
  endMs: number;
  readonly directions: Set<StreamDirection>;
}

function filterOf(directions: ReadonlySet<StreamDirection>): DirectionFilter {
  if (directions.size !== 1) return 0;
  return directions.has('up') ? 1 : 2;
}

export function planCalls(
  needs: readonly SlotNeed[],
  limits: { readonly maxSpanMs: number; readonly maxUsers: number },
): PlannedCall[] {
  if (needs.length === 0) return [];
  // A loop, not Math.min(...): a 6-day range for 200 users is far more needs than a call's argument limit.
  let anchor = Number.POSITIVE_INFINITY;
  for (const need of needs) anchor = Math.min(anchor, need.fromMs);
  const pieces = new Map<number, Map<string, PieceUser>>();
  for (const need of needs) {
    // A need crossing a piece's end (the grid is not aligned to slots) goes to both pieces, each its own part.
    for (let fromMs = need.fromMs; fromMs < need.toMs; ) {
      const index = Math.floor((fromMs - anchor) / limits.maxSpanMs);
      const toMs = Math.min(need.toMs, anchor + (index + 1) * limits.maxSpanMs);
      const users = getOrInsert(pieces, index, () => new Map<string, PieceUser>());
      const user = users.get(need.userId);
      if (user) {
        user.startMs = Math.min(user.startMs, fromMs);
        user.endMs = Math.max(user.endMs, toMs);
        user.directions.add(need.direction);
      } else {
        users.set(need.userId, { startMs: fromMs, endMs: toMs, directions: new Set([need.direction]) });
      }
      fromMs = toMs;
    }
  }

  const calls: PlannedCall[] = [];
  for (const users of pieces.values()) {
    // Users with equal extents next to each other, so a chunk of 20 rarely fetches more time than it needs.
    const ordered = [...users.entries()].sort(([, a], [, b]) => a.startMs - b.startMs || a.endMs - b.endMs);
    const directions = filterOf(new Set(ordered.flatMap(([, user]) => [...user.directions])));
    for (let index = 0; index < ordered.length; index += limits.maxUsers) {
      const chunk = ordered.slice(index, index + limits.maxUsers);
      calls.push({
        userIds: chunk.map(([userId]) => userId),
        startMs: Math.min(...chunk.map(([, user]) => user.startMs)),
        endMs: Math.max(...chunk.map(([, user]) => user.endMs)),
        direction: directions,
      });
    }
  }
  return calls;
}
