/**
 * The real source, cache and loader in front of a fake upstream that answers every call with no streams and
 * records it: what a cost test compares its count with is the calls the gateway actually made.
 */
import { OPEN_PRINCIPAL } from '../../src/auth/principal.js';
import { createEventLoopTurns } from '../../src/limits/event-loop-turns.js';
import { createOutputBudget } from '../../src/limits/output-budget.js';
import type { CallDetailQuery } from '../../src/model/call-detail.js';
import { createCallDetailLoader } from '../../src/slots/call-detail-loader.js';
import { type CallDetailSource, createCallDetailSource } from '../../src/slots/call-detail-source.js';
import { createWindowCache } from '../../src/slots/window-cache.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const SLOT_MS = 5 * MINUTE_MS;
/** Noon, so the hours before it are settled and a whole morning lies inside the retention. */
export const NOW = Date.UTC(2024, 0, 1, 12);

export function recordingUpstream(nowMs = NOW) {
  const queries: CallDetailQuery[] = [];
  let loads = 0;
  const source = createCallDetailSource({
    fetchCallDetail: async (query) => {
      queries.push(query);
      return { requestId: `req-${queries.length}`, streams: [], startMs: query.startMs };
    },
    cache: createWindowCache({ maxBytes: 16 * 1024 * 1024, tailTtlMs: 5_000, now: () => nowMs }),
    slotMs: SLOT_MS,
    settleMs: 160_000,
    now: () => nowMs,
  });
  const counted: CallDetailSource = {
    load: (requests) => {
      loads += 1;
      return source.load(requests);
    },
  };
  return {
    /** Every upstream call, in order. */
    queries,
    /** How many batches reached the source. */
    loads: () => loads,
    /** A request context as the gateway makes it, for a principal that may read every AppId. */
    context: () => ({
      nowMs,
      callDetailLoader: createCallDetailLoader(counted),
      principal: OPEN_PRINCIPAL,
      output: createOutputBudget(Number.POSITIVE_INFINITY),
      nextTurn: createEventLoopTurns().forOperation(),
      slotTiming: { slotMs: SLOT_MS, settleMs: 160_000 },
      ranges: { earliestFromMs: Number.POSITIVE_INFINITY, latestToMs: Number.NEGATIVE_INFINITY },
      warnings: [],
    }),
  };
}

/** An ISO instant `minutes` after 10:00 on the test day. */
export function at(minutes: number): string {
  return new Date(Date.UTC(2024, 0, 1, 10) + minutes * MINUTE_MS).toISOString();
}

export const userIds = (count: number, prefix = 'u') =>
  Array.from({ length: count }, (_, i) => `${prefix}${i}`);
