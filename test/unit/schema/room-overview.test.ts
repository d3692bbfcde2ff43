/**
 * The room overview through the whole app, on hand-made series: users ranked worst first by their weakest
 * stream, time in incidents, the metric at fault, users in trouble per bucket; in the series' upstream calls.
 */
import { describe, expect, it } from 'vitest';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pointsBetween, type QuirkCall, type UserCallDetailEntry } from '../../helpers/quirk-upstream.js';
import { pastRange } from '../../helpers/test-gateway.js';

const SAMPLE_MS = 10_000;
const range = pastRange(1);
const bucket = Math.floor(range.fromMs / 600_000) * 600_000;

/** RTT in ms of each user at an instant: u1 is bad for 60 s of its second 10-minute bucket, u2 for 30 s. */
function rttOf(userId: string, timeMs: number): number {
  if (userId === 'u4' && timeMs >= bucket + 1_320_000 && timeMs < bucket + 1_350_000) return 900;
  if (isMurky(userId, timeMs)) return 380;
  if (userId === 'u1' && timeMs >= bucket + 600_000 && timeMs < bucket + 660_000) return 900;
  if (userId === 'u2' && timeMs >= bucket + 630_000 && timeMs < bucket + 660_000) return 700;
  return 100;
}

/** u4 and u5: 120 s of RTT 380 ms with 4 % loss, each within its threshold, together a MOS of 2.87. */
function isMurky(userId: string, timeMs: number): boolean {
  return (userId === 'u4' || userId === 'u5') && timeMs >= bucket + 1_200_000 && timeMs < bucket + 1_320_000;
}

function answer(call: QuirkCall): UserCallDetailEntry[] {
  const points = (value: (timeMs: number) => number) =>
    pointsBetween(
      Math.max(call.startMs, range.fromMs),
      Math.min(call.endMs + 1, range.toMs),
      SAMPLE_MS,
      value,
    );
  // u3 has no data in the room.
  return call.userIds
    .filter((userId) => userId !== 'u3')
    .map((userId) => ({
      UserId: userId,
      RoomId: 'r',
      Direction: 'up' as const,
      CallDetail: [
        { Name: 'Rtt', Desc: 'Rtt', Unit: 'ms', Data: points((t) => rttOf(userId, t)) },
        { Name: 'Jitter', Desc: 'Jitter', Unit: 'ms', Data: points(() => 10) },
        {
          Name: 'UpPacketLossRate',
          Desc: 'loss',
          Unit: '%',
          Data: points((t) => (isMurky(userId, t) ? 4 : 1)),
        },
      ],
    }));
}

const QUERY = `query ($from: DateTime!, $to: DateTime!, $users: [ID!]!) {
  roomOverview(appId: "a", roomId: "r", userIds: $users, from: $from, to: $to, directions: [UP], step: 600) {
    users { userId worstScore worstBand worstDirection incidentSeconds incidentCount worstMetric }
    times
    usersInIncident
  }
}`;

interface Answer {
  roomOverview: {
    users: Array<Record<string, unknown>>;
    times: number[];
    usersInIncident: number[];
  };
}

/** The E-model's R for rtt (ms) with jitter 10 ms and loss 1 %. */
const rOf = (rttMs: number) => {
  const latency = rttMs + 30;
  return 94.768 - (latency < 160 ? latency / 40 : (latency - 120) / 10) - 2.5;
};

describe('roomOverview', () => {
  it('ranks users worst first by their weakest bucket, with time in incidents and the metric at fault', async () => {
    const gateway = createInProcessGateway({ answer });
    const response = await gateway.query<Answer>(QUERY, { ...range, users: ['u3', 'u2', 'u1'] });
    expect(response.errors).toBeUndefined();
    const overview = response.data?.roomOverview;
    // Bucket 2 of u1: 6 samples at 900 ms and 54 at 100 ms; of u2: 3 at 700 ms.
    const u1Worst = (6 * rOf(900) + 54 * rOf(100)) / 60;
    const u2Worst = (3 * rOf(700) + 57 * rOf(100)) / 60;
    expect(overview?.users.map((user) => user.userId)).toEqual(['u1', 'u2', 'u3']);
    expect(overview?.users[0]).toEqual({
      userId: 'u1',
      worstScore: Number(u1Worst.toPrecision(12)),
      worstBand: 'GOOD',
      worstDirection: 'UP',
      // HIGH_RTT and LOW_MOS over the same 60 s: counted once.
      incidentSeconds: 60,
      incidentCount: 2,
      worstMetric: 'Rtt',
    });
    expect(overview?.users[1]).toMatchObject({
      userId: 'u2',
      worstScore: Number(u2Worst.toPrecision(12)),
      incidentSeconds: 30,
    });
    expect(overview?.users[2]).toEqual({
      userId: 'u3',
      worstScore: null,
      worstBand: null,
      worstDirection: null,
      incidentSeconds: 0,
      incidentCount: 0,
      worstMetric: null,
    });
    const times = overview?.times ?? [];
    expect(times[0]).toBe(bucket);
    expect(times.length).toBe(Math.ceil((range.toMs - bucket) / 600_000));
    // Both bad stretches lie in the bucket starting 600 s after the first.
    expect(overview?.usersInIncident).toEqual(times.map((time) => (time === bucket + 600_000 ? 2 : 0)));
  });

  it('names a measured metric as the worst where there is one, MOS only where none had an incident', async () => {
    const gateway = createInProcessGateway({ answer });
    const response = await gateway.query<Answer>(QUERY, { ...range, users: ['u4', 'u5'] });
    expect(response.errors).toBeUndefined();
    const byUser = new Map(response.data?.roomOverview.users.map((user) => [user.userId, user]));
    // u4: LOW_MOS over 150 s, HIGH_RTT over its last 30 s; u5: LOW_MOS alone.
    expect(byUser.get('u4')).toMatchObject({ worstMetric: 'Rtt', incidentSeconds: 150 });
    expect(byUser.get('u5')).toMatchObject({ worstMetric: 'MOS', incidentSeconds: 120 });
  });

  it('costs the upstream calls of the users’ series, and counts towards the cost limit', async () => {
    const gateway = createInProcessGateway({ answer });
    await gateway.query(QUERY, { ...range, users: ['u1', 'u2', 'u3'] });
    const series = createInProcessGateway({ answer });
    await series.query(
      `query ($from: DateTime!, $to: DateTime!) {
        callQuality(appId: "a", roomId: "r", userIds: ["u1", "u2", "u3"], from: $from, to: $to, directions: [UP]) {
          streams { direction }
        }
      }`,
      range,
    );
    expect(gateway.upstream.calls.length).toBe(series.upstream.calls.length);

    const limited = createInProcessGateway({ answer, env: { LIMIT_MAX_UPSTREAM_CALLS: '1' } });
    const users = Array.from({ length: 21 }, (_, index) => `u${index + 10}`);
    const refused = await limited.query(QUERY, { ...range, users });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'COST_LIMIT_EXCEEDED', limit: 1 });
    expect(limited.upstream.calls).toHaveLength(0);
  });
});
