/**
 * 1,000 SSE subscribers of one live room on one gateway: `liveCallQuality` for the UP streams of the same 20
 * users over the last 3 minutes, read as raw GraphQL-over-SSE streams over loopback (a small first window, so
 * what is measured is the fan-out, not 1,000 copies of a large first answer). The room's one poller asks the upstream for
 * the tail every LIVE_POLL_INTERVAL_MS (1 s here, with CACHE_TAIL_TTL_MS=0 and a point a second, so every poll
 * is a call and finds new points), and every subscriber gets each update.
 *
 * Measured: upstream calls per poll (target ceil(20 / 20) = 1), how long after the poll started (the update's
 * `to`, taken before its call) each subscriber had the update (target p99 under 1 s), and the gateway's heap and
 * RSS per subscriber (target at most 50 KB of heap). The gateway runs in a child process
 * (live-subscribers-gateway.ts), so the clients' memory is not counted with it.
 *
 * Run: node --import tsx bench/live-subscribers.ts
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { userIds } from './bench-gateway.js';
import { pinLoadGenerator, startChild, stop } from './pinned-servers.js';
import { environmentLine, markdownTable, writeSection } from './results-file.js';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1_000);
const USERS = 20;
const POLL_MS = 1_000;
const OBSERVE_MS = 8_000;
const HEADING = '## Live room with 1,000 SSE subscribers';
const QUERY = `subscription ($users: [ID!]!) {
  liveCallQuality(appId: "bench-app", roomId: "sse-room", userIds: $users, last: 180, directions: [UP]) {
    initial to users { userId streams { direction peerId metrics(names: ["Rtt"]) { name series { times values } } } }
  }
}`;

const { child, match } = await startChild(
  ['--expose-gc', '--import', 'tsx', 'bench/live-subscribers-gateway.ts'],
  {
    PATH: process.env.PATH ?? '',
    LIVE_POLL_INTERVAL_MS: String(POLL_MS),
    LIVE_MAX_SUBSCRIPTIONS: String(SUBSCRIBERS),
    CACHE_TAIL_TTL_MS: '0',
    // 1,000 streams answer slower than a queue of queries: nothing here is about rate limits.
    RATE_LIMIT_MAX_WAIT_MS: '60000',
  },
  /^ready (\S+) (\S+)$/,
);
pinLoadGenerator();
const [, graphqlUrl = '', probeUrl = ''] = match;
interface Probe {
  readonly heapUsed: number;
  readonly rss: number;
  readonly calls: number;
}
const probe = async (path: string): Promise<Probe> =>
  (await fetch(`${probeUrl}${path}`)).json() as Promise<Probe>;
const users = userIds(USERS);
/** Per update instant (`to`, ms), when each subscriber had it (ms since the epoch). */
const arrivals = new Map<number, number[]>();
let firstEvents = 0;
let failures = 0;
const controllers: AbortController[] = [];

async function subscribe(): Promise<void> {
  const controller = new AbortController();
  controllers.push(controller);
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: QUERY, variables: { users } }),
    signal: controller.signal,
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) return;
    buffered += decoder.decode(chunk.value, { stream: true });
    let end = buffered.indexOf('\n\n');
    while (end >= 0) {
      const message = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf('\n\n');
      const data = /^data: (.+)$/m.exec(message)?.[1];
      if (!message.startsWith('event: next') || data === undefined) continue;
      const event = (JSON.parse(data) as { data?: { liveCallQuality: { initial: boolean; to: string } } })
        .data?.liveCallQuality;
      if (!event) {
        failures += 1;
        if (failures === 1) console.log(`first failure: ${data.slice(0, 300)}`);
      } else if (event.initial) firstEvents += 1;
      else {
        const at = Date.parse(event.to);
        const list = arrivals.get(at) ?? [];
        list.push(Date.now());
        arrivals.set(at, list);
      }
    }
  }
}

// The first subscriber fills the window cache; the heap is measured from there.
const streams = [subscribe().catch(() => {})];
while (firstEvents + failures < 1) await sleep(20);
const before = await probe('/heap');
const joinStart = performance.now();
for (let index = 1; index < SUBSCRIBERS; index++) streams.push(subscribe().catch(() => {}));
while (firstEvents + failures < SUBSCRIBERS && performance.now() - joinStart < 90_000) await sleep(50);
const joinS = (performance.now() - joinStart) / 1000;
const after = await probe('/heap');
const heapPerSubscriber = (after.heapUsed - before.heapUsed) / (SUBSCRIBERS - 1);
const rssPerSubscriber = (after.rss - before.rss) / (SUBSCRIBERS - 1);

await probe('/reset-calls');
arrivals.clear();
await sleep(OBSERVE_MS);
const { calls } = await probe('/calls');
// Updates every subscriber received; the last one may still be on its way.
const complete = [...arrivals].filter(([, list]) => list.length === SUBSCRIBERS);
const delays = complete.flatMap(([at, list]) => list.map((arrived) => arrived - at)).sort((a, b) => a - b);
const percentile = (p: number) =>
  delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))] ?? 0;
const polls = arrivals.size;
const callsPerPoll = polls === 0 ? Number.POSITIVE_INFINITY : calls / polls;

for (const controller of controllers) controller.abort();
await Promise.all(streams);
await stop(child);

const p99 = percentile(99);
const met =
  failures === 0 &&
  complete.length > 0 &&
  callsPerPoll <= 1.25 &&
  p99 < 1_000 &&
  heapPerSubscriber <= 50 * 1024;
writeSection(HEADING, [
  environmentLine('node --import tsx bench/live-subscribers.ts'),
  '',
  `${SUBSCRIBERS} raw GraphQL-over-SSE streams subscribe to \`liveCallQuality\` for the same ${USERS} users ` +
    `(UP streams, last 3 minutes, one metric's series) of one room; LIVE_POLL_INTERVAL_MS=${POLL_MS}, ` +
    `CACHE_TAIL_TTL_MS=0, a simulated point a second; then ${OBSERVE_MS / 1000} s are observed. The gateway ` +
    'and its simulator run in a child process; its heap (after a full GC) and RSS are read before and after ' +
    'the subscribers join.',
  '',
  markdownTable(
    ['measure', 'value'],
    [
      ['subscribers with their first window (failed)', `${firstEvents} (${failures})`],
      ['time for all to join', `${joinS.toFixed(1)} s`],
      ['polls with new points observed (reaching every subscriber)', `${polls} (${complete.length})`],
      ['**upstream calls per poll** (target 1 = ceil(20 / 20))', `**${callsPerPoll.toFixed(2)}**`],
      [
        '**delivery after the poll started, p50 / p99** (target p99 < 1 s)',
        `**${percentile(50).toFixed(0)} ms / ${p99.toFixed(0)} ms**`,
      ],
      [
        '**gateway heap per subscriber** (target <= 50 KB)',
        `**${(heapPerSubscriber / 1024).toFixed(1)} KB**`,
      ],
      ['gateway RSS per subscriber', `${(rssPerSubscriber / 1024).toFixed(1)} KB`],
    ],
  ),
  '',
  met ? 'Target met.' : 'Target MISSED.',
]);
if (!met) process.exitCode = 1;
