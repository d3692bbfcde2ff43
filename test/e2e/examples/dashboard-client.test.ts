/**
 * The typed client of examples/ against a real gateway on the simulator, over loopback: what its functions
 * return must be what the same query, written out here by hand and sent as plain JSON, answers, and the
 * warnings and error codes a dashboard shows must reach the caller.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Execute, GatewayRequestError, warningsOf } from '../../../examples/client.js';
import { chartFrame, metricNames, roomOverview, toUPlot } from '../../../examples/dashboard.js';
import { pastRange, startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const DAY_MS = 24 * 3_600_000;
const APP = 'demo-app';
const USERS = ['alice', 'bob'];

let harness: TestGateway;
let execute: Execute;

beforeAll(async () => {
  harness = await startTestGateway();
  execute = createClient({ url: harness.gateway.graphqlUrl });
});

afterAll(async () => {
  await harness?.close();
});

/** The hour before a settled instant, as `last` with a fixed `to`, so two queries ask for the same range. */
function lastHour() {
  const { to, toMs } = pastRange(1);
  return { range: { last: 3600, to }, to, fromIso: new Date(toMs - 3_600_000).toISOString() };
}

describe('the example dashboard client', () => {
  it('roomOverview returns the series and summaries the same query answers as raw JSON', async () => {
    const { range, to, fromIso } = lastHour();
    const result = await roomOverview(execute, {
      appId: APP,
      roomId: 'overview',
      userIds: USERS,
      metrics: ['Rtt', 'VideoRecvBitrate'],
      step: 60,
      range,
    });

    const raw = await harness.query<{ callQuality: unknown[] }>(
      `query ($to: DateTime!) {
        callQuality(appId: "demo-app", roomId: "overview", userIds: ["alice", "bob"], last: 3600, to: $to) {
          userId from to final
          streams { direction peerId metrics(names: ["Rtt", "VideoRecvBitrate"]) {
            name unit summary { avg p95 max last } series(step: 60) { times values }
          } }
        }
      }`,
      { to },
    );
    expect(raw.errors).toBeUndefined();
    expect(result.data).toEqual(raw.data?.callQuality);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);

    expect(result.data.map((user) => [user.userId, user.from, user.to, user.final])).toEqual([
      ['alice', fromIso, to, true],
      ['bob', fromIso, to, true],
    ]);
    const rtt = result.data[0]?.streams?.flatMap((stream) => stream.metrics).find((m) => m.name === 'Rtt');
    // At most one point per minute of the hour (the simulator leaves gaps), each on a minute boundary.
    const times = rtt?.series.times ?? [];
    expect(times.length).toBeGreaterThan(30);
    expect(times.length).toBeLessThanOrEqual(60);
    expect(
      times.every((time) => time % 60_000 === 0 && time >= Date.parse(fromIso) && time < Date.parse(to)),
    ).toBe(true);
  });

  it('metricNames lists what the picker offers, as the raw query does', async () => {
    const { range, to } = lastHour();
    const result = await metricNames(execute, { appId: APP, roomId: 'picker', userId: 'alice', range });

    const raw = await harness.query<{ callQuality: Array<{ metricNames: unknown }> }>(
      `query ($to: DateTime!) {
        callQuality(appId: "demo-app", roomId: "picker", userIds: ["alice"], last: 3600, to: $to) {
          metricNames { name unit description }
        }
      }`,
      { to },
    );
    expect(result.data).toEqual(raw.data?.callQuality[0]?.metricNames);
    expect(result.data?.map((metric) => metric.name)).toContain('Rtt');
  });

  it('chartFrame returns the frame the raw query answers, and uPlot data of the same shape', async () => {
    const { range, to } = lastHour();
    const result = await chartFrame(execute, {
      appId: APP,
      roomId: 'chart-of-3',
      userIds: USERS,
      metric: 'Rtt',
      maxDataPoints: 60,
      range,
    });

    const raw = await harness.query<{ frame: { times: number[]; columns: unknown[] } }>(
      `query ($to: DateTime!) {
        frame(appId: "demo-app", roomId: "chart-of-3", userIds: ["alice", "bob"], metric: "Rtt", maxDataPoints: 60,
              last: 3600, to: $to) {
          metric unit times columns { userId direction peerId values }
        }
      }`,
      { to },
    );
    expect(raw.errors).toBeUndefined();
    expect(result.data).toEqual(raw.data?.frame);
    const frame = result.data;
    if (!frame) throw new Error('no frame');
    // maxDataPoints 60 over an hour: a 60 s step, so at most 60 shared times (fewer only where nobody was in).
    expect(frame.times.length).toBeGreaterThan(30);
    expect(frame.times.length).toBeLessThanOrEqual(60);
    expect(frame.times.every((time) => time % 60_000 === 0)).toBe(true);
    // Each user's UP stream, then DOWN from each publisher of the room ("chart-of-3" has three, host, guest-1 and guest-2).
    const streams = ['UP', 'guest-1', 'guest-2', 'host'];
    expect(frame.columns.map((column) => [column.userId, column.peerId ?? column.direction])).toEqual(
      USERS.flatMap((user) => streams.map((stream) => [user, stream])),
    );

    const plot = toUPlot(frame);
    expect(plot.data[0]).toEqual(frame.times.map((ms) => ms / 1000));
    expect(plot.data.slice(1)).toEqual(frame.columns.map((column) => column.values));
    expect(plot.labels).toEqual(
      USERS.flatMap((user) => [`${user} up`, ...streams.slice(1).map((peer) => `${user} from ${peer}`)]),
    );
  });

  it('surfaces an UNKNOWN_METRIC warning with the closest names', async () => {
    const { range } = lastHour();
    const result = await roomOverview(execute, {
      appId: APP,
      roomId: 'overview',
      userIds: ['alice'],
      metrics: ['rtt'],
      step: 60,
      range,
    });
    const [warning, ...more] = warningsOf(result.warnings, 'UNKNOWN_METRIC');
    expect(more).toEqual([]);
    expect(warning?.names).toEqual(['rtt']);
    expect(warning?.suggestions.rtt).toContain('Rtt');
    expect(result.data[0]?.streams?.every((stream) => stream.metrics.length === 0)).toBe(true);
  });

  it('surfaces a RANGE_CLAMPED warning for a start just beyond the retention', async () => {
    const fromMs = Math.floor((Date.now() - 6 * DAY_MS - 20_000) / 1000) * 1000;
    const from = new Date(fromMs).toISOString();
    const to = new Date(fromMs + 10 * 60_000).toISOString();
    const result = await metricNames(execute, {
      appId: APP,
      roomId: 'edge',
      userId: 'alice',
      range: { from, to },
    });
    const [warning] = warningsOf(result.warnings, 'RANGE_CLAMPED');
    expect(warning?.argument).toBe('from');
    expect(warning?.from).toBe(from);
    expect(Date.parse(warning?.servedFrom ?? '')).toBeGreaterThan(fromMs);
  });

  it('throws a GatewayRequestError with the code when the operation is refused', async () => {
    const tomorrowMs = Date.now() + DAY_MS;
    const range = {
      from: new Date(tomorrowMs).toISOString(),
      to: new Date(tomorrowMs + 3_600_000).toISOString(),
    };
    const calls = harness.simulator.calls.length;
    const refused = await roomOverview(execute, {
      appId: APP,
      roomId: 'refused',
      userIds: USERS,
      metrics: ['Rtt'],
      step: 60,
      range,
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayRequestError);
    expect((refused as GatewayRequestError).code).toBe('BAD_USER_INPUT');
    expect((refused as GatewayRequestError).errors[0]?.extensions?.argument).toBe('from');
    expect(harness.simulator.calls.length).toBe(calls);
  });

  it('throws with the HTTP refusal’s code for a page on an origin the gateway does not allow', async () => {
    const foreign = createClient({
      url: harness.gateway.graphqlUrl,
      headers: { origin: 'https://dash.example' },
    });
    const refused = await metricNames(foreign, {
      appId: APP,
      roomId: 'picker',
      userId: 'alice',
      range: lastHour().range,
    }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayRequestError);
    expect((refused as GatewayRequestError).status).toBe(403);
    expect((refused as GatewayRequestError).code).toBe('CORS_ORIGIN_NOT_ALLOWED');
  });

  it('returns the data with coded errors at the paths the upstream could not serve', async () => {
    harness.simulator.injectFault({ kind: 'malformed' });
    try {
      const result = await roomOverview(execute, {
        appId: APP,
        roomId: 'failing',
        userIds: USERS,
        metrics: ['Rtt'],
        step: 60,
        range: lastHour().range,
      });
      expect(result.data.map((user) => [user.userId, user.streams])).toEqual([
        ['alice', null],
        ['bob', null],
      ]);
      expect(result.errors.map((error) => [error.path, error.extensions?.code])).toEqual([
        [['callQuality', 0, 'streams'], 'UPSTREAM_ERROR'],
        [['callQuality', 1, 'streams'], 'UPSTREAM_ERROR'],
      ]);
    } finally {
      harness.simulator.clearFaults();
    }
  });
});
