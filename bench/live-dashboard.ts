/**
 * Throughput of the live dashboard poll, the gateway's main use: 20 users of one room over "the last hour up to
 * now" (`last: 3600`), 3 metrics, at full resolution and with `series(step: 60)`. The range moves with the
 * clock, so the response cache never applies and every request is executed (parse, validate, execute, merge
 * the slots, serialise the floats). Each is measured against a bare node:http server answering the bytes the
 * gateway answered, at 50 connections: the gateway's share of raw and its p99 are the figures.
 *
 * Servers pinned to core 0, autocannon and the simulator (its own process) to core 1 (see pinned-servers.ts). The tail slot
 * is refetched every CACHE_TAIL_TTL_MS (default 5 s), as in production.
 *
 * Run: node --import tsx bench/live-dashboard.ts
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { userIds } from './bench-gateway.js';
import { latency, pinLoadGenerator, pinning, startChild, stop } from './pinned-servers.js';
import { environmentLine, markdownTable, writeSection } from './results-file.js';

const CONNECTIONS = 50;
const WARMUP_S = 2;
const DURATION_S = 8;
// autocannon's default 10 s would count the gateway's queued requests as failures and cut its p99 off there.
const REQUEST_TIMEOUT_S = 30;
const TARGET_P99_MS = 1_000;
const CREDENTIALS = { accessKeyId: 'AKBENCHLIVEDASH', secretAccessKey: 'SKBENCHLIVEDASH' } as const;
const HEADING = '## Live dashboard poll, executed every request';
const METRICS = ['Rtt', 'VideoRecvBitrate', 'DownPacketLossRate'];
const HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };

const SCENARIOS = [
  { name: 'full resolution', seriesArgs: '', targetRatio: 0.5 },
  { name: '`series(step: 60)`', seriesArgs: '(step: 60)', targetRatio: 0.3 },
] as const;

const query = (seriesArgs: string) => `query LiveDashboard($userIds: [ID!]!) {
  callQuality(appId: "bench-app", roomId: "live-room", userIds: $userIds, last: 3600) {
    userId
    streams { direction peerId metrics(names: ${JSON.stringify(METRICS)}) { name series${seriesArgs} { times values } } }
  }
}`;

/**
 * From a CPU profile of the gateway under this load (`node --cpu-prof` of an esbuild bundle, `step: 60`, 8 s at
 * 50 connections, 2026-12-01); re-profile after changing the schema or the executor.
 */
const WHERE_THE_TIME_GOES = [
  '',
  'Where an executed `step: 60` request spends its CPU now (profile of the gateway bundled with esbuild, 50 ' +
    'connections, 2026-12-01): garbage collection ~16%; finding the slots ~13% (one lookup per user and ' +
    'direction for the settled ones, the moving tail slot by slot); writing the body to the socket ~6%; ' +
    "graphql-js's executor for the ~60 fields outside `streams` ~5%; the cost limit ~5%; the streams found " +
    "printed, their resolvers' effects replayed, ~4.5%; merging ~4%; the request log line ~3%; the rest is " +
    "Yoga's request handling. What a poll reuses of the poll before: the slot run, the grouping of the same " +
    'decoded windows, the merged and sorted streams of a range keeping the same points, their downsampling, ' +
    "their columns' JSON, each user's printed streams, the body and its compressed codings. Next levers: " +
    'fewer objects per slot lookup and per outer field.',
];

/**
 * CPU seconds a process has used (user + system, all threads), from /proc: on a shared machine the gateway's
 * CPU per request is steadier than its requests per second, which other processes' load on its core moves.
 */
function cpuSeconds(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Measured load, and the server's CPU milliseconds per answered request during it. */
async function measure(server: ChildProcess, url: string, body: string) {
  const before = cpuSeconds(server.pid);
  const result = await load(url, body, DURATION_S);
  const cpuMs = ((cpuSeconds(server.pid) - before) * 1000) / Math.max(1, result.requests.total);
  return { result, cpuMs };
}

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
const tempDir = mkdtempSync(join(tmpdir(), 'callq-bench-'));
const children: ChildProcess[] = [];
try {
  // The upstream in a process of its own, beside the load generator: in the load generator's process, autocannon
  // reading a megabyte an answer held the simulator's answer to the tail's refetch for up to a second, which
  // showed as the gateway's p99.
  const simulator = await startChild(
    ['--import', 'tsx', 'src/simulator/main.ts'],
    {
      ...process.env,
      SIMULATOR_PORT: '0',
      SIMULATOR_ACCESS_KEY: CREDENTIALS.accessKeyId,
      SIMULATOR_SECRET_KEY: CREDENTIALS.secretAccessKey,
    },
    /simulator listening on (http:\/\/\S+)/,
    1,
  );
  children.push(simulator.child);
  const simulatorUrl = simulator.match[1] as string;
  const startGatewayProcess = async (script: string) => {
    const gateway = await startChild(
      ['--import', 'tsx', script],
      {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        VOLC_ACCESSKEY: CREDENTIALS.accessKeyId,
        VOLC_SECRETKEY: CREDENTIALS.secretAccessKey,
        VOLC_ENDPOINT: simulatorUrl,
        // The start line is how this script learns the URL; a quieter level would hide it.
        LOG_LEVEL: 'info',
        ARCHIVE_URL: 'off',
      },
      /listening on (http:\/\/[^\s"]+)/,
    );
    children.push(gateway.child);
    return { child: gateway.child, url: gateway.match[1] as string };
  };
  const deployed = await startGatewayProcess('src/main.ts');
  const plain = await startGatewayProcess('bench/plain-gateway.ts');
  const gatewayUrl = deployed.url;
  const plainUrl = plain.url;

  const rows: string[][] = [];
  const verdicts: string[] = [];
  let met = true;
  for (const scenario of SCENARIOS) {
    const body = JSON.stringify({ query: query(scenario.seriesArgs), variables: { userIds: userIds(20) } });
    const captured = await fetch(gatewayUrl, { method: 'POST', headers: HEADERS, body });
    const responseBytes = Buffer.from(await captured.arrayBuffer());
    const parsed = JSON.parse(responseBytes.toString('utf8')) as {
      data?: { callQuality: Array<{ streams: Array<{ metrics: Array<{ series: { times: number[] } }> }> }> };
      errors?: unknown[];
    };
    if (captured.status !== 200 || parsed.errors !== undefined || parsed.data === undefined) {
      throw new Error(`the live dashboard query failed: ${responseBytes.toString('utf8').slice(0, 500)}`);
    }
    const series = parsed.data.callQuality.flatMap((user) => user.streams.flatMap((s) => s.metrics));
    const points = series.reduce((sum, metric) => sum + metric.series.times.length, 0);
    const bodyFile = join(tempDir, 'response.json');
    writeFileSync(bodyFile, responseBytes);
    const raw = await startChild(
      ['--import', 'tsx', 'bench/raw-server.ts', bodyFile, captured.headers.get('content-type') ?? ''],
      process.env,
      /"port":(\d+)/,
    );
    children.push(raw.child);
    const rawUrl = `http://127.0.0.1:${raw.match[1]}/graphql`;

    // Warm-up rounds let both JITs settle; only the measured rounds are reported.
    await load(gatewayUrl, body, WARMUP_S);
    const { result: gatewayResult, cpuMs: gatewayCpuMs } = await measure(deployed.child, gatewayUrl, body);
    await load(plainUrl, body, WARMUP_S);
    const { result: plainResult, cpuMs: plainCpuMs } = await measure(plain.child, plainUrl, body);
    await load(rawUrl, body, WARMUP_S);
    const { result: rawResult, cpuMs: rawCpuMs } = await measure(raw.child, rawUrl, body);
    await stop(raw.child);

    const ratio = gatewayResult.requests.average / rawResult.requests.average;
    const plainRatio = plainResult.requests.average / rawResult.requests.average;
    const failures = [gatewayResult, plainResult, rawResult].reduce(
      (sum, r) => sum + r.errors + r.timeouts + r.non2xx,
      0,
    );
    const ok = ratio >= scenario.targetRatio && gatewayResult.latency.p99 < TARGET_P99_MS && failures === 0;
    met &&= ok;
    const row = (server: string, result: autocannon.Result, share: string, cpuMs: number) => [
      scenario.name,
      `${(responseBytes.length / 1024).toFixed(0)} KiB, ${series.length} series, ${points} points`,
      server,
      `**${result.requests.average.toFixed(1)}**`,
      share,
      cpuMs.toFixed(1),
      latency(result.latency.p50),
      latency(result.latency.p99),
      `${result.errors + result.timeouts} / ${result.non2xx}`,
    ];
    rows.push(
      row(
        'gateway (`node --import tsx src/main.ts`)',
        gatewayResult,
        `**${ratio.toFixed(2)}**`,
        gatewayCpuMs,
      ),
      row(
        'gateway, plain executed path (`bench/plain-gateway.ts`)',
        plainResult,
        plainRatio.toFixed(2),
        plainCpuMs,
      ),
      row('raw node:http, same bytes', rawResult, '1.00', rawCpuMs),
    );
    verdicts.push(
      `${scenario.name}: gateway / raw **${ratio.toFixed(2)}** (target >= ${scenario.targetRatio.toFixed(2)}), ` +
        `p99 ${gatewayResult.latency.p99} ms (target < ${TARGET_P99_MS} ms): ${ok ? 'met' : 'MISSED'}; ` +
        (plainResult.requests.total === 0
          ? `the plain path answered no request in ${DURATION_S} s.`
          : `${(gatewayResult.requests.average / plainResult.requests.average).toFixed(1)}x the plain path's ` +
            `requests/s, ${(plainCpuMs / gatewayCpuMs).toFixed(1)}x less CPU per request.`),
    );
  }

  writeSection(HEADING, [
    environmentLine('node --import tsx bench/live-dashboard.ts'),
    '',
    '`callQuality` for 20 users of one room, `last: 3600` (the last hour up to now, so every request asks a ' +
      `new range and is executed), both directions, ${METRICS.length} metrics as \`series { times values }\`, ` +
      'at full resolution (10 s sampling) and with `step: 60`. The deployed gateway (response cache on: it ' +
      `never applies to a moving range) against a raw node:http server answering the same bytes. autocannon 7, ` +
      `${CONNECTIONS} connections, ${WARMUP_S} s warm-up then ${DURATION_S} s measured, per server. ` +
      (pinning
        ? 'Servers pinned to core 0, autocannon and the simulator (a process of its own) to core 1 (taskset).'
        : 'No pinning (taskset or a second core missing): the load generator shares the CPU.'),
    '',
    markdownTable(
      [
        'query',
        'response',
        'server',
        '**requests/s**',
        '**share of raw**',
        'CPU ms / request',
        'latency p50',
        'latency p99',
        'errors+timeouts / non-2xx',
      ],
      rows,
    ),
    '',
    ...verdicts.map((line) => `- ${line}`),
    ...WHERE_THE_TIME_GOES,
  ]);
  if (!met) process.exitCode = 1;
} finally {
  for (const child of children) await stop(child);
  rmSync(tempDir, { recursive: true, force: true });
}
