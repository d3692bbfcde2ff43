/**
 * Upstream calls per operation: how close the batching (DataLoader, <= 20 users per call) and the window
 * planning (<= 1 hour per call) come to the fewest calls ListCallDetail allows.
 *
 * Every row is one `callQuality` operation on a fresh gateway and simulator (cold cache), over a past range on
 * 5-minute slots or off them (starting 2 min 37 s into a slot, as "the last hour" asked at any moment does); the
 * lower bound is exact either way: ceil(users / 20) x hours. A naive resolver (one call per user and hour) is
 * shown beside it. The rate limits are raised on both sides so the run takes seconds: this counts
 * calls, it does not time them (bench/cold-query.ts does, at the real rate).
 *
 * Run: node --import tsx bench/upstream-efficiency.ts
 */
import { pastRange, startBenchGateway, userIds } from './bench-gateway.js';
import { environmentLine, markdownTable, writeSection } from './results-file.js';

const USER_COUNTS = [1, 20, 21, 50, 100, 200] as const;
const HOURS = [1, 6] as const;
/** How far into a slot the unaligned rows start: off the 5-minute slots and off whole minutes. */
const UNALIGNED_OFFSET_MS = (2 * 60 + 37) * 1000;
const MAX_USERS_PER_CALL = 20;
// Far above the real 10/s so 200 users x 6 h (60 calls) do not queue; the counts do not depend on the rate.
const BENCH_RATE = 1000;
// Coarser than the default 10 s for the same reason: generating and parsing 200 users x 6 h of points is the
// run time; the number of calls does not depend on how many points each one carries.
const SAMPLE_INTERVAL_MS = 60_000;
const HEADING = '## Upstream calls per operation';
const QUERY = `query ($userIds: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "bench-app", roomId: "bench-room-of-3", userIds: $userIds, from: $from, to: $to) {
    userId
    streams { direction }
  }
}`;

interface Row {
  users: number;
  hours: number;
  aligned: boolean;
  calls: number;
  lowerBound: number;
  naive: number;
  usersAnswered: number;
  errors: number;
}

async function measure(users: number, hours: number, aligned: boolean): Promise<Row> {
  const harness = await startBenchGateway({
    simulator: { requestsPerSecond: BENCH_RATE, sampleIntervalMs: SAMPLE_INTERVAL_MS },
    env: { RATE_LIMIT_RPS: String(BENCH_RATE) },
  });
  try {
    const onSlots = pastRange(hours + 1, 10);
    const fromMs = Date.parse(onSlots.from) + (aligned ? 0 : UNALIGNED_OFFSET_MS);
    const response = await harness.query<{ callQuality: Array<{ streams: unknown[] | null }> }>(QUERY, {
      userIds: userIds(users),
      from: new Date(fromMs).toISOString(),
      to: new Date(fromMs + hours * 60 * 60 * 1000).toISOString(),
    });
    const answered = response.data?.callQuality.filter((entry) => entry.streams !== null).length ?? 0;
    return {
      users,
      hours,
      aligned,
      calls: harness.simulator.calls.length,
      lowerBound: Math.ceil(users / MAX_USERS_PER_CALL) * hours,
      naive: users * hours,
      usersAnswered: answered,
      errors: response.errors?.length ?? 0,
    };
  } finally {
    await harness.close();
  }
}

const startedAt = performance.now();
const rows: Row[] = [];
for (const aligned of [true, false]) {
  for (const hours of HOURS) {
    for (const users of USER_COUNTS) rows.push(await measure(users, hours, aligned));
  }
}
const elapsedS = (performance.now() - startedAt) / 1000;

const allMet = rows.every((row) => row.calls === row.lowerBound && row.errors === 0);
const table = markdownTable(
  [
    'users',
    'hours',
    'range',
    '**upstream calls**',
    'lower bound ceil(users/20) x h (target: equal)',
    'naive users x h',
    'users answered',
    'errors',
  ],
  rows.map((row) => [
    String(row.users),
    String(row.hours),
    row.aligned ? 'on slots' : 'off slots (+2 min 37 s)',
    `**${row.calls}**`,
    String(row.lowerBound),
    String(row.naive),
    `${row.usersAnswered}/${row.users}`,
    String(row.errors),
  ]),
);
writeSection(HEADING, [
  environmentLine('node --import tsx bench/upstream-efficiency.ts'),
  '',
  'One `callQuality` operation per row (`userId streams { direction }`, both directions), each on a fresh ' +
    'gateway and simulator (cold cache), over a past range ending at least 10 minutes ago, on 5-minute slots ' +
    'or starting 2 min 37 s into one (and ending as far into another), as "the last hour" asked at any moment does. ' +
    `RATE_LIMIT_RPS and the simulator's requestsPerSecond are raised to ${BENCH_RATE} so the ${rows.length} ` +
    `rows take ${elapsedS.toFixed(1)} s, and the simulator samples every ${SAMPLE_INTERVAL_MS / 1000} s ` +
    '(default 10 s); the call counts depend on neither.',
  '',
  table,
  '',
  allMet ? 'Target met in every row.' : 'Target MISSED in at least one row (see above).',
]);
if (!allMet) process.exitCode = 1;
