import { describe, expect, it } from 'vitest';
import type { StreamDirection } from '../../../src/model/call-detail.js';
import { type PlannedCall, planCalls, type SlotNeed } from '../../../src/slots/fetch-planner.js';
import { slotNeedsOf } from '../../../src/slots/slot-needs.js';
import { seededRandom } from '../../helpers/seeded-random.js';

const MINUTE_MS = 60_000;
const SLOT_MS = 5 * MINUTE_MS;
const HOUR_MS = 60 * MINUTE_MS;
const LIMITS = { slotMs: SLOT_MS, maxSpanMs: HOUR_MS, maxUsers: 20 };
const H10 = Date.UTC(2024, 0, 1, 10);
/** A clock a day on: every range here is past. */
const LATER = H10 + 24 * HOUR_MS;

/** Every slot of [fromMs, toMs) for each user and direction. */
function needsOf(
  userIds: readonly string[],
  fromMs: number,
  toMs: number,
  directions: readonly StreamDirection[] = ['up'],
): SlotNeed[] {
  const needs: SlotNeed[] = [];
  for (const userId of userIds) {
    for (let slotStartMs = fromMs; slotStartMs < toMs; slotStartMs += SLOT_MS) {
      for (const direction of directions) {
        needs.push({ userId, slotStartMs, fromMs: slotStartMs, toMs: slotStartMs + SLOT_MS, direction });
      }
    }
  }
  return needs;
}

const usersNamed = (count: number) =>
  Array.from({ length: count }, (_, i) => `u${String(i).padStart(2, '0')}`);

/** How much of a need the calls fetch: those of its user and direction, over its interval. */
function fetchedOf(calls: readonly PlannedCall[], need: SlotNeed): number {
  const direction = need.direction === 'up' ? 1 : 2;
  return calls
    .filter(
      (call) => call.userIds.includes(need.userId) && (call.direction === 0 || call.direction === direction),
    )
    .reduce(
      (sum, call) => sum + Math.max(0, Math.min(call.endMs, need.toMs) - Math.max(call.startMs, need.fromMs)),
      0,
    );
}

/** The upstream's limits, and that every need is fetched by some call. */
function expectValidPlan(calls: readonly PlannedCall[], needs: readonly SlotNeed[]) {
  for (const call of calls) {
    expect(call.userIds.length).toBeGreaterThan(0);
    expect(call.userIds.length).toBeLessThanOrEqual(20);
    expect(new Set(call.userIds).size).toBe(call.userIds.length);
    expect(call.endMs - call.startMs).toBeGreaterThan(0);
    expect(call.endMs - call.startMs).toBeLessThanOrEqual(HOUR_MS);
    expect(call.startMs % 1000).toBe(0);
    expect(call.endMs % 1000).toBe(0);
  }
  // Every instant of every need, by one call or by calls meeting where a piece of the hour grid ends.
  for (const need of needs) expect(fetchedOf(calls, need)).toBe(need.toMs - need.fromMs);
}

describe('planCalls', () => {
  it('plans nothing for nothing', () => {
    expect(planCalls([], LIMITS)).toEqual([]);
  });

  it('fetches 45 users over one aligned hour in 3 calls of 20, 20 and 5 users, each spanning the hour', () => {
    const users = usersNamed(45);
    const calls = planCalls(needsOf(users, H10, H10 + HOUR_MS), LIMITS);
    expect(calls).toEqual([
      { userIds: users.slice(0, 20), startMs: H10, endMs: H10 + HOUR_MS, direction: 1 },
      { userIds: users.slice(20, 40), startMs: H10, endMs: H10 + HOUR_MS, direction: 1 },
      { userIds: users.slice(40), startMs: H10, endMs: H10 + HOUR_MS, direction: 1 },
    ]);
  });

  it('cuts two hours into two one-hour calls', () => {
    const calls = planCalls(needsOf(['a', 'b', 'c'], H10, H10 + 2 * HOUR_MS), LIMITS);
    expect(calls).toEqual([
      { userIds: ['a', 'b', 'c'], startMs: H10, endMs: H10 + HOUR_MS, direction: 1 },
      { userIds: ['a', 'b', 'c'], startMs: H10 + HOUR_MS, endMs: H10 + 2 * HOUR_MS, direction: 1 },
    ]);
  });

  it('serves mixed directions with one Direction=0 call', () => {
    const needs = [
      ...needsOf(['a'], H10, H10 + HOUR_MS, ['up']),
      ...needsOf(['b'], H10, H10 + HOUR_MS, ['down']),
      ...needsOf(['c'], H10, H10 + HOUR_MS, ['up', 'down']),
    ];
    expect(planCalls(needs, LIMITS)).toEqual([
      { userIds: ['a', 'b', 'c'], startMs: H10, endMs: H10 + HOUR_MS, direction: 0 },
    ]);
  });

  it('filters to Direction=1 when only up is missing and Direction=2 when only down is', () => {
    expect(planCalls(needsOf(['a'], H10, H10 + SLOT_MS, ['up']), LIMITS)).toEqual([
      { userIds: ['a'], startMs: H10, endMs: H10 + SLOT_MS, direction: 1 },
    ]);
    expect(planCalls(needsOf(['a', 'b'], H10, H10 + SLOT_MS, ['down']), LIMITS)).toEqual([
      { userIds: ['a', 'b'], startMs: H10, endMs: H10 + SLOT_MS, direction: 2 },
    ]);
  });

  it('fetches only the missing stretch, and shares a call between users missing different parts of an hour', () => {
    // a misses 10:50 and 10:55 only; b misses the whole hour.
    const needs = [
      ...needsOf(['a'], H10 + 50 * MINUTE_MS, H10 + HOUR_MS),
      ...needsOf(['b'], H10, H10 + HOUR_MS),
    ];
    const calls = planCalls(needs, LIMITS);
    expect(calls).toEqual([{ userIds: ['b', 'a'], startMs: H10, endMs: H10 + HOUR_MS, direction: 1 }]);
    expectValidPlan(calls, needs);

    expect(planCalls(needsOf(['a'], H10 + 50 * MINUTE_MS, H10 + HOUR_MS), LIMITS)).toEqual([
      { userIds: ['a'], startMs: H10 + 50 * MINUTE_MS, endMs: H10 + HOUR_MS, direction: 1 },
    ]);
  });

  it('starts calls where the missing time starts, off the slots: an unaligned hour is one call', () => {
    // 10:02:37 to 11:02:37 touches 13 slots, and is one hour.
    const fromMs = H10 + 2 * MINUTE_MS + 37_000;
    const needs = [
      ...slotNeedsOf({ userId: 'a', fromMs, toMs: fromMs + HOUR_MS, directions: ['up'] }, SLOT_MS, LATER),
      ...slotNeedsOf({ userId: 'b', fromMs, toMs: fromMs + HOUR_MS, directions: ['down'] }, SLOT_MS, LATER),
    ].flat();
    expect(needs).toHaveLength(26);
    expect(planCalls(needs, LIMITS)).toEqual([
      { userIds: ['a', 'b'], startMs: fromMs, endMs: fromMs + HOUR_MS, direction: 0 },
    ]);
    // A slot crossing the end of the hour after the earliest instant is fetched in two calls that meet there.
    const longer = slotNeedsOf(
      { userId: 'a', fromMs, toMs: fromMs + HOUR_MS + 1_000, directions: ['up'] },
      SLOT_MS,
      LATER,
    );
    const calls = planCalls(longer.flat(), LIMITS);
    expect(calls.map((call) => [call.startMs, call.endMs])).toEqual([
      [fromMs, fromMs + HOUR_MS],
      [fromMs + HOUR_MS, fromMs + HOUR_MS + 1_000],
    ]);
    expectValidPlan(calls, longer.flat());
  });

  it('anchors the hour grid at the earliest missing slot, so an unaligned hour is still one call', () => {
    // 10:50 to 11:50: one hour, across an hour boundary.
    const needs = needsOf(['a', 'b'], H10 + 50 * MINUTE_MS, H10 + 110 * MINUTE_MS);
    expect(planCalls(needs, LIMITS)).toEqual([
      { userIds: ['a', 'b'], startMs: H10 + 50 * MINUTE_MS, endMs: H10 + 110 * MINUTE_MS, direction: 1 },
    ]);
  });

  it('never plans a call over 20 users or over one hour, and fetches every need (seeded random inputs)', () => {
    for (const seed of [1, 7, 42, 2024, 99_991]) {
      const random = seededRandom(seed);
      const users = usersNamed(60);
      const needs: SlotNeed[] = [];
      const seen = new Set<string>();
      const count = 50 + Math.floor(random() * 1_500);
      for (let index = 0; index < count; index += 1) {
        // Anywhere in a 5-hour range starting at an unaligned slot; now and then only part of a slot.
        const slotStartMs = H10 + 35 * MINUTE_MS + Math.floor(random() * 60) * SLOT_MS;
        const partial = random() < 0.3;
        const fromMs = slotStartMs + (partial ? Math.floor(random() * 150) * 1000 : 0);
        const toMs = slotStartMs + SLOT_MS - (partial ? Math.floor(random() * 150) * 1000 : 0);
        const need: SlotNeed = {
          userId: users[Math.floor(random() * users.length)] as string,
          slotStartMs,
          fromMs,
          toMs,
          direction: random() < 0.5 ? 'up' : 'down',
        };
        const key = JSON.stringify(need);
        if (seen.has(key)) continue;
        seen.add(key);
        needs.push(need);
      }
      const calls = planCalls(needs, LIMITS);
      expectValidPlan(calls, needs);
      // No user twice in calls of the same window: that would be a call too many.
      const perWindow = new Map<string, string[]>();
      for (const call of calls) {
        const window = `${call.startMs}/${call.endMs}`;
        perWindow.set(window, [...(perWindow.get(window) ?? []), ...call.userIds]);
      }
      for (const ids of perWindow.values()) expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
