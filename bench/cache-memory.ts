/**
 * The window cache's byte bound against the memory it really takes. CACHE_MAX_MB is only worth what the
 * accounting (windowCacheEntryBytes: entry, key and lru-cache's bookkeeping) is worth: where it under-counts,
 * the process grows past what the operator configured; where it over-counts, the cache holds less than it may.
 *
 * Two tables. Cases: caches filled the way the gateway fills them (simulator JSON -> parseListCallDetailResponse
 * -> encodeSlotEntry per slot), with data and with empty slots, user ids of 8 and 128 characters, 60 s and
 * the default 300 s slots; the target is a measured / accounted ratio within 0.8..1.3 in every case. Costs: the
 * per-object constants of slot-entry.ts and window-cache.ts, measured one by one on entries of known shapes.
 *
 * Run: node --expose-gc --import tsx bench/cache-memory.ts
 */

import {
  LIST_CALL_DETAIL_LIMITS,
  type StreamDetail,
  type StreamDirection,
} from '../src/model/call-detail.js';
import { generateCallDetailResult } from '../src/simulator/synthetic-data.js';
import { encodeSlotEntry, type SlotEntry, streamsOf } from '../src/slots/slot-entry.js';
import { slotStartOf } from '../src/slots/slots.js';
import { stringBytes } from '../src/slots/string-bytes.js';
import { createWindowCache, slotCacheKey } from '../src/slots/window-cache.js';
import { parseListCallDetailResponse } from '../src/upstream/parse-response.js';
import { heapGrowth } from './heap-growth.js';
import { environmentLine, markdownTable, writeSection } from './results-file.js';

const HOUR_MS = 3_600_000;
const HOURS = 6;
const SAMPLE_INTERVAL_MS = 10_000;
const DATA_USERS = 40;
/** Empty slots weigh little: this many make tens of MiB. */
const EMPTY_ENTRIES = 100_000;
const CALIBRATION_ENTRIES = 100_000;
/** Any slot will do; a real one, so that coveredFromMs is a number as large as a real one. */
const CALIBRATION_SLOT_MS = 1_700_000_000_000;
const RATIO_RANGE = [0.8, 1.3] as const;
const TARGET_BYTES_PER_POINT = 12;
const DEFAULT_SLOT_MS = 300_000;
const APP_ID = 'app1';
const ROOM_ID = 'room1';
const DIRECTIONS: readonly StreamDirection[] = ['up', 'down'];
const SECTION_HEADING = '## Window cache memory: accounted against measured';
const MIB = 1024 ** 2;

interface Case {
  readonly kind: 'data' | 'empty';
  readonly idLength: number;
  readonly slotMs: number;
  /** One call per user and slot (a dashboard polling one user), instead of one per 20 users and hour. */
  readonly callPerSlot?: boolean;
}

/** Distinct valid ids of exactly `length` characters; the simulator gives ids starting `absent` no data. */
function userIds(kind: Case['kind'], length: number, count: number): string[] {
  const prefix = kind === 'empty' ? 'absent' : 'user';
  return Array.from({ length: count }, (_, index) =>
    `${prefix}${index.toString(36).padStart(8 - prefix.length, '0')}`.padEnd(length, '.'),
  );
}

interface Call {
  readonly userIds: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
}

/** The calls that fetch every slot of `ids` in [fromMs, toMs). */
function callsOf(
  ids: readonly string[],
  fromMs: number,
  toMs: number,
  { slotMs, callPerSlot }: Case,
): Call[] {
  const calls: Call[] = [];
  const [spanMs, usersPerCall] = callPerSlot
    ? [slotMs, 1]
    : [HOUR_MS, LIST_CALL_DETAIL_LIMITS.maxUsersPerCall];
  for (let startMs = fromMs; startMs < toMs; startMs += spanMs) {
    for (let index = 0; index < ids.length; index += usersPerCall) {
      calls.push({ userIds: ids.slice(index, index + usersPerCall), startMs, endMs: startMs + spanMs });
    }
  }
  return calls;
}

/** A cache holding every (user, direction, slot) of `hours` past hours. */
function fillCase(testCase: Case, hours = HOURS) {
  const { kind, idLength, slotMs } = testCase;
  const slotsPerUser = DIRECTIONS.length * hours * (HOUR_MS / slotMs);
  const users = kind === 'data' ? DATA_USERS : Math.ceil(EMPTY_ENTRIES / slotsPerUser);
  const ids = userIds(kind, idLength, users);
  const nowMs = Date.now();
  // Whole hours that ended more than an hour ago: every slot is immutable, as most of a real cache is.
  const toMs = slotStartOf(nowMs - HOUR_MS, HOUR_MS);
  const cache = createWindowCache({ maxBytes: 8 * 1024 ** 3, tailTtlMs: 5_000 });
  let points = 0;
  for (const call of callsOf(ids, toMs - hours * HOUR_MS, toMs, testCase)) {
    const result = generateCallDetailResult({
      appId: APP_ID,
      roomId: ROOM_ID,
      ...call,
      direction: 0,
      sampleIntervalMs: SAMPLE_INTERVAL_MS,
      nowMs,
    });
    const body = JSON.stringify({ ResponseMetadata: { RequestId: 'bench' }, Result: result });
    const parsed = parseListCallDetailResponse(200, body);
    for (const userId of call.userIds) {
      for (const direction of DIRECTIONS) {
        const streams = streamsOf(parsed, userId, direction);
        for (let slotStartMs = call.startMs; slotStartMs < call.endMs; slotStartMs += slotMs) {
          const entry = encodeSlotEntry(streams, slotStartMs, slotStartMs + slotMs);
          const key = slotCacheKey({
            appId: APP_ID,
            roomId: ROOM_ID,
            userId,
            direction,
            slotStartMs,
            slotMs,
          });
          cache.set(key, entry, true);
          points += entry.points;
        }
      }
    }
  }
  if (cache.stats().entries !== users * slotsPerUser) throw new Error('the cache did not keep every entry');
  if (points > 0 !== (kind === 'data')) throw new Error(`a ${kind} case with ${points} points`);
  return { cache, points };
}

const CASES: readonly Case[] = ['data', 'empty']
  .flatMap((kind) =>
    [8, 128].flatMap((idLength) =>
      [60_000, DEFAULT_SLOT_MS].map((slotMs) => ({ kind, idLength, slotMs }) as Case),
    ),
  )
  .concat({ kind: 'data', idLength: 8, slotMs: DEFAULT_SLOT_MS, callPerSlot: true });

const startedAt = performance.now();
// Unmeasured: the first fill also leaves compiled code and grown VM tables behind.
fillCase({ kind: 'data', idLength: 8, slotMs: 60_000 }, 1);
fillCase({ kind: 'empty', idLength: 8, slotMs: 60_000 }, 1);

const caseRows: string[][] = [];
let casesMet = true;
for (const testCase of CASES) {
  const { bytes, summary } = await heapGrowth(
    () => fillCase(testCase),
    (filled) => ({ ...filled.cache.stats(), points: filled.points }),
  );
  const { entries, bytes: accounted, points } = summary;
  const ratio = bytes / accounted;
  const inRange = ratio >= RATIO_RANGE[0] && ratio <= RATIO_RANGE[1];
  const perPoint = points > 0 ? bytes / points : undefined;
  const pointTarget = testCase.kind === 'data' && testCase.slotMs === DEFAULT_SLOT_MS;
  if (!inRange || (pointTarget && (perPoint ?? 0) > TARGET_BYTES_PER_POINT)) casesMet = false;
  caseRows.push([
    `${testCase.kind}, ${testCase.idLength}-char user ids, ${testCase.slotMs / 1000} s slots` +
      (testCase.callPerSlot ? ', one call per user and slot' : ''),
    String(entries),
    (accounted / MIB).toFixed(1),
    (bytes / MIB).toFixed(1),
    inRange ? `**${ratio.toFixed(2)}**` : `**${ratio.toFixed(2)} (out of range)**`,
    perPoint === undefined
      ? ''
      : `${perPoint.toFixed(1)}${pointTarget ? ` (<= ${TARGET_BYTES_PER_POINT})` : ''}`,
  ]);
}

/**
 * `streams` x `metrics` series of `points` points each in the calibration slot, with interned texts; their
 * values random bit patterns, so that the encoded series (about 9 B a point) pass V8's 64-byte limit for typed
 * arrays kept inside the heap, as real entries do.
 */
function shape(streams: number, metrics: number, points: number): StreamDetail[] {
  const times = Float64Array.from({ length: points }, (_, index) => CALIBRATION_SLOT_MS + index * 1000);
  const words = new Uint32Array(2 * points);
  return Array.from({ length: streams }, () => ({
    userId: 'user0001',
    direction: 'up',
    peerId: null,
    metrics: Array.from({ length: metrics }, () => ({
      name: 'Rtt',
      description: 'Round-trip time',
      unit: 'ms',
      times,
      values: new Float64Array(randomFill(words).buffer.slice(0)),
    })),
  }));
}

/** Random 32-bit words, but never a NaN's high word (0x7ff... and 0xfff... exponents), which XOR the same. */
function randomFill(words: Uint32Array): Uint32Array {
  for (let index = 0; index < words.length; index += 1) {
    words[index] = Math.floor(Math.random() * 2 ** 32) & (index % 2 === 1 ? 0xbfffffff : 0xffffffff);
  }
  return words;
}

interface Costs {
  readonly measured: number;
  readonly accounted: number;
  readonly keyLength: number;
}

/**
 * Per entry, what `CALIBRATION_ENTRIES` entries made by `make` take in a cache beyond their encoded bytes,
 * measured and accounted.
 */
async function perEntry(make: () => SlotEntry, userId = 'user0001'): Promise<Costs> {
  const key = (index: number) =>
    slotCacheKey({
      appId: APP_ID,
      roomId: ROOM_ID,
      userId,
      direction: 'up',
      slotStartMs: CALIBRATION_SLOT_MS + index * DEFAULT_SLOT_MS,
      slotMs: DEFAULT_SLOT_MS,
    });
  let encoded = 0;
  const { bytes, summary } = await heapGrowth(
    () => {
      const cache = createWindowCache({ maxBytes: 8 * 1024 ** 3, tailTtlMs: 5_000 });
      for (let index = 0; index < CALIBRATION_ENTRIES; index += 1) {
        const entry = make();
        encoded += entry.series.byteLength;
        cache.set(key(index), entry, true);
      }
      return cache;
    },
    (cache) => cache.stats().bytes,
  );
  return {
    measured: (bytes - encoded) / CALIBRATION_ENTRIES,
    accounted: (summary - encoded) / CALIBRATION_ENTRIES,
    keyLength: key(0).length,
  };
}

const slot = (streams: readonly StreamDetail[], callStartMs = CALIBRATION_SLOT_MS) =>
  encodeSlotEntry(streams, CALIBRATION_SLOT_MS, CALIBRATION_SLOT_MS + DEFAULT_SLOT_MS, callStartMs);
const shortKey = await perEntry(() => slot([]));
const longKey = await perEntry(() => slot([]), 'user0001'.padEnd(128, '.'));
const cut = await perEntry(() => slot([], CALIBRATION_SLOT_MS + 1000));
const oneMetric = await perEntry(() => slot(shape(1, 1, 16)));
const twoMetrics = await perEntry(() => slot(shape(1, 2, 8)));
const twoStreams = await perEntry(() => slot(shape(2, 1, 8)));

type Figure = (costs: Costs) => number;
/** One cost, derived the same way from the measured and from the accounted figures. */
function derived(name: string, derive: (figure: Figure) => number, digits = 0) {
  return [name, derive((c) => c.measured).toFixed(digits), derive((c) => c.accounted).toFixed(digits)];
}
const stream = (f: Figure) => f(twoStreams) - f(twoMetrics);
const metric = (f: Figure) => f(twoMetrics) - f(oneMetric);
const costRows = [
  derived(
    '`CACHE_ENTRY_BYTES` (window-cache.ts)',
    (f) => f(shortKey) - stringBytes('x'.repeat(shortKey.keyLength)),
  ),
  derived(
    'key, per character (stringBytes)',
    (f) => (f(longKey) - f(shortKey)) / (longKey.keyLength - shortKey.keyLength),
    2,
  ),
  derived('`ENTRY_BYTES` (slot-entry.ts)', (f) => f(cut) - f(shortKey)),
  derived('`SERIES_ARRAY_BYTES` (slot-entry.ts)', (f) => f(oneMetric) - f(cut) - stream(f) - metric(f)),
  derived('`STREAM_BYTES` (slot-entry.ts)', stream),
  derived('`METRIC_BYTES` (slot-entry.ts)', metric),
];
const elapsedS = (performance.now() - startedAt) / 1000;

writeSection(SECTION_HEADING, [
  environmentLine('node --expose-gc --import tsx bench/cache-memory.ts'),
  '',
  `Each case is one cache filled the way the gateway fills it, with both directions of every slot of ${HOURS} ` +
    `past hours: "data" is ${DATA_USERS} users at the simulator's ${SAMPLE_INTERVAL_MS / 1000} s sampling, ` +
    'fetched one 20-user call per hour, or in the last row one call per user and slot (as a dashboard polling ' +
    'one user fetches), so that no two entries share the texts of one answer and only their interning keeps ' +
    `each entry from its own copy; "empty" is ${EMPTY_ENTRIES} slots of users without data (the simulator's ` +
    '`absent` ids). Measured: ' +
    'heapUsed + arrayBuffers growth after full collections. Target: measured / accounted within ' +
    `${RATIO_RANGE.join('..')} in every case, and at most ${TARGET_BYTES_PER_POINT} B per point with the ` +
    `default slots. Run time ${elapsedS.toFixed(0)} s.`,
  '',
  markdownTable(
    ['case', 'entries', 'accounted MiB', 'heap+arrayBuffers growth MiB', 'measured / accounted', 'B/point'],
    caseRows,
  ),
  '',
  casesMet ? 'Target met in every case.' : 'Target MISSED.',
  '',
  `The per-object costs the accounting adds up, each measured on ${CALIBRATION_ENTRIES} entries of known ` +
    'shapes (an empty slot under a short and a long key, one cut at the retention edge, 16 random points in one ' +
    'metric, in two metrics, in two streams) and derived by difference, beside the value in the code derived ' +
    'the same way from what the cache counts. On top, an entry counts its key (stringBytes: 16 B and 1 B per ' +
    'Latin-1 character) and its encoded series (`byteLength`), left out of both columns here.',
  '',
  markdownTable(['cost per entry', 'measured (B)', 'in the code (B)'], costRows),
]);
if (!casesMet) process.exitCode = 1;
