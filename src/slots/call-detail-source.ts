/**
 * Where every request's call-detail data comes from (process-lifetime): the window cache first, then fetches
 * already in flight for other requests, and only then the upstream, for the parts of slots still missing,
 * planned into as few calls as possible. Fetches are shared: they never carry one client's abort signal, so a
 * client that goes away cannot cancel data another client waits for (and what was fetched still lands in the
 * cache).
 *
 * A slot may be held in part: calls start where a range starts and end where it ends, so the slots at a
 * range's ends are fetched only for the part inside it. Such an entry answers any request for instants inside
 * its interval; a request needing more of the slot fetches only the rest (for a settled slot; the tail is
 * fetched again whole, see lookUp), and the parts of a settled slot are joined in the cache as they arrive.
 */
import { LIST_CALL_DETAIL_LIMITS, type StreamDetail, type StreamDirection } from '../model/call-detail.js';
import type { Flow } from '../model/flow.js';
import { getOrInsert } from '../model/get-or-insert.js';
import type { FetchCallDetail } from '../upstream/call-detail-fetcher.js';
import type { DecodedEntries } from './decoded-entries.js';
import { type PlannedCall, planCalls, type SlotNeed } from './fetch-planner.js';
import { mergeSlotEntries } from './merge-slot-entries.js';
import { NotArchivedError } from './not-archived-error.js';
import { RetentionEdgeError } from './retention-edge-error.js';
import {
  decodeSlotEntry,
  encodeSlotEntry,
  isWholeSlotEntry,
  type SlotEntry,
  slotEntryCoverage,
  streamsOf,
} from './slot-entry.js';
import { slotNeedsOf } from './slot-needs.js';
import {
  createInFlightPieces,
  gapsOf,
  holds,
  type InFlight,
  type Interval,
  overlaps,
  type Piece,
} from './slot-pieces.js';
import { isSlotImmutable, reachesPresent, slotStartOf } from './slots.js';
import { slotCacheKey, slotCacheKeyAfter, slotKeyPrefix, type WindowCache } from './window-cache.js';

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
  /**
   * With an archive among the second-level stores: the upstream's retention. A part of a slot older than that is
   * never fetched (the upstream no longer has it): it comes from the stores, or the request gets a
   * NotArchivedError naming what is missing. Without it, ranges that old are refused before they get here.
   */
  readonly upstreamRetentionMs?: number;
}

/**
 * How far inside the upstream's retention a part of a slot must start to be fetched: more than the upstream
 * client keeps its own calls inside the edge, so a call this source plans is never cut short there.
 */
const PAST_RETENTION_MARGIN_MS = 10_000;

/**
 * What the source needs of a shared store. It must never throw nor wait long: a failure is a miss (get) or a
 * skipped write (put), so replicas degrade to their own cache.
 */
export interface SecondLevelSlotStore {
  getMany(keys: readonly string[]): Promise<Map<string, SlotEntry>>;
  putMany(entries: ReadonlyArray<readonly [string, SlotEntry]>): void;
}

const DIRECTIONS_OF_FILTER = { 0: ['up', 'down'], 1: ['up'], 2: ['down'] } as const;
const NO_GAPS: ReadonlyArray<[number, number]> = Object.freeze([]);
const NO_PIECES: readonly Piece[] = Object.freeze([]);

/** What one load still has to fetch of one (user, direction, slot), and the pieces that will hold it. */
interface MissingSlot {
  readonly appId: string;
  readonly roomId: string;
  readonly slotStartMs: number;
  needs: SlotNeed[];
  readonly pieces: Piece[];
}

/** One (request, slot, direction) of a load: what it needs, and the pieces it found already held. */
interface SlotUse {
  readonly key: string;
  readonly need: SlotNeed;
  readonly held: readonly Piece[];
  /** The cached entry alone holding the whole need (the common case): nothing else to look at or join. */
  readonly whole?: SlotEntry;
}

interface RoomNeeds {
  readonly appId: string;
  readonly roomId: string;
  readonly needs: SlotNeed[];
}

export function createCallDetailSource(deps: CallDetailSourceDeps): CallDetailSource {
  const { cache, slotMs } = deps;
  const decode = deps.decodedEntries?.decode ?? decodeSlotEntry;
  const inflight = createInFlightPieces();
  const isSettled = (slotStartMs: number, nowMs: number) =>
    isSlotImmutable(slotStartMs, slotMs, nowMs, deps.settleMs);
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
  const pieceOf = (entry: SlotEntry, slotStartMs: number): Piece => {
    const { fromMs, toMs } = slotEntryCoverage(entry, slotStartMs, slotMs);
    return { fromMs, toMs, entry };
  };

  /**
   * What a need can use besides fetching: pieces cached, in flight, or already planned by this load, and what
   * of it none of them holds. Once the slot has settled, only what was fetched after that will do: an earlier
   * fetch of the tail may lack data that arrived late, and `final: true` promises the answer never changes
   * (see isRangeSettled). A tail piece is used only when it holds the whole need: the tail's pieces are never
   * joined (a piece fetched later would keep an older one alive past its TTL), so its rest is fetched again,
   * in the same call as the part missing, which costs no call of its own.
   */
  function lookUp(
    key: string,
    need: SlotNeed,
    nowMs: number,
    planned: readonly Interval[],
  ): { held: readonly Piece[]; gaps: ReadonlyArray<[number, number]>; whole?: SlotEntry } {
    const settled = isSettled(need.slotStartMs, nowMs);
    const candidates: Piece[] = [];
    const cached = cache.get(key, settled);
    if (cached !== undefined) {
      const piece = pieceOf(cached, need.slotStartMs);
      if (holds(piece, need)) return { held: NO_PIECES, gaps: NO_GAPS, whole: cached };
      candidates.push(piece);
    }
    candidates.push(...inflight.joinable(key, settled));
    const all: Interval[] = [...candidates, ...planned];
    if (!settled) {
      const whole = candidates.find((piece) => holds(piece, need));
      if (whole !== undefined) return { held: [whole], gaps: [] };
      const plannedWhole = planned.some((piece) => holds(piece, need));
      return { held: [], gaps: plannedWhole ? [] : [[need.fromMs, need.toMs] as [number, number]] };
    }
    return {
      held: candidates.filter((piece) => overlaps(piece, need)),
      gaps: gapsOf(need.fromMs, need.toMs, all),
    };
  }

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

  /** Starts the calls for a room's missing parts; registers each piece as in flight before anything awaits. */
  function startFetches(
    room: RoomNeeds,
    nowMs: number,
    missing: Map<string, MissingSlot>,
    flow: Flow | undefined,
  ) {
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
            inflight.add(key, flying);
          }
        }
      }
    }
  }

  /**
   * Serves the missing settled slots that other replicas already hold whole from the shared store (and puts them
   * in the local cache). Only immutable slots are shared, so the moving tail never costs a Redis round trip.
   */
  async function takeFromSharedStore(missing: Map<string, MissingSlot>, nowMs: number): Promise<void> {
    const candidates = [...missing].filter(([, slot]) => isSettled(slot.slotStartMs, nowMs));
    if (candidates.length === 0 || !deps.sharedStore) return;
    const shared = await deps.sharedStore.getMany(candidates.map(([key]) => key));
    for (const [key, entry] of shared) {
      const slot = missing.get(key);
      if (slot === undefined || !isWholeSlotEntry(entry)) continue;
      cache.set(key, entry, true);
      slot.pieces.push(pieceOf(entry, slot.slotStartMs));
      slot.needs = [];
    }
    // While we asked Redis, another request may have started fetching some of the same parts: join it.
    for (const [key, slot] of missing) {
      slot.needs = slot.needs.filter((need) => {
        const flying = inflight
          .joinable(key, isSettled(need.slotStartMs, nowMs))
          .find((piece) => holds(piece, need));
        if (flying) slot.pieces.push(flying);
        return flying === undefined;
      });
    }
  }

  /** Where the part of slots never fetched ends (whole seconds, as calls start); -Infinity without an archive. */
  function pastRetentionEdge(nowMs: number): number {
    if (deps.upstreamRetentionMs === undefined) return Number.NEGATIVE_INFINITY;
    return Math.ceil((nowMs - deps.upstreamRetentionMs + PAST_RETENTION_MARGIN_MS) / 1000) * 1000;
  }

  /** Keeps only what the upstream still has of the needs left after the second-level stores. */
  function dropPastRetention(missing: Map<string, MissingSlot>, edgeMs: number) {
    for (const slot of missing.values()) {
      slot.needs = slot.needs.flatMap((need) =>
        need.toMs <= edgeMs ? [] : [{ ...need, fromMs: Math.max(need.fromMs, edgeMs) }],
      );
    }
  }

  /**
   * The need's streams from its pieces, one list per piece in time order; if they leave part of it out, a
   * NotArchivedError for a part past the retention (never fetched) or a RetentionEdgeError (a call the
   * retention cut short).
   */
  function streamsFrom(
    request: CallDetailRequest,
    use: SlotUse,
    fresh: readonly Piece[],
    pastEdgeMs: number,
  ): SlotParts | Promise<SlotParts> {
    if (use.whole !== undefined) return [decode(use.whole, request.userId, use.need.direction)];
    const pieces = [...use.held, ...fresh.filter((piece) => overlaps(piece, use.need))];
    const entries = pieces.map((piece) => piece.entry);
    if (entries.every((entry) => !(entry instanceof Promise))) {
      return streamsOfEntries(request, use.need, entries as SlotEntry[], pastEdgeMs);
    }
    return Promise.all(entries).then((settled) => streamsOfEntries(request, use.need, settled, pastEdgeMs));
  }

  function streamsOfEntries(
    request: CallDetailRequest,
    need: SlotNeed,
    entries: readonly SlotEntry[],
    pastEdgeMs: number,
  ): SlotParts {
    const held = entries.map((entry) => pieceOf(entry, need.slotStartMs));
    const [gap] = gapsOf(need.fromMs, need.toMs, held);
    if (gap !== undefined && gap[0] < pastEdgeMs) {
      throw new NotArchivedError(request.userId, [[gap[0], Math.min(gap[1], pastEdgeMs)]]);
    }
    if (gap !== undefined) throw new RetentionEdgeError(request.fromMs, gap[1]);
    return held
      .sort((a, b) => a.fromMs - b.fromMs)
      .map((piece) => decode(piece.entry as SlotEntry, request.userId, need.direction));
  }

  return {
    async load(requests, flow) {
      const nowMs = deps.now();
      const missing = new Map<string, MissingSlot>();
      // Per request, per slot, what each direction needs and found: computed once, used again to assemble.
      const layouts = requests.map((request) => {
        const prefixes = new Map<StreamDirection, string>();
        const prefixOf = (direction: StreamDirection) =>
          getOrInsert(prefixes, direction, () =>
            slotKeyPrefix(request.appId, request.roomId, request.userId, direction),
          );
        return slotNeedsOf(request, slotMs, nowMs).map((slot) =>
          slot.map((need): SlotUse => {
            const key = slotCacheKeyAfter(prefixOf(need.direction), need.slotStartMs, slotMs);
            const planned = missing.get(key);
            const { held, gaps, whole } = lookUp(key, need, nowMs, planned?.needs ?? []);
            if (gaps.length > 0) {
              const slotMissing = getOrInsert(missing, key, () => ({
                appId: request.appId,
                roomId: request.roomId,
                slotStartMs: need.slotStartMs,
                needs: [],
                pieces: [],
              }));
              for (const [fromMs, toMs] of gaps) slotMissing.needs.push({ ...need, fromMs, toMs });
            }
            return whole === undefined ? { key, need, held } : { key, need, held, whole };
          }),
        );
      });
      if (missing.size > 0 && deps.sharedStore) await takeFromSharedStore(missing, nowMs);
      const pastEdgeMs = pastRetentionEdge(nowMs);
      if (pastEdgeMs > Number.NEGATIVE_INFINITY) dropPastRetention(missing, pastEdgeMs);

      const rooms = new Map<string, RoomNeeds>();
      for (const slot of missing.values()) {
        if (slot.needs.length === 0) continue;
        const room = getOrInsert(rooms, JSON.stringify([slot.appId, slot.roomId]), () => ({
          appId: slot.appId,
          roomId: slot.roomId,
          needs: [],
        }));
        room.needs.push(...slot.needs);
      }
      for (const room of rooms.values()) startFetches(room, nowMs, missing, flow);

      return Promise.all(
        requests.map(async (request, index) => {
          try {
            const parts: Array<readonly StreamDetail[]> = [];
            // Every part missing past the retention, so that the error names all of them, not the first.
            const notArchived: NotArchivedError[] = [];
            for (const slot of layouts[index] ?? []) {
              for (const use of slot) {
                try {
                  const streams = streamsFrom(request, use, missing.get(use.key)?.pieces ?? [], pastEdgeMs);
                  // Most entries come from the cache: no await (and no microtask) for those.
                  parts.push(...(streams instanceof Promise ? await streams : streams));
                } catch (error) {
                  if (!(error instanceof NotArchivedError)) throw error;
                  notArchived.push(error);
                }
              }
            }
            if (notArchived.length > 0) throw NotArchivedError.spanning(request.userId, notArchived);
            return parts;
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      );
    },
  };
}
