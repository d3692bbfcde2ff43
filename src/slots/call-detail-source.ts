/**
 * Where every request's call-detail data comes from (process-lifetime): the window cache first, then fetches
 * already in flight for other requests, and only then the upstream, for the slots still missing, planned into
 * as few calls as possible. Fetches are shared: they never carry one client's abort signal, so a client that
 * goes away cannot cancel data another client waits for (and what was fetched still lands in the cache).
 */
import { LIST_CALL_DETAIL_LIMITS, type StreamDetail, type StreamDirection } from '../model/call-detail.js';
import type { Flow } from '../model/flow.js';
import { getOrInsert } from '../model/get-or-insert.js';
import type { FetchCallDetail } from '../upstream/call-detail-fetcher.js';
import type { DecodedEntries } from './decoded-entries.js';
import { type PlannedCall, planCalls, type SlotNeed } from './fetch-planner.js';
import { RetentionEdgeError } from './retention-edge-error.js';
import { decodeSlotEntry, encodeSlotEntry, type SlotEntry, streamsOf } from './slot-entry.js';
import { slotNeedsOf } from './slot-needs.js';
import { isSlotImmutable } from './slots.js';
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
  /**
   * One answer per request, in order: its slot parts, or the Error of a fetch it needed. `flow`: whose
   * requests these are; the fetches they start wait for their rate-limit turns in it, and a request that
   * joins a fetch in flight waits in the flow that started it.
   */
  load(requests: readonly CallDetailRequest[], flow?: Flow): Promise<Array<SlotParts | Error>>;
}

export interface CallDetailSourceDeps {
  readonly fetchCallDetail: FetchCallDetail;
  readonly cache: WindowCache;
  readonly slotMs: number;
  /** Upstream latency plus margin: a slot older than this past its end can no longer change. */
  readonly settleMs: number;
  readonly now: () => number;
  /** A second-level store of immutable slots shared by replicas (Redis); optional. */
  readonly sharedStore?: SecondLevelSlotStore;
  /** Entries kept decoded between requests; without it every read decodes. */
  readonly decodedEntries?: DecodedEntries;
}

/**
 * What the source needs of a shared store. It must never throw nor wait long: a failure is a miss (get) or a
 * skipped write (put), so replicas degrade to their own cache.
 */
export interface SecondLevelSlotStore {
  getMany(keys: readonly string[]): Promise<Map<string, SlotEntry>>;
  putMany(entries: ReadonlyArray<readonly [string, SlotEntry]>): void;
}

const DIRECTIONS_OF_FILTER = { 0: ['up', 'down'], 1: ['up'], 2: ['down'] } as const;

/** A slot found neither in the cache nor in flight, with what it takes to plan its fetch. */
interface MissingSlot {
  readonly appId: string;
  readonly roomId: string;
  readonly need: SlotNeed;
}

/** A fetch other requests may join; `settled`: started once its slot could no longer change. */
interface InFlight {
  readonly entry: Promise<SlotEntry>;
  readonly settled: boolean;
}

interface RoomNeeds {
  readonly appId: string;
  readonly roomId: string;
  readonly needs: SlotNeed[];
}

export function createCallDetailSource(deps: CallDetailSourceDeps): CallDetailSource {
  const { cache, slotMs } = deps;
  const decode = deps.decodedEntries?.decode ?? decodeSlotEntry;
  const inflight = new Map<string, InFlight>();
  const isSettled = (slotStartMs: number, nowMs: number) =>
    isSlotImmutable(slotStartMs, slotMs, nowMs, deps.settleMs);

  /**
   * What a request may use for a slot besides fetching it: an entry cached or in flight. Once the slot has
   * settled, only what was fetched after that will do: an earlier fetch of the tail may lack data that
   * arrived late, and `final: true` promises the answer never changes (see isRangeSettled).
   */
  function reusable(
    key: string,
    slotStartMs: number,
    nowMs: number,
  ): SlotEntry | Promise<SlotEntry> | undefined {
    const settled = isSettled(slotStartMs, nowMs);
    const cached = cache.get(key, settled);
    if (cached !== undefined) return cached;
    const flying = inflight.get(key);
    return flying === undefined || (settled && !flying.settled) ? undefined : flying.entry;
  }

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
    const immutable: Array<[string, SlotEntry]> = [];
    for (const userId of call.userIds) {
      for (const direction of DIRECTIONS_OF_FILTER[call.direction]) {
        const streams = streamsOf(result, userId, direction);
        for (let slotStartMs = call.startMs; slotStartMs < call.endMs; slotStartMs += slotMs) {
          const key = keyOf(room.appId, room.roomId, userId, direction, slotStartMs);
          const entry = encodeSlotEntry(streams, slotStartMs, slotStartMs + slotMs, result.startMs);
          const settled = isSettled(slotStartMs, nowMs);
          cache.set(key, entry, settled);
          // A slot cut at the retention's edge stays local: the shared format has no room for its coverage,
          // and nobody can ask for the part it lacks once the edge has passed it.
          if (settled && entry.coveredFromMs === undefined) immutable.push([key, entry]);
          entries.set(key, entry);
        }
      }
    }
    if (immutable.length > 0) deps.sharedStore?.putMany(immutable);
    return entries;
  }

  /** Starts the calls for a room's missing slots; registers each slot as in flight before anything awaits. */
  function startFetches(
    room: RoomNeeds,
    nowMs: number,
    pending: Map<string, SlotEntry | Promise<SlotEntry>>,
    flow: Flow | undefined,
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
      const fetched = fetchCall(room, call, nowMs, flow);
      for (const userId of call.userIds) {
        for (const direction of DIRECTIONS_OF_FILTER[call.direction]) {
          for (let slotStartMs = call.startMs; slotStartMs < call.endMs; slotStartMs += slotMs) {
            const key = keyOf(room.appId, room.roomId, userId, direction, slotStartMs);
            if (!needed.delete(key)) continue;
            const entry = fetched.then((entries) => entries.get(key) as SlotEntry);
            const flying = { entry, settled: isSettled(slotStartMs, nowMs) };
            pending.set(key, entry);
            inflight.set(key, flying);
            const forget = () => {
              if (inflight.get(key) === flying) inflight.delete(key);
            };
            entry.then(forget, forget);
          }
        }
      }
    }
  }

  /**
   * Moves the immutable slots other replicas already fetched from `missing` to `pending` (and into the local
   * cache). Only immutable slots are shared, so the moving tail never costs a Redis round trip.
   */
  async function takeFromSharedStore(
    missing: Map<string, MissingSlot>,
    pending: Map<string, SlotEntry | Promise<SlotEntry>>,
    nowMs: number,
  ): Promise<void> {
    const candidates = [...missing].filter(([, slot]) => isSettled(slot.need.slotStartMs, nowMs));
    if (candidates.length === 0 || !deps.sharedStore) return;
    const shared = await deps.sharedStore.getMany(candidates.map(([key]) => key));
    for (const [key, entry] of shared) {
      cache.set(key, entry, true);
      pending.set(key, entry);
      missing.delete(key);
    }
    // While we asked Redis, another request may have started fetching some of the same slots: join it.
    for (const [key, slot] of missing) {
      const flying = reusable(key, slot.need.slotStartMs, nowMs);
      if (flying) {
        pending.set(key, flying);
        missing.delete(key);
      }
    }
  }

  return {
    async load(requests, flow) {
      const nowMs = deps.now();
      const pending = new Map<string, SlotEntry | Promise<SlotEntry>>();
      const missing = new Map<string, MissingSlot>();
      // Per request, per slot, the keys of its directions: computed once, used again to assemble the answer.
      const layouts = requests.map((request) =>
        slotNeedsOf(request, slotMs).map((slot) =>
          slot.map((need) => {
            const key = keyOf(request.appId, request.roomId, need.userId, need.direction, need.slotStartMs);
            if (!pending.has(key) && !missing.has(key)) {
              const found = reusable(key, need.slotStartMs, nowMs);
              if (found !== undefined) pending.set(key, found);
              else missing.set(key, { appId: request.appId, roomId: request.roomId, need });
            }
            return { key, direction: need.direction, slotStartMs: need.slotStartMs };
          }),
        ),
      );
      if (missing.size > 0 && deps.sharedStore) await takeFromSharedStore(missing, pending, nowMs);

      const rooms = new Map<string, RoomNeeds>();
      for (const slot of missing.values()) {
        const room = getOrInsert(rooms, JSON.stringify([slot.appId, slot.roomId]), () => ({
          appId: slot.appId,
          roomId: slot.roomId,
          needs: [],
        }));
        room.needs.push(slot.need);
      }
      for (const room of rooms.values()) startFetches(room, nowMs, pending, flow);

      return Promise.all(
        requests.map(async (request, index) => {
          try {
            const parts: StreamDetail[][] = [];
            for (const slot of layouts[index] ?? []) {
              const part: StreamDetail[] = [];
              for (const { key, direction, slotStartMs } of slot) {
                const pendingEntry = pending.get(key) as SlotEntry | Promise<SlotEntry>;
                // Most entries come from the cache: no await (and no microtask) for those.
                const entry = pendingEntry instanceof Promise ? await pendingEntry : pendingEntry;
                const neededFromMs = Math.max(request.fromMs, slotStartMs);
                if (entry.coveredFromMs !== undefined && entry.coveredFromMs > neededFromMs) {
                  throw new RetentionEdgeError(request.fromMs, entry.coveredFromMs);
                }
                part.push(...decode(entry, request.userId, direction));
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
