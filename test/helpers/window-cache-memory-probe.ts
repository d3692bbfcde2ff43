/**
 * Run by window-cache-memory.test.ts in a child process of its own (`node --expose-gc --import tsx`): fills a
 * window cache through the real call-detail source, one case at a time, and prints per case one JSON line of
 * what the cache accounted and what heapUsed + arrayBuffers grew by. The fake upstream answers with the
 * simulator's data through the real parser, so entries hold what real answers leave in them.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { generateCallDetailResult } from '../../src/simulator/synthetic-data.js';
import { createCallDetailSource } from '../../src/slots/call-detail-source.js';
import { createWindowCache } from '../../src/slots/window-cache.js';
import type { FetchCallDetail } from '../../src/upstream/call-detail-fetcher.js';
import { parseListCallDetailResponse } from '../../src/upstream/parse-response.js';

export interface MemoryCase {
  readonly name: string;
  readonly entries: number;
  readonly accountedBytes: number;
  readonly measuredBytes: number;
  /** Points held (each a time and a value), as the loads answered them. */
  readonly points: number;
}

const HOUR_MS = 3_600_000;
const HOURS = 4;
const SETTLE_MS = 160_000;
const DATA_USERS = 20;
const EMPTY_ENTRIES = 60_000;

const fetchCallDetail: FetchCallDetail = async (query) => {
  const result = generateCallDetailResult({
    appId: query.appId,
    roomId: query.roomId,
    userIds: query.userIds,
    startMs: query.startMs,
    endMs: query.endMs,
    direction: query.direction,
    sampleIntervalMs: 10_000,
    nowMs: Date.now(),
  });
  const body = JSON.stringify({ ResponseMetadata: { RequestId: 'probe' }, Result: result });
  return { ...parseListCallDetailResponse(200, body), startMs: query.startMs };
};

/** heapUsed + arrayBuffers once the garbage is gone (V8 frees backing stores on a background thread). */
async function settledBytes(): Promise<number> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let round = 0; round < 6; round += 1) {
    gc();
    await sleep(20);
  }
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

interface Case {
  readonly withData: boolean;
  readonly idLength: number;
  readonly slotMs: number;
  /** One call per user and slot, as a dashboard polling one user makes once each slot settles. */
  readonly callPerSlot?: boolean;
  /**
   * A cache bounded at this many bytes, fed `EVICTING_TIMES` what it holds: what it keeps must be all that stays,
   * of the entries and of their keys' place in the index alike.
   */
  readonly maxBytes?: number;
}

const EVICTING_TIMES = 5;
const EVICTING_CACHE_BYTES = 8 * 1024 ** 2;

const nameOf = ({ withData, idLength, slotMs, callPerSlot, maxBytes }: Case) =>
  `${withData ? 'data' : 'empty'}, ${idLength}-char user ids, ${slotMs / 1000} s slots` +
  (callPerSlot ? ', one call per user and slot' : '') +
  (maxBytes === undefined ? '' : `, ${EVICTING_TIMES} times what the cache holds`);

/** A cache holding both directions of every slot of `hours` past hours, for users with data or without. */
async function filledCache(
  { withData, idLength, slotMs, callPerSlot = false, maxBytes }: Case,
  hours = HOURS,
) {
  const slotsPerUser = 2 * hours * (HOUR_MS / slotMs);
  const fed = maxBytes === undefined ? 1 : EVICTING_TIMES;
  const users = withData ? DATA_USERS : Math.ceil((fed * EMPTY_ENTRIES) / slotsPerUser);
  // The simulator gives no data to ids starting with `absent`.
  const prefix = withData ? 'user' : 'absent';
  const ids = Array.from({ length: users }, (_, index) =>
    `${prefix}${index.toString(36).padStart(8 - prefix.length, '0')}`.padEnd(idLength, '.'),
  );
  const cache = createWindowCache({ maxBytes: maxBytes ?? 8 * 1024 ** 3, tailTtlMs: 5_000 });
  const source = createCallDetailSource({
    fetchCallDetail,
    cache,
    slotMs,
    settleMs: SETTLE_MS,
    now: Date.now,
  });
  // Hours that ended more than an hour ago: every slot is immutable, as most of a real cache is.
  const toMs = Math.floor((Date.now() - HOUR_MS) / HOUR_MS) * HOUR_MS;
  const fromMs = toMs - hours * HOUR_MS;
  const request = (userId: string, from: number, to: number) =>
    ({ appId: 'app1', roomId: 'room1', userId, fromMs: from, toMs: to, directions: ['up', 'down'] }) as const;
  const loads = callPerSlot
    ? ids.flatMap((userId) =>
        Array.from({ length: slotsPerUser / 2 }, (_, slot) => [
          request(userId, fromMs + slot * slotMs, fromMs + (slot + 1) * slotMs),
        ]),
      )
    : [ids.map((userId) => request(userId, fromMs, toMs))];
  let points = 0;
  for (const requests of loads) {
    for (const answer of await source.load(requests)) {
      if (answer instanceof Error) throw new Error('a load failed');
      for (const stream of answer.flat()) for (const metric of stream.metrics) points += metric.times.length;
    }
  }
  const { entries, evictions } = cache.stats();
  if (maxBytes === undefined && entries !== users * slotsPerUser) {
    throw new Error('the cache did not keep every entry');
  }
  if (maxBytes !== undefined && evictions < (fed - 1.5) * entries)
    throw new Error('the cache hardly evicted');
  return { cache, points };
}

/**
 * One case, measured in a frame of its own: a suspended async function keeps what it once held reachable, so a
 * loop holding each cache in turn would free the previous one in the middle of the next measurement.
 */
async function measure(testCase: Case): Promise<MemoryCase> {
  const before = await settledBytes();
  const { cache, points } = await filledCache(testCase);
  const measuredBytes = (await settledBytes()) - before;
  const { entries, bytes } = cache.stats();
  return { name: nameOf(testCase), entries, accountedBytes: bytes, measuredBytes, points };
}

// Unmeasured: the first fills also leave compiled code and grown VM tables behind.
await filledCache({ withData: true, idLength: 8, slotMs: 60_000 }, 1);
await filledCache({ withData: false, idLength: 8, slotMs: 60_000 }, 1);
for (const withData of [true, false]) {
  for (const idLength of [8, 128]) {
    for (const slotMs of [60_000, 300_000]) {
      console.log(JSON.stringify(await measure({ withData, idLength, slotMs })));
    }
  }
}
console.log(
  JSON.stringify(await measure({ withData: true, idLength: 8, slotMs: 300_000, callPerSlot: true })),
);
// The bound of the empty 60 s case above: that case's entries fit, five times as many are fed.
console.log(
  JSON.stringify(
    await measure({ withData: false, idLength: 8, slotMs: 60_000, maxBytes: EVICTING_CACHE_BYTES }),
  ),
);
