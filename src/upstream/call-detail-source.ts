/**
 * Where every request's call-detail data comes from (process-lifetime): the window cache first, then fetches
 * already in flight for other requests, and only then the upstream, for the slots still missing, planned into
 * as few calls as possible. Fetches are shared: they never carry one client's abort signal, so a client that
 * goes away cannot cancel data another client waits for (and what was fetched still lands in the cache).
 */
import {
  type CallDetailResult,
  LIST_CALL_DETAIL_LIMITS,
  type StreamDetail,
  type StreamDirection,
} from './call-detail.js';
import type { FetchCallDetail } from './call-detail-fetcher.js';
import { type PlannedCall, planCalls, type SlotNeed } from './fetch-planner.js';
import { getOrInsert } from './get-or-insert.js';
import { decodeSlotEntry, encodeSlotEntry, type SlotEntry, streamsOf } from './slot-entry.js';
import { isSlotImmutable, slotsCovering } from './slots.js';
import { slotCacheKey, type WindowCache } from './window-cache.js';

export interface CallDetailRequest {
  readonly appId: string;
  readonly roomId: string;
  readonly userId: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** Never empty. */
  readonly directions: readonly StreamDirection[];
}

/** One user's streams of the requested directions, one list per slot, in time order. */
export type SlotParts = ReadonlyArray<readonly StreamDetail[]>;

export interface CallDetailSource {
  /** One answer per request, in order: its slot parts, or the Error of a fetch it needed. */
  load(requests: readonly CallDetailRequest[]): Promise<Array<SlotParts | Error>>;
}

export interface CallDetailSourceDeps {
  readonly fetchCallDetail: FetchCallDetail;
  readonly cache: WindowCache;
  readonly slotMs: number;
  /** Upstream latency plus margin: a slot older than this past its end can no longer change. */
  readonly settleMs: number;
  readonly now: () => number;
}

const SECOND_MS = 1000;
// A call may wait in the rate limiter's queue: starting it a minute inside the retention keeps the upstream
// from refusing it as too old. The data cut off is older than anything a request may ask for by then.
const RETENTION_SAFETY_MS = 60_000;
// UP before DOWN in every answer, whatever order the directions were asked in.
const STREAM_ORDER: readonly StreamDirection[] = ['up', 'down'];
const DIRECTIONS_OF_FILTER = { 0: ['up', 'down'], 1: ['up'], 2: ['down'] } as const;

interface RoomNeeds {
  readonly appId: string;
  readonly roomId: string;
  readonly needs: SlotNeed[];
}

export function createCallDetailSource(deps: CallDetailSourceDeps): CallDetailSource {
  const { cache, slotMs } = deps;
  const inflight = new Map<string, Promise<SlotEntry>>();

  const keyOf = (
    appId: string,
    roomId: string,
    userId: string,
    direction: StreamDirection,
    slotStartMs: number,
  ) => slotCacheKey({ appId, roomId, userId, direction, slotStartMs, slotMs });

  /** Fetches one planned call and caches every (user, direction, slot) it covers, empty ones included. */
  async function fetchCall(
    room: RoomNeeds,
    call: PlannedCall,
    nowMs: number,
  ): Promise<Map<string, SlotEntry>> {
    const oldestMs =
      Math.ceil((nowMs - LIST_CALL_DETAIL_LIMITS.retentionMs + RETENTION_SAFETY_MS) / SECOND_MS) * SECOND_MS;
    const result: CallDetailResult = await deps.fetchCallDetail({
      appId: room.appId,
      roomId: room.roomId,
      userIds: call.userIds,
      startMs: Math.max(call.startMs, oldestMs),
      endMs: call.endMs,
      direction: call.direction,
    });
    const entries = new Map<string, SlotEntry>();
    for (const userId of call.userIds) {
      for (const direction of DIRECTIONS_OF_FILTER[call.direction]) {
        const streams = streamsOf(result, userId, direction);
        for (let slotStartMs = call.startMs; slotStartMs < call.endMs; slotStartMs += slotMs) {
          const key = keyOf(room.appId, room.roomId, userId, direction, slotStartMs);
          const entry = encodeSlotEntry(streams, slotStartMs, slotStartMs + slotMs);
          cache.set(key, entry, isSlotImmutable(slotStartMs, slotMs, nowMs, deps.settleMs));
          entries.set(key, entry);
        }
      }
    }
    return entries;
  }

  /** Starts the calls for a room's missing slots; registers each slot as in flight before anything awaits. */
  function startFetches(
    room: RoomNeeds,
    nowMs: number,
    pending: Map<string, SlotEntry | Promise<SlotEntry>>,
  ) {
    const calls = planCalls(room.needs, {
      slotMs,
      maxSpanMs: LIST_CALL_DETAIL_LIMITS.maxSpanMs,
      maxUsers: LIST_CALL_DETAIL_LIMITS.maxUsersPerCall,
    });
    const needed = new Set(
      room.needs.map((need) => keyOf(room.appId, room.roomId, need.userId, need.direction, need.slotStartMs)),
    );
    for (const call of calls) {
      const fetched = fetchCall(room, call, nowMs);
      for (const userId of call.userIds) {
        for (const direction of DIRECTIONS_OF_FILTER[call.direction]) {
          for (let slotStartMs = call.startMs; slotStartMs < call.endMs; slotStartMs += slotMs) {
            const key = keyOf(room.appId, room.roomId, userId, direction, slotStartMs);
            if (!needed.delete(key)) continue;
            const entry = fetched.then((entries) => entries.get(key) as SlotEntry);
            pending.set(key, entry);
            inflight.set(key, entry);
            const forget = () => {
              if (inflight.get(key) === entry) inflight.delete(key);
            };
            entry.then(forget, forget);
          }
        }
      }
    }
  }

  return {
    async load(requests) {
      const nowMs = deps.now();
      const pending = new Map<string, SlotEntry | Promise<SlotEntry>>();
      const rooms = new Map<string, RoomNeeds>();
      for (const request of requests) {
        for (const slotStartMs of slotsCovering(request.fromMs, request.toMs, slotMs)) {
          for (const direction of request.directions) {
            const key = keyOf(request.appId, request.roomId, request.userId, direction, slotStartMs);
            if (pending.has(key)) continue;
            const found = cache.get(key) ?? inflight.get(key);
            if (found !== undefined) {
              pending.set(key, found);
              continue;
            }
            const roomKey = JSON.stringify([request.appId, request.roomId]);
            const room = getOrInsert(rooms, roomKey, () => ({
              appId: request.appId,
              roomId: request.roomId,
              needs: [],
            }));
            room.needs.push({ userId: request.userId, slotStartMs, direction });
          }
        }
      }
      for (const room of rooms.values()) startFetches(room, nowMs, pending);

      return Promise.all(
        requests.map(async (request) => {
          try {
            const parts: StreamDetail[][] = [];
            for (const slotStartMs of slotsCovering(request.fromMs, request.toMs, slotMs)) {
              const part: StreamDetail[] = [];
              for (const direction of STREAM_ORDER) {
                if (!request.directions.includes(direction)) continue;
                const key = keyOf(request.appId, request.roomId, request.userId, direction, slotStartMs);
                part.push(
                  ...decodeSlotEntry(
                    await (pending.get(key) as Promise<SlotEntry>),
                    request.userId,
                    direction,
                  ),
                );
              }
              parts.push(part);
            }
            return parts;
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      );
    },
  };
}
