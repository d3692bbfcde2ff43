/**
 * Throughput of the gateway when everything is cached: a dashboard query (20 users x 1 hour x 5 metrics as
 * `series`) repeated, against a bare node:http server that answers the very same bytes. The gateway runs as
 * deployed (the response cache answers the settled operation with its kept bytes), and once more with
 * RESPONSE_CACHE_MAX_MB=0, where every request is executed from the window cache (parse, validate, execute,
 * per-field resolvers, serialising the floats), so both costs stay visible.
 *
 * The gateway runs as `npm start` does (`node --import tsx src/main.ts`, pointed at a simulator that serves
 * only the warm-up call), the raw server as a small child script; both servers are pinned to core 0 and this
 * process, which runs autocannon, to core 1 (taskset, when there are two cores), so load generator and server
 * do not compete. Same tool, same settings, one after the other in the same run.
 *
 * Run: node --import tsx bench/cache-hit-throughput.ts
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startSimulator } from '../src/simulator/simulator.js';
import { pastRange, userIds } from './bench-gateway.js';
import { latency, pinLoadGenerator, pinning, startChild, stop } from './pinned-servers.js';
import { environmentLine, markdownTable, writeSection } from './results-file.js';

const CONNECTIONS = 50;
const WARMUP_S = 2;
const DURATION_S = 10;
const TARGET_RATIO = 0.3;
// autocannon's default 10 s would count the gateway's queued requests as failures and cut its p99 off there.
const REQUEST_TIMEOUT_S = 30;
const CREDENTIALS = { accessKeyId: 'AKBENCHTHROUGHPUT', secretAccessKey: 'SKBENCHTHROUGHPUT' } as const;
const HEADING = '## Cache-hit throughput';
const METRICS = ['Rtt', 'Jitter', 'DownPacketLossRate', 'VideoRecvBitrate', 'VideoStallDuration'];
const QUERY = `query Dashboard($userIds: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "bench-app", roomId: "bench-room-of-3", userIds: $userIds, from: $from, to: $to, directions: [DOWN]) {
    userId
    streams { direction peerId metrics(names: ${JSON.stringify(METRICS)}) { name series { times values } } }
  }
}`;
const HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };

/**
 * From a CPU profile of the gateway executing every request under this load (`node --cpu-prof`, 6 s at 10
 * connections, 2026-11-25); re-profile after changing the schema or the executor.
 */
const WHERE_THE_TIME_GOES = [
  '',
  'Where an executed request spends its time (CPU profile of the gateway process under this load, ~8 s busy): ' +
    'garbage collection 32%, `JSON.stringify` of the result in graphql-yoga plus its UTF-8 copy into the ' +
    'socket 17%, the executor completing list items 9% (`completeListValue`/`completeListItemValue`/' +
    '`completeValue` in @graphql-tools/executor, one call and one Path object per float: every response holds ' +
    "~2 x 104 k list items), the gateway's own code about 6% (`mergeSeries` 3%, slot decoding and the " +
    'call-detail source 2%). So a cache hit costs ~140 ms of CPU per 1.9 MB response, almost all of it ' +
    'GraphQL completing and serialising ~207 k scalars one by one and the garbage that makes; the raw ' +
    'server only writes a buffer. The raw figure is itself capped by autocannon parsing ~190 MiB/s on its ' +
    'one core. That is why settled operations are answered from the response cache ' +
    '(src/response-cache/response-cache-plugin.ts): the bytes are made once per principal, operation and ' +
    'variables, and a repeat costs authentication, a hash and a write. A whole-column scalar for ' +
    '`Series.times`/`values` would speed up execution too, but changes the contract.',
];

async function load(url: string, body: string, durationS: number) {
  return autocannon({
    url,
    method: 'POST',
    headers: HEADERS,
    body,
    connections: CONNECTIONS,
    duration: durationS,
    timeout: REQUEST_TIMEOUT_S,
  });
}

pinLoadGenerator();
const simulator = await startSimulator({ credentials: CREDENTIALS });
const tempDir = mkdtempSync(join(tmpdir(), 'callq-bench-'));
const children: ChildProcess[] = [];
try {
  const startGatewayProcess = async (env: Record<string, string>) => {
    const gateway = await startChild(
      ['--import', 'tsx', 'src/main.ts'],
      {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        VOLC_ACCESSKEY: CREDENTIALS.accessKeyId,
        VOLC_SECRETKEY: CREDENTIALS.secretAccessKey,
        VOLC_ENDPOINT: simulator.url,
        // The start line is how this script learns the URL; a quieter level would hide it.
        LOG_LEVEL: 'info',
        ARCHIVE_URL: 'off',
        ...env,
      },
      /listening on (http:\/\/[^\s"]+)/,
    );
    children.push(gateway.child);
    return gateway.match[1] as string;
  };
  const gatewayUrl = await startGatewayProcess({});
  const executingUrl = await startGatewayProcess({ RESPONSE_CACHE_MAX_MB: '0' });
  const { from, to } = pastRange(1, 10);
  const body = JSON.stringify({ query: QUERY, variables: { userIds: userIds(20), from, to } });

  // The first request fills the cache (one upstream call); the second is what every benchmark request gets.
  await (await fetch(gatewayUrl, { method: 'POST', headers: HEADERS, body })).arrayBuffer();
  await (await fetch(executingUrl, { method: 'POST', headers: HEADERS, body })).arrayBuffer();
  const captured = await fetch(gatewayUrl, { method: 'POST', headers: HEADERS, body });
  const responseBytes = Buffer.from(await captured.arrayBuffer());
  const contentType = captured.headers.get('content-type') ?? 'application/json';
  const parsed = JSON.parse(responseBytes.toString('utf8')) as {
    data?: { callQuality: Array<{ streams: Array<{ metrics: Array<{ series: { times: number[] } }> }> }> };
    errors?: unknown[];
  };
  if (captured.status !== 200 || parsed.errors !== undefined || parsed.data === undefined) {
    throw new Error(`the dashboard query failed: ${responseBytes.toString('utf8').slice(0, 500)}`);
  }
  const streams = parsed.data.callQuality.flatMap((user) => user.streams);
  const series = streams.flatMap((stream) => stream.metrics);
  const points = series.reduce((sum, metric) => sum + metric.series.times.length, 0);
  const bodyFile = join(tempDir, 'response.json');
  writeFileSync(bodyFile, responseBytes);

  const raw = await startChild(
    ['--import', 'tsx', 'bench/raw-server.ts', bodyFile, contentType],
    process.env,
    /"port":(\d+)/,
  );
  children.push(raw.child);
  const rawUrl = `http://127.0.0.1:${raw.match[1]}/graphql`;

  const callsBefore = simulator.calls.length;
  // Warm-up rounds let both JITs settle; only the measured rounds are reported.
  await load(gatewayUrl, body, WARMUP_S);
  const gatewayResult = await load(gatewayUrl, body, DURATION_S);
  await load(executingUrl, body, WARMUP_S);
  const executingResult = await load(executingUrl, body, DURATION_S);
  await load(rawUrl, body, WARMUP_S);
  const rawResult = await load(rawUrl, body, DURATION_S);
  const upstreamDuringLoad = simulator.calls.length - callsBefore;

  const ratio = gatewayResult.requests.average / rawResult.requests.average;
  const failures = [gatewayResult, executingResult, rawResult].reduce(
    (sum, r) => sum + r.errors + r.timeouts + r.non2xx,
    0,
  );
  const met = ratio >= TARGET_RATIO && failures === 0 && upstreamDuringLoad === 0;
  const row = (name: string, result: autocannon.Result) => [
    name,
    `**${result.requests.average.toFixed(1)}**`,
    latency(result.latency.p50),
    latency(result.latency.p99),
    `${(result.throughput.average / 1024 ** 2).toFixed(1)} MiB/s`,
    `${result.errors + result.timeouts} / ${result.non2xx}`,
  ];

  writeSection(HEADING, [
    environmentLine('node --import tsx bench/cache-hit-throughput.ts'),
    '',
    `\`callQuality\` for 20 users x 1 hour (past, on 5-minute slots), \`directions: [DOWN]\`, ${METRICS.length} ` +
      'metrics as `series { times values }` at full resolution (10 s sampling): ' +
      `${streams.length} streams, ${series.length} series, ${points} points, ` +
      `${(responseBytes.length / 1024).toFixed(0)} KiB per response. The cache was warmed by one request ` +
      `before the load (upstream calls during the load: ${upstreamDuringLoad}); it is settled, so the deployed ` +
      'gateway keeps its response. autocannon 7, ' +
      `${CONNECTIONS} connections, ${WARMUP_S} s warm-up then ${DURATION_S} s measured, per server. ` +
      (pinning
        ? 'Servers pinned to core 0, autocannon to core 1 (taskset).'
        : 'No pinning (taskset or a second core missing): the load generator shares the CPU.'),
    '',
    markdownTable(
      ['server', '**requests/s**', 'latency p50', 'latency p99', 'throughput', 'errors+timeouts / non-2xx'],
      [
        row('gateway (`node --import tsx src/main.ts`), as deployed', gatewayResult),
        row('gateway with `RESPONSE_CACHE_MAX_MB=0` (every request executed)', executingResult),
        row('raw node:http, same bytes', rawResult),
      ],
    ),
    '',
    `**gateway / raw = ${ratio.toFixed(2)}** (target >= ${TARGET_RATIO.toFixed(2)}; executing every request: ` +
      `${(executingResult.requests.average / rawResult.requests.average).toFixed(2)}). ` +
      (met ? 'Target met.' : 'Target MISSED.'),
    ...WHERE_THE_TIME_GOES,
  ]);
  if (!met) process.exitCode = 1;
} finally {
  for (const child of children) await stop(child);
  await simulator.close();
  rmSync(tempDir, { recursive: true, force: true });
}
