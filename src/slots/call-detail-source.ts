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
 * fetched again whole, see lookUpSlot), and the parts of a settled slot are joined in the cache as they arrive.
 */
import type { StreamDetail, StreamDirection } from '../model/call-detail.js';
import type { Flow } from '../model/flow.js';
import { getOrInsert } from '../model/get-or-insert.js';
import type { FetchCallDetail } from '../upstream/call-detail-fetcher.js';
import type { CallDetailRequest, SlotParts } from './call-detail-request.js';
import type { DecodedEntries } from './decoded-entries.js';
import { NotArchivedError } from './not-archived-error.js';
import { dropPastRetention, pastRetentionEdge } from './past-retention.js';
import type { SecondLevelSlotStore } from './second-level-slot-store.js';
import { settledRunOf } from './settled-runs.js';
import { takeFromSharedStore } from './shared-store-slots.js';
import { createSlotAssembly } from './slot-assembly.js';
import { decodeSlotEntry, type SlotEntry } from './slot-entry.js';
import { createSlotFetches, type RoomNeeds } from './slot-fetches.js';
import { lookUpSlot } from './slot-lookup.js';
import { slotNeedsOf } from './slot-needs.js';
import { createInFlightPieces } from './slot-pieces.js';
import { isSlotImmutable } from './slots.js';
import type { MissingSlot, SlotUse, SourceState } from './source-state.js';
import { slotCacheKeyAfter, slotKeyPrefix, type WindowCache } from './window-cache.js';

// Where the rest of the gateway finds the source's types.
export type { CallDetailRequest, SlotParts } from './call-detail-request.js';
export type { SecondLevelSlotStore } from './second-level-slot-store.js';

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

const NO_ENTRIES: readonly SlotEntry[] = Object.freeze([]);

export function createCallDetailSource(deps: CallDetailSourceDeps): CallDetailSource {
  const { cache, slotMs } = deps;
  const state: SourceState = {
    cache,
    slotMs,
    inflight: createInFlightPieces(),
    isSettled: (slotStartMs, nowMs) => isSlotImmutable(slotStartMs, slotMs, nowMs, deps.settleMs),
  };
  const fetches = createSlotFetches(state, deps);
  const decode = deps.decodedEntries?.decode ?? decodeSlotEntry;
  const assembly = createSlotAssembly(slotMs, decode);

  return {
    async load(requests, flow) {
      const nowMs = deps.now();
      const missing = new Map<string, MissingSlot>();
      // Per request: its settled slots found in one lookup per direction, then per slot of the rest, what each
      // direction needs and found: computed once, used again to assemble.
      const layouts = requests.map((request) => {
        const { directions } = request;
        const prefixes = directions.map((direction) =>
          slotKeyPrefix(request.appId, request.roomId, request.userId, direction),
        );
        const prefixOf = (direction: StreamDirection) => prefixes[directions.indexOf(direction)] as string;
        const run = settledRunOf(state, request, prefixes, nowMs);
        const rest = run === undefined ? request : { ...request, fromMs: run.restFromMs };
        const uses = slotNeedsOf(rest, slotMs, nowMs).map((slot) =>
          slot.map((need): SlotUse => {
            const key = slotCacheKeyAfter(prefixOf(need.direction), need.slotStartMs, slotMs);
            const planned = missing.get(key);
            const { held, gaps, whole } = lookUpSlot(state, key, need, nowMs, planned?.needs ?? []);
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
        return { settled: run?.entries ?? NO_ENTRIES, uses };
      });
      if (missing.size > 0 && deps.sharedStore) {
        await takeFromSharedStore(state, deps.sharedStore, missing, nowMs);
      }
      const pastEdgeMs = pastRetentionEdge(deps.upstreamRetentionMs, nowMs);
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
      for (const room of rooms.values()) fetches.start(room, nowMs, missing, flow);

      return Promise.all(
        requests.map(async (request, index) => {
          try {
            const layout = layouts[index] as (typeof layouts)[number];
            const parts: Array<readonly StreamDetail[]> = [];
            const { directions } = request;
            layout.settled.forEach((entry, at) => {
              parts.push(
                decode(entry, request.userId, directions[at % directions.length] as StreamDirection),
              );
            });
            // Every part missing past the retention, so that the error names all of them, not the first.
            const notArchived: NotArchivedError[] = [];
            for (const slot of layout.uses) {
              for (const use of slot) {
                try {
                  const pieces = missing.get(use.key)?.pieces ?? [];
                  const streams = assembly.streamsFrom(request, use, pieces, pastEdgeMs);
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
