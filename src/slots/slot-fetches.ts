/**
 * The upstream calls of a load: planned for a room's missing parts of slots, registered as in flight before
 * anything awaits (so that concurrent requests join them), and cached as they land: every (user, direction,
 * slot) a call covers, empty ones included.
 */
import { LIST_CALL_DETAIL_LIMITS, type StreamDirection } from '../model/call-detail.js';
import type { Flow } from '../model/flow.js';
import type { FetchCallDetail } from '../upstream/call-detail-fetcher.js';
import { type PlannedCall, planCalls, type SlotNeed } from './fetch-planner.js';
import { mergeSlotEntries } from './merge-slot-entries.js';
import type { SecondLevelSlotStore } from './second-level-slot-store.js';
import { encodeSlotEntry, isWholeSlotEntry, type SlotEntry, streamsOf } from './slot-entry.js';
import type { InFlight } from './slot-pieces.js';
import { reachesPresent, slotStartOf } from './slots.js';
import type { MissingSlot, SourceState } from './source-state.js';
import { slotCacheKey } from './window-cache.js';

const DIRECTIONS_OF_FILTER = { 0: ['up', 'down'], 1: ['up'], 2: ['down'] } as const;

/** The needs of one room that no cache, store or fetch in flight holds. */
export interface RoomNeeds {
  readonly appId: string;
  readonly roomId: string;
  readonly needs: SlotNeed[];
}

export interface SlotFetchesDeps {
  readonly fetchCallDetail: FetchCallDetail;
  readonly sharedStore?: SecondLevelSlotStore;
}

export interface SlotFetches {
  /** Starts the calls for a room's missing parts; adds each piece to `missing` and to the fetches in flight. */
  start(room: RoomNeeds, nowMs: number, missing: Map<string, MissingSlot>, flow: Flow | undefined): void;
}

export function createSlotFetches(state: SourceState, deps: SlotFetchesDeps): SlotFetches {
  const { cache, slotMs, isSettled } = state;
  /**
   * Where a call's piece of a slot ends. A call that reached the present holds the rest of a slot still moving
   * as well: nothing later existed when it was sent, and the tail's TTL bounds how long that answer is kept, as
   * it bounds a whole tail slot's. Without this, a dashboard polling "the last hour" would miss the tail slot
   * on every poll, since its range ends a little later each time.
   */
  const pieceEndMs = (call: PlannedCall, slotStartMs: number, nowMs: number) => {
    const slotEndMs = slotStartMs + slotMs;
    if (reachesPresent(call.endMs, nowMs) && !isSettled(slotStartMs, nowMs)) return slotEndMs;
    return Math.min(call.endMs, slotEndMs);
  };

  const keyOf = (
    appId: string,
    roomId: string,
    userId: string,
    direction: StreamDirection,
    slotStartMs: number,
  ) => slotCacheKey({ appId, roomId, userId, direction, slotStartMs, slotMs });

  /**
   * Caches a fetched piece: a settled one joined with the settled part already held (when they touch), and
   * offered to replicas once the slot is whole; a tail piece replaces what was held.
   */
  function store(
    key: string,
    piece: SlotEntry,
    slotStartMs: number,
    settled: boolean,
    share: Array<[string, SlotEntry]>,
  ) {
    if (!settled) {
      cache.set(key, piece, false);
      return;
    }
    const held = cache.peekImmutable(key);
    const entry = held === undefined ? piece : (mergeSlotEntries(held, piece, slotStartMs, slotMs) ?? piece);
    if (entry === held) return;
    cache.set(key, entry, true);
    // A part of a slot stays local: the shared format holds whole slots, and a replica reading it must not take
    // the part for the slot.
    if (isWholeSlotEntry(entry)) share.push([key, entry]);
  }

  /** Fetches one planned call and caches the part of every (user, direction, slot) it covers, empty ones included. */
  async function fetchCall(
    room: RoomNeeds,
    call: PlannedCall,
    nowMs: number,
    flow: Flow | undefined,
  ): Promise<Map<string, SlotEntry>> {
    const result = await deps.fetchCallDetail(
      {
        appId: room.appId,
        roomId: room.roomId,
        userIds: call.userIds,
        startMs: call.startMs,
        endMs: call.endMs,
        direction: call.direction,
      },
      undefined,
      flow,
    );
    const entries = new Map<string, SlotEntry>();
    const share: Array<[string, SlotEntry]> = [];
    for (const userId of call.userIds) {
      for (const direction of DIRECTIONS_OF_FILTER[call.direction]) {
        const streams = streamsOf(result, userId, direction);
        for (
          let slotStartMs = slotStartOf(call.startMs, slotMs);
          slotStartMs < call.endMs;
          slotStartMs += slotMs
        ) {
          const key = keyOf(room.appId, room.roomId, userId, direction, slotStartMs);
          const toMs = pieceEndMs(call, slotStartMs, nowMs);
          const piece = encodeSlotEntry(streams, slotStartMs, slotStartMs + slotMs, result.startMs, toMs);
          store(key, piece, slotStartMs, isSettled(slotStartMs, nowMs), share);
          entries.set(key, piece);
        }
      }
    }
    if (share.length > 0) deps.sharedStore?.putMany(share);
    return entries;
  }

  return {
    start(room, nowMs, missing, flow) {
      const calls = planCalls(room.needs, {
        maxSpanMs: LIST_CALL_DETAIL_LIMITS.maxSpanMs,
        maxUsers: LIST_CALL_DETAIL_LIMITS.maxUsersPerCall,
      });
      for (const call of calls) {
        const fetched = fetchCall(room, call, nowMs, flow);
        for (const userId of call.userIds) {
          for (const direction of DIRECTIONS_OF_FILTER[call.direction]) {
            for (
              let slotStartMs = slotStartOf(call.startMs, slotMs);
              slotStartMs < call.endMs;
              slotStartMs += slotMs
            ) {
              const key = keyOf(room.appId, room.roomId, userId, direction, slotStartMs);
              const entry = fetched.then((entries) => entries.get(key) as SlotEntry);
              const flying: InFlight = {
                fromMs: Math.max(call.startMs, slotStartMs),
                toMs: pieceEndMs(call, slotStartMs, nowMs),
                entry,
                settled: isSettled(slotStartMs, nowMs),
              };
              missing.get(key)?.pieces.push(flying);
              state.inflight.add(key, flying);
            }
          }
        }
      }
    },
  };
}
