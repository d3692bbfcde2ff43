/**
 * The archive against the upstream for the same data: a 20-user hour (both directions, the simulator's
 * default 10 s sampling) fetched cold from the upstream, then served by a restarted gateway (cold window
 * cache) from the archive alone, and read straight from the archive store (its 480 slots, decoded); and the
 * bytes each archived point takes in the SQLite file.
 *
 * Run: node --import tsx bench/archive-read.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSlotArchive } from '../src/archive/slot-archive.js';
import { openSqliteArchive } from '../src/archive/sqlite-archive.js';
import { loadConfig } from '../src/config/config.js';
import { type RunningGateway, startGateway } from '../src/gateway.js';
import { startSimulator } from '../src/simulator/simulator.js';
import { slotCacheKey } from '../src/slots/window-cache.js';
import { upstreamIdentity } from '../src/upstream/upstream-identity.js';
import { pastRange, userIds } from './bench-gateway.js';
import { environmentLine, markdownTable, median, writeSection } from './results-file.js';

const CREDENTIALS = { accessKeyId: 'AKBENCHARCHIVE', secretAccessKey: 'SKBENCHARCHIVE' } as const;
const HEADING = '## Archive reads against a cold upstream fetch';
const RUNS = 3;
const SLOT_MS = 300_000;
const USERS = userIds(20);
const QUERY = `query ($room: ID!, $userIds: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "bench-app", roomId: $room, userIds: $userIds, from: $from, to: $to) {
    userId streams { direction peerId metrics { name summary { count avg p95 } } }
  }
}`;

interface Answer {
  data?: {
    callQuality: Array<{ streams: Array<{ metrics: Array<{ summary: { count: number } }> }> | null }>;
  };
  errors?: unknown[];
}

const dir = mkdtempSync(join(tmpdir(), 'callq-bench-archive-'));
const path = join(dir, 'archive.sqlite');
const simulator = await startSimulator({ credentials: CREDENTIALS });
const range = pastRange(1, 10);
const rangeFromMs = Date.parse(range.from);

async function gateway(): Promise<RunningGateway> {
  return startGateway(
    loadConfig({
      PORT: '0',
      VOLC_ACCESSKEY: CREDENTIALS.accessKeyId,
      VOLC_SECRETKEY: CREDENTIALS.secretAccessKey,
      VOLC_ENDPOINT: simulator.url,
      LOG_LEVEL: 'silent',
      ARCHIVE_URL: `sqlite:${path}`,
    }),
  );
}

async function timedQuery(running: RunningGateway, room: string): Promise<{ ms: number; points: number }> {
  const startedAt = performance.now();
  const response = await fetch(running.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({
      query: QUERY,
      variables: { room, userIds: USERS, from: range.from, to: range.to },
    }),
  });
  const answer = (await response.json()) as Answer;
  const ms = performance.now() - startedAt;
  if (answer.errors) throw new Error(`query failed: ${JSON.stringify(answer.errors).slice(0, 300)}`);
  let points = 0;
  for (const entry of answer.data?.callQuality ?? []) {
    for (const stream of entry.streams ?? []) {
      for (const metric of stream.metrics) points += metric.summary.count;
    }
  }
  return { ms, points };
}

const rooms = Array.from({ length: RUNS + 1 }, (_, index) => `bench-room-${index}`);
const cold: number[] = [];
const archived: number[] = [];
let points = 0;
// The first room warms the query path up (JIT), unmeasured; each measured room is fetched once, cold.
let running = await gateway();
for (const [index, room] of rooms.entries()) {
  const result = await timedQuery(running, room);
  if (index > 0) cold.push(result.ms);
  points += result.points;
}
const upstreamCalls = simulator.calls.length;
await running.close();
for (const [index, room] of rooms.entries()) {
  // A fresh process-lifetime cache each time: only the archive holds the room.
  running = await gateway();
  const result = await timedQuery(running, room);
  if (index > 0) archived.push(result.ms);
  await running.close();
}
if (simulator.calls.length !== upstreamCalls) throw new Error('the archived reads called the upstream');

// The store alone: one room's 480 slots read and decoded, as the source's tier reads them.
const store = createSlotArchive({
  backend: openSqliteArchive(path),
  upstream: upstreamIdentity(simulator.url, CREDENTIALS.accessKeyId),
  now: Date.now,
  log: () => {},
});
const keys = USERS.flatMap((userId) =>
  (['up', 'down'] as const).flatMap((direction) =>
    Array.from({ length: 12 }, (_, slot) =>
      slotCacheKey({
        appId: 'bench-app',
        roomId: rooms[1] as string,
        userId,
        direction,
        slotStartMs: rangeFromMs + slot * SLOT_MS,
        slotMs: SLOT_MS,
      }),
    ),
  ),
);
const storeMs: number[] = [];
let found = 0;
// The first read warms the statement and the decoder up; it is not among the 10.
await store.getMany(keys);
for (let run = 0; run < 10; run += 1) {
  const startedAt = performance.now();
  found = (await store.getMany(keys)).size;
  storeMs.push(performance.now() - startedAt);
}
await store.close();
const fileBytes = statSync(path).size;
simulator.close();
rmSync(dir, { recursive: true, force: true });

const pointsPerRoom = points / rooms.length;
const coldMs = median(cold);
const archivedMs = median(archived);
const readMs = median(storeMs);
writeSection(HEADING, [
  environmentLine('node --import tsx bench/archive-read.ts'),
  '',
  `One \`callQuality\` of 20 users x 1 h, both directions, every metric summarized (count, avg, p95) (${Math.round(pointsPerRoom)} ` +
    'points), at the simulator\'s default 10 s sampling, median of the runs listed. "Cold upstream" is a gateway ' +
    'fetching the hour (1 call); "archive" a restarted gateway (empty window cache) answering the same room ' +
    'from its SQLite archive with 0 upstream calls; "store read" the archive tier alone reading and decoding ' +
    `the room's ${keys.length} slots (${found} found), median of 10. Bytes per point: the SQLite file (WAL ` +
    `checkpointed at close) over the ${Math.round(points)} points of the ${rooms.length} rooms archived, in the ` +
    'slot encoding of `src/archive/archived-slot-format.ts`.',
  '',
  markdownTable(
    ['read', 'wall time', 'points/s', 'runs'],
    [
      [
        'cold upstream fetch (1 call)',
        `**${coldMs.toFixed(0)} ms**`,
        (pointsPerRoom / (coldMs / 1000)).toExponential(2),
        cold.map((ms) => ms.toFixed(0)).join(', '),
      ],
      [
        'archive, restarted gateway (0 calls)',
        `**${archivedMs.toFixed(0)} ms**`,
        (pointsPerRoom / (archivedMs / 1000)).toExponential(2),
        archived.map((ms) => ms.toFixed(0)).join(', '),
      ],
      [
        `store read (${keys.length} slots)`,
        `**${readMs.toFixed(1)} ms**`,
        (pointsPerRoom / (readMs / 1000)).toExponential(2),
        storeMs.map((ms) => ms.toFixed(1)).join(', '),
      ],
    ],
  ),
  '',
  `Bytes per archived point on disk: **${(fileBytes / points).toFixed(1)} B** (${fileBytes} B file).`,
]);
