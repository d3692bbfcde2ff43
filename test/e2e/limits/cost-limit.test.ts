/**
 * The cost limit end to end: through a real gateway in front of a real simulator, what dashboards ask for
 * passes (with exactly the calls it was costed at), and an operation over LIMIT_MAX_UPSTREAM_CALLS is refused
 * before a single upstream call is spent.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pastRange, startTestGateway, type TestGateway, userIds } from '../../helpers/test-gateway.js';

const HOUR_MS = 3_600_000;
const STEP_SECONDS = 60;
const METRIC_NAMES = ['AudioSendBitrate', 'VideoSendBitrate', 'Rtt', 'AudioRecvBitrate', 'VideoRecvBitrate'];

/**
 * These tests count calls, not points: a sample a minute (instead of every 10 s) keeps the simulator's data
 * generation, which shares this process with the gateway, from dominating the run on a small machine.
 */
const SIMULATOR = { sampleIntervalMs: 60_000 };

const CALL_QUALITY = `query ($users: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "app1", roomId: "room1", userIds: $users, from: $from, to: $to) { userId streams { direction } }
}`;

type Entries = { callQuality: Array<{ userId: string; streams: unknown[] | null }> };

function refusal(cost: number, limit: number) {
  return [
    {
      message:
        `this operation could need at least ${cost} upstream calls; the limit is ${limit} ` +
        '(ask for fewer users or a shorter range, or split the operation)',
      extensions: { code: 'COST_LIMIT_EXCEEDED', cost, limit },
    },
  ];
}

describe('with the default limit (144 calls)', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway({ simulator: SIMULATOR });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.simulator.resetCalls());

  it('serves a dashboard: 20 users over the last hour, 5 metrics as stepped series, with summaries', async () => {
    const toMs = Date.now();
    const fromMs = toMs - HOUR_MS;
    const users = userIds(20, 'dash');
    const response = await harness.query<{
      callQuality: Array<{
        userId: string;
        final: boolean;
        streams: Array<{
          direction: 'UP' | 'DOWN';
          metrics: Array<{
            name: string;
            series: { times: number[]; values: number[] };
            summary: { count: number; min: number | null; max: number | null; avg: number | null };
          }>;
        }> | null;
      }>;
    }>(
      `query Dashboard($users: [ID!]!, $from: DateTime!, $to: DateTime!, $names: [String!], $step: Int) {
        callQuality(appId: "app1", roomId: "dashboard", userIds: $users, from: $from, to: $to) {
          userId final
          streams {
            direction
            metrics(names: $names) {
              name series(step: $step) { times values } summary { count min max avg p50 p95 last }
            }
          }
        }
      }`,
      {
        users,
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        names: METRIC_NAMES,
        step: STEP_SECONDS,
      },
    );

    expect(response.errors).toBeUndefined();
    const entries = response.data?.callQuality ?? [];
    expect(entries.map((entry) => entry.userId)).toEqual(users);
    let streams = 0;
    for (const entry of entries) {
      // The range reaches into the last ~100 s, which the upstream may still complete.
      expect(entry.final).toBe(false);
      for (const stream of entry.streams ?? []) {
        streams++;
        expect(stream.metrics.map((metric) => metric.name)).toEqual(
          stream.direction === 'UP'
            ? ['AudioSendBitrate', 'VideoSendBitrate', 'Rtt']
            : ['AudioRecvBitrate', 'VideoRecvBitrate', 'Rtt'],
        );
        for (const { series, summary } of stream.metrics) {
          expect(series.times.length).toBe(series.values.length);
          expect(series.times.length).toBeGreaterThan(0);
          expect(series.times.every((time) => time % (STEP_SECONDS * 1000) === 0)).toBe(true);
          expect(
            series.times.every((time, index) => index === 0 || time > (series.times[index - 1] ?? 0)),
          ).toBe(true);
          expect(series.times[0]).toBeGreaterThanOrEqual(fromMs - STEP_SECONDS * 1000);
          expect(series.times.at(-1)).toBeLessThan(toMs);
          expect(summary.count).toBeGreaterThan(0);
          expect(summary.min).toBeLessThanOrEqual(summary.avg ?? Number.NaN);
          expect(summary.avg).toBeLessThanOrEqual(summary.max ?? Number.NaN);
        }
      }
    }
    expect(streams).toBeGreaterThan(20);
    // An unaligned hour up to now, at any millisecond, touches 13 five-minute slots and costs one call: from the
    // second of its start to the second of its end (nothing after which exists yet).
    expect(harness.simulator.calls.map((call) => call.userIds)).toEqual([users]);
    expect(harness.simulator.calls.map((call) => [call.startTime, call.endTime])).toEqual([
      [new Date(Math.floor(fromMs / 1000) * 1000), new Date(Math.floor(toMs / 1000) * 1000)].map((instant) =>
        instant.toISOString().replace('.000Z', 'Z'),
      ),
    ]);
  });

  it('serves a 200-user room asked for with aliases over one hour, in 10 calls of 20 users', async () => {
    const range = pastRange(1);
    const users = userIds(200, 'member');
    const aliases = users
      .map(
        (user, index) =>
          `u${index}: user(userId: "${user}", from: $from, to: $to) { userId streams { direction } }`,
      )
      .join('\n');
    const response = await harness.query<{
      room: Record<string, { userId: string; streams: unknown[] | null }>;
    }>(
      `query BigRoom($from: DateTime!, $to: DateTime!) { room(appId: "app1", roomId: "big") { ${aliases} } }`,
      range,
    );

    expect(response.errors).toBeUndefined();
    const room = response.data?.room ?? {};
    expect(Object.values(room).map((entry) => entry.userId)).toEqual(users);
    expect(Object.values(room).filter((entry) => (entry.streams?.length ?? 0) > 0).length).toBeGreaterThan(
      100,
    );
    expect(harness.simulator.calls).toHaveLength(10);
    expect(harness.simulator.calls.every((call) => call.userIds.length === 20)).toBe(true);
    expect(new Set(harness.simulator.calls.flatMap((call) => call.userIds))).toEqual(new Set(users));
  });

  it('serves 20 users over the whole retention up to now, one call per hour from where it starts (144)', async () => {
    const toMs = Date.now();
    // A minute inside the retention: a range starting at its very edge loses the instants the edge passes
    // while the calls wait their turn.
    const fromMs = toMs - 6 * 24 * HOUR_MS + 60_000;
    const users = userIds(20, 'week');
    const response = await harness.query<Entries>(CALL_QUALITY, {
      users,
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
    });

    expect(response.errors).toBeUndefined();
    expect(response.data?.callQuality.map((entry) => entry.userId)).toEqual(users);
    expect(response.data?.callQuality.every((entry) => (entry.streams?.length ?? 0) > 0)).toBe(true);
    // Six days less a minute, cut into hours from where the range starts, wherever that falls in its slot.
    expect(harness.simulator.calls).toHaveLength(144);
  }, 60_000);

  it('refuses 21 users over six days (290 calls) with its cost and the limit, calling nothing', async () => {
    const response = await harness.query<Entries>(CALL_QUALITY, { users: userIds(21), ...pastRange(143) });

    expect(response.status).toBe(200);
    expect(response.data).toBeUndefined();
    expect(response.errors).toEqual(refusal(286, 144));
    expect(harness.simulator.calls).toHaveLength(0);
  });
});

describe('with LIMIT_MAX_UPSTREAM_CALLS=20', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway({ simulator: SIMULATOR, env: { LIMIT_MAX_UPSTREAM_CALLS: '20' } });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.simulator.resetCalls());

  it('refuses 100 users over 6 hours (30 calls), calling nothing', async () => {
    const response = await harness.query<Entries>(CALL_QUALITY, { users: userIds(100), ...pastRange(6) });

    expect(response.data).toBeUndefined();
    expect(response.errors).toEqual(refusal(30, 20));
    expect(harness.simulator.calls).toHaveLength(0);
  });

  it('serves 100 users over 4 hours, exactly at the limit, with exactly 20 calls', async () => {
    const users = userIds(100);
    const response = await harness.query<Entries>(CALL_QUALITY, { users, ...pastRange(4) });

    expect(response.errors).toBeUndefined();
    expect(response.data?.callQuality.map((entry) => entry.userId)).toEqual(users);
    expect(response.data?.callQuality.every((entry) => Array.isArray(entry.streams))).toBe(true);
    expect(harness.simulator.calls).toHaveLength(20);
    expect(harness.simulator.calls.every((call) => call.userIds.length === 20)).toBe(true);
  });
});

describe('with LIMIT_MAX_POINTS=1000', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway({ simulator: SIMULATOR, env: { LIMIT_MAX_POINTS: '1000' } });
  });
  afterAll(() => harness.close());

  const SERIES = `query ($step: Int, $from: DateTime!, $to: DateTime!) {
    callQuality(appId: "app1", roomId: "points-of-3", userIds: ["alice", "bob"], from: $from, to: $to) {
      streams { metrics { series(step: $step) { times } } }
    }
  }`;

  it('counts the points returned, so a coarse step over a long range passes', async () => {
    const response = await harness.query<{
      callQuality: Array<{ streams: Array<{ metrics: Array<{ series: { times: number[] } }> }> }>;
    }>(SERIES, { step: 3600, ...pastRange(6) });
    expect(response.errors).toBeUndefined();
    const points = response.data?.callQuality
      .flatMap((entry) => entry.streams.flatMap((stream) => stream.metrics.map((m) => m.series.times.length)))
      .reduce((sum, count) => sum + count, 0);
    expect(points).toBeGreaterThan(0);
    expect(points).toBeLessThanOrEqual(1000);
  });

  it('refuses the same range at full resolution with one OUTPUT_LIMIT_EXCEEDED and no data', async () => {
    const response = await harness.query(SERIES, { step: null, ...pastRange(6) });
    expect(response.data).toBeUndefined();
    expect(response.errors).toEqual([
      {
        message:
          'this operation would return more than 1000 points (LIMIT_MAX_POINTS); ask for fewer users, ' +
          'metrics or aliases, a shorter range, or a coarser `step`',
        extensions: { code: 'OUTPUT_LIMIT_EXCEEDED', limit: 1000 },
      },
    ]);
  });
});
