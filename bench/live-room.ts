/**
 * Many dashboards polling one live room: 100 clients each ask for the last 5 minutes of the same room every
 * second for 20 s, in real time, against the default tail TTL (CACHE_TAIL_TTL_MS=5000). The still-moving tail
 * is shared for one TTL and identical fetches in flight are joined, so the upstream should see about one call
 * per TTL period (20 s / 5 s = 4), not one per poll (2000).
 *
 * Run: node --import tsx bench/live-room.ts
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startBenchGateway, userIds } from './bench-gateway.js';
import { environmentLine, markdownTable, writeSection } from './results-file.js';

const CLIENTS = 100;
const USERS = 5;
const POLL_MS = 1_000;
const DURATION_MS = 20_000;
const TAIL_TTL_MS = 5_000;
const WINDOW_MS = 5 * 60_000;
// A poll that hangs must not hold the run open: the whole benchmark ends by DURATION_MS + this.
const REQUEST_TIMEOUT_MS = 5_000;
const TARGET_RATIO = 1.2;
const HEADING = '## Live room polled by many dashboards';
const QUERY = `query ($userIds: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "bench-app", roomId: "live-room-of-3", userIds: $userIds, from: $from, to: $to) {
    userId
    final
    streams { direction peerId metrics(names: ["Rtt", "VideoRecvBitrate"]) { name summary { last } } }
  }
}`;

const harness = await startBenchGateway();
const users = userIds(USERS);
const latenciesMs: number[] = [];
let failed = 0;

async function poll(): Promise<void> {
  // The client's own clock, to the second, as a dashboard sends it: every poll asks a slightly different range.
  const toMs = Math.floor(Date.now() / 1000) * 1000;
  const startedAt = performance.now();
  try {
    const response = await fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({
        query: QUERY,
        variables: {
          userIds: users,
          from: new Date(toMs - WINDOW_MS).toISOString(),
          to: new Date(toMs).toISOString(),
        },
      }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    if (!response.ok || body.errors !== undefined) failed += 1;
  } catch {
    failed += 1;
  }
  latenciesMs.push(performance.now() - startedAt);
}

async function client(index: number, runStart: number): Promise<void> {
  // Spread over the first second, as independent dashboards would be.
  await sleep((index * POLL_MS) / CLIENTS);
  for (let tick = 0; ; tick += 1) {
    const due = runStart + (index * POLL_MS) / CLIENTS + tick * POLL_MS;
    if (due - runStart >= DURATION_MS) return;
    await sleep(Math.max(0, due - performance.now()));
    await poll();
  }
}

const runStart = performance.now();
try {
  await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index, runStart)));
} finally {
  await harness.close();
}
const elapsedS = (performance.now() - runStart) / 1000;

const calls = harness.simulator.calls;
const periods = DURATION_MS / TAIL_TTL_MS;
const ratio = calls.length / periods;
const refused = calls.filter((call) => call.httpStatus !== 200).length;
const sorted = [...latenciesMs].sort((a, b) => a - b);
const percentile = (p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const met = ratio <= TARGET_RATIO && failed === 0;
const firstCallMs = calls[0]?.atMs ?? 0;
const callTimes = calls.map((call) => `${((call.atMs - firstCallMs) / 1000).toFixed(1)}`).join(', ');

writeSection(HEADING, [
  environmentLine('node --import tsx bench/live-room.ts'),
  '',
  `${CLIENTS} clients each poll \`callQuality\` for ${USERS} users of one room over the last 5 minutes ` +
    `(\`to\` = their clock, to the second) every ${POLL_MS / 1000} s for ${DURATION_MS / 1000} s in real ` +
    `time, spread over the first second; default CACHE_TAIL_TTL_MS=${TAIL_TTL_MS} and rate limits.`,
  '',
  markdownTable(
    ['measure', 'value'],
    [
      ['polls answered (failed)', `${latenciesMs.length} (${failed})`],
      ['**upstream calls**', `**${calls.length}**`],
      [`tail-TTL periods (${DURATION_MS / 1000} s / ${TAIL_TTL_MS / 1000} s)`, String(periods)],
      [`**calls / periods** (target <= ${TARGET_RATIO})`, `**${ratio.toFixed(2)}**`],
      ['calls refused by upstream (429)', String(refused)],
      ['upstream calls at (s after the first)', callTimes],
      ['poll latency p50 / p99', `${percentile(50).toFixed(1)} ms / ${percentile(99).toFixed(1)} ms`],
      ['run time', `${elapsedS.toFixed(1)} s`],
    ],
  ),
  '',
  met ? 'Target met.' : 'Target MISSED.',
]);
if (!met) process.exitCode = 1;
