/**
 * What compressing a ~1 MB answer costs and saves: bytes on the wire and CPU milliseconds per request for
 * identity, gzip and Brotli at the levels the gateway uses (src/http/compression.ts), and Brotli 11 for
 * contrast (why the gateway never uses it: an anonymous client could make it spend that much per request).
 * The answer is a real one: the gateway's JSON for a dashboard query against the simulator.
 *
 * Run: node --import tsx bench/compression.ts
 */
import { BROTLI_QUALITY, type CompressedCoding, compressBytes, GZIP_LEVEL } from '../src/http/compression.js';
import { pastRange, startBenchGateway, userIds } from './bench-gateway.js';
import { environmentLine, markdownTable, median, writeSection } from './results-file.js';

const HEADING = '## Compression';
const ROUNDS = 15;
const METRICS = ['Rtt', 'Jitter', 'DownPacketLossRate', 'VideoRecvBitrate', 'VideoStallDuration'];
const QUERY = `query Dashboard($userIds: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "bench-app", roomId: "bench-room-of-3", userIds: $userIds, from: $from, to: $to, directions: [DOWN]) {
    userId
    streams { direction peerId metrics(names: ${JSON.stringify(METRICS)}) { name series { times values } } }
  }
}`;

async function answerBytes(): Promise<Uint8Array> {
  const bench = await startBenchGateway({ env: { COMPRESSION: 'false' } });
  try {
    const response = await fetch(bench.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: QUERY, variables: { userIds: userIds(10), ...pastRange(1, 10) } }),
    });
    return new Uint8Array(await response.arrayBuffer());
  } finally {
    await bench.close();
  }
}

/** CPU time of one compression (user + system of the whole process, zlib's pool thread included). */
async function cpuMs(bytes: Uint8Array, coding: CompressedCoding, level: number) {
  const before = process.cpuUsage();
  const compressed = await compressBytes(bytes, coding, level);
  const used = process.cpuUsage(before);
  return { ms: (used.user + used.system) / 1000, size: compressed.length };
}

const body = await answerBytes();
const cases: ReadonlyArray<{ name: string; coding: CompressedCoding; level: number }> = [
  { name: `gzip level ${GZIP_LEVEL} (used)`, coding: 'gzip', level: GZIP_LEVEL },
  { name: 'gzip level 1', coding: 'gzip', level: 1 },
  { name: `Brotli quality ${BROTLI_QUALITY} (used)`, coding: 'br', level: BROTLI_QUALITY },
  { name: 'Brotli quality 1', coding: 'br', level: 1 },
  { name: 'Brotli quality 11 (never used)', coding: 'br', level: 11 },
];
const rows: string[][] = [['identity', String(body.length), '100%', '0']];
for (const { name, coding, level } of cases) {
  const timings: number[] = [];
  let size = 0;
  for (let round = 0; round < (level === 11 ? 3 : ROUNDS); round += 1) {
    const result = await cpuMs(body, coding, level);
    timings.push(result.ms);
    size = result.size;
  }
  rows.push([name, String(size), `${((100 * size) / body.length).toFixed(1)}%`, median(timings).toFixed(1)]);
}
writeSection(HEADING, [
  environmentLine('node --import tsx bench/compression.ts'),
  '',
  `One answer of the gateway (10 users x 1 hour x 5 metrics as \`series\`, ${body.length} bytes of JSON), ` +
    `compressed with node:zlib's asynchronous functions as the gateway does; CPU is the median of ${ROUNDS} ` +
    'runs (3 for Brotli 11) of process.cpuUsage around one compression. A response-cache hit pays this once ' +
    'per entry and coding, not per request.',
  '',
  markdownTable(['coding', 'bytes', 'of identity', 'CPU ms per request'], rows),
]);
