/**
 * Memory per cached data point of the window cache, measured against the cache's own accounting.
 *
 * Fills a cache with the slots of 200 users x 6 hours at the simulator's 10 s sampling, made the way the
 * gateway makes them (simulator JSON -> parseListCallDetailResponse -> encodeSlotEntry per 5-minute slot), and
 * compares what the heap grew by with what slotEntryBytes claims. The accounting is the cache's byte bound: if
 * it under-counts, CACHE_MAX_MB lets the process grow past what the operator configured.
 *
 * Run: node --expose-gc --import tsx bench/cache-memory.ts
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { generateCallDetailResult } from '../src/simulator/synthetic-data.js';
import { LIST_CALL_DETAIL_LIMITS, type StreamDirection } from '../src/upstream/call-detail.js';
import { parseListCallDetailResponse } from '../src/upstream/parse-response.js';
import { encodeSlotEntry, slotEntryBytes, streamsOf } from '../src/upstream/slot-entry.js';
import { slotStartOf } from '../src/upstream/slots.js';
import { createWindowCache, slotCacheKey } from '../src/upstream/window-cache.js';
import { environmentLine, markdownTable, writeSection } from './results-file.js';

const USERS = 200;
const HOURS = 6;
const SAMPLE_INTERVAL_MS = 10_000;
const SLOT_MS = 5 * 60_000;
const HOUR_MS = 3_600_000;
const TARGET_BYTES_PER_POINT = 24;
const APP_ID = 'app1';
const ROOM_ID = 'room1';
const DIRECTIONS: readonly StreamDirection[] = ['up', 'down'];
const SECTION_HEADING = '## Memory per cached data point';

const gc = globalThis.gc;
if (!gc) throw new Error('run with --expose-gc: node --expose-gc --import tsx bench/cache-memory.ts');

/**
 * Heap and array-buffer bytes after the garbage is really gone: several full collections, with pauses, because
 * V8 frees array-buffer backing stores on a background thread after the collection that found them dead.
 */
async function settledMemory(collect: () => void) {
  for (let round = 0; round < 6; round += 1) {
    collect();
    await sleep(20);
  }
  const { heapUsed, arrayBuffers, rss } = process.memoryUsage();
  return { heapAndBuffers: heapUsed + arrayBuffers, rss };
}

const userIds = Array.from({ length: USERS }, (_, index) => `user-${String(index).padStart(3, '0')}`);
const startedAt = performance.now();
const nowMs = Date.now();
// Whole hours that ended more than an hour ago: every slot is immutable, as most of a real cache is.
const toMs = slotStartOf(nowMs - HOUR_MS, HOUR_MS);
const fromMs = toMs - HOURS * HOUR_MS;

const cache = createWindowCache({ maxBytes: 8 * 1024 ** 3, tailTtlMs: 5_000 });
let points = 0;
let entries = 0;
let emptyEntries = 0;
let accountedBytes = 0;
let dataBytes = 0;

const before = await settledMemory(gc);

/** One upstream call's worth: 20 users x 1 hour, through the same parser as real responses. */
function fillCall(callUsers: readonly string[], hourMs: number) {
  const result = generateCallDetailResult({
    appId: APP_ID,
    roomId: ROOM_ID,
    userIds: callUsers,
    startMs: hourMs,
    endMs: hourMs + HOUR_MS,
    direction: 0,
    sampleIntervalMs: SAMPLE_INTERVAL_MS,
    nowMs,
  });
  const body = JSON.stringify({ ResponseMetadata: { RequestId: 'bench' }, Result: result });
  const parsed = parseListCallDetailResponse(200, body);
  for (const userId of callUsers) {
    for (const direction of DIRECTIONS) {
      const streams = streamsOf(parsed, userId, direction);
      for (let slotStartMs = hourMs; slotStartMs < hourMs + HOUR_MS; slotStartMs += SLOT_MS) {
        const entry = encodeSlotEntry(streams, slotStartMs, slotStartMs + SLOT_MS);
        const key = slotCacheKey({
          appId: APP_ID,
          roomId: ROOM_ID,
          userId,
          direction,
          slotStartMs,
          slotMs: SLOT_MS,
        });
        cache.set(key, entry, true);
        entries += 1;
        if (entry.data.length === 0) emptyEntries += 1;
        points += entry.data.length / 2;
        dataBytes += entry.data.byteLength;
        accountedBytes += slotEntryBytes(entry);
      }
    }
  }
}

for (let hourMs = fromMs; hourMs < toMs; hourMs += HOUR_MS) {
  for (let index = 0; index < userIds.length; index += LIST_CALL_DETAIL_LIMITS.maxUsersPerCall) {
    fillCall(userIds.slice(index, index + LIST_CALL_DETAIL_LIMITS.maxUsersPerCall), hourMs);
  }
}

const after = await settledMemory(gc);
const stats = cache.stats();
if (stats.entries !== entries || stats.evictions !== 0 || stats.bytes !== accountedBytes) {
  throw new Error(`the cache did not keep every entry: ${JSON.stringify(stats)}`);
}
const elapsedS = (performance.now() - startedAt) / 1000;

const measured = after.heapAndBuffers - before.heapAndBuffers;
const measuredPerPoint = measured / points;
const accountedPerPoint = accountedBytes / points;
// What each entry costs beyond its 16 bytes per point: the key, the LRU's slot, the entry and layout objects.
const overheadPerEntry = (measured - dataBytes) / entries;
const mb = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(1)} MB`;
const perPoint = (bytes: number) => bytes.toFixed(2);

const rows: Array<[string, string]> = [
  [
    'data set',
    `${USERS} users x ${HOURS} h at ${SAMPLE_INTERVAL_MS / 1000} s sampling, ${SLOT_MS / 60_000}-minute slots`,
  ],
  ['slot entries cached (empty ones)', `${entries} (${emptyEntries})`],
  ['data points cached', `${points}`],
  ['points per entry (average)', (points / entries).toFixed(1)],
  ['point data (Float64Array bytes)', `${mb(dataBytes)} = 16.00 B/point`],
  ['measured heapUsed + arrayBuffers growth', mb(measured)],
  [`**measured bytes per point** (target <= ${TARGET_BYTES_PER_POINT})`, `**${perPoint(measuredPerPoint)}**`],
  ['accounted bytes per point (slotEntryBytes)', perPoint(accountedPerPoint)],
  ['accounted / measured', (accountedBytes / measured).toFixed(2)],
  ['measured overhead per entry beyond its points', `${overheadPerEntry.toFixed(0)} B`],
  ['RSS growth per point (informational, allocator-dependent)', perPoint((after.rss - before.rss) / points)],
  ['run time', `${elapsedS.toFixed(1)} s`],
];

const verdict = [
  measuredPerPoint <= TARGET_BYTES_PER_POINT ? 'Target met.' : 'Target MISSED.',
  accountedBytes >= measured ? 'The accounting does not under-count.' : 'The accounting UNDER-COUNTS.',
].join(' ');
writeSection(SECTION_HEADING, [
  environmentLine('node --expose-gc --import tsx bench/cache-memory.ts'),
  '',
  markdownTable(['measure', 'value'], rows),
  '',
  verdict,
]);
if (measuredPerPoint > TARGET_BYTES_PER_POINT || accountedBytes < measured) process.exitCode = 1;
