import { parse } from 'graphql';
import { beforeEach, describe, expect, it } from 'vitest';
import { operationCost } from '../../../src/limits/operation-cost.js';
import { schema } from '../../../src/schema/index.js';
import { expectedStreams } from '../../helpers/expected-streams.js';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pastRange, userIds } from '../../helpers/test-gateway.js';

const QUERY = `query ($room: ID!, $users: [ID!]!, $from: DateTime!, $to: DateTime!, $step: Int, $max: Int) {
  frame(appId: "app1", roomId: $room, userIds: $users, metric: "Rtt", from: $from, to: $to,
        step: $step, maxDataPoints: $max) {
    metric unit times
    columns { userId direction peerId values }
  }
}`;

interface Column {
  userId: string;
  direction: 'UP' | 'DOWN';
  peerId: string | null;
  values: (number | null)[];
}
interface FrameAnswer {
  frame: { metric: string; unit: string | null; times: number[]; columns: Column[] } | null;
}

/** The frame computed here from the simulator's own data: mean per epoch-aligned bucket, 12 digits. */
function expectedFrame(
  room: string,
  users: readonly string[],
  range: { fromMs: number; toMs: number },
  stepMs: number,
) {
  const columns = users.flatMap((userId) =>
    expectedStreams({ appId: 'app1', roomId: room, userId, ...range }).flatMap((stream) => {
      const rtt = stream.metrics.find((metric) => metric.name === 'Rtt');
      if (!rtt) return [];
      const buckets = new Map<number, number[]>();
      rtt.series.times.forEach((time, i) => {
        const start = Math.floor(time / stepMs) * stepMs;
        buckets.set(start, [...(buckets.get(start) ?? []), rtt.series.values[i] as number]);
      });
      const means = new Map(
        [...buckets].map(([start, values]) => [
          start,
          Number((values.reduce((a, b) => a + b, 0) / values.length).toPrecision(12)),
        ]),
      );
      return [{ userId, direction: stream.direction, peerId: stream.peerId, means }];
    }),
  );
  const times = [...new Set(columns.flatMap((column) => [...column.means.keys()]))].sort((a, b) => a - b);
  return {
    metric: 'Rtt',
    unit: 'ms',
    times,
    columns: columns.map(({ means, ...key }) => ({
      ...key,
      values: times.map((time) => means.get(time) ?? null),
    })),
  };
}

const harness = createInProcessGateway();
let room = '';
let rooms = 0;
beforeEach(() => {
  harness.upstream.resetCalls();
  rooms += 1;
  room = `frame-room${rooms}`;
});

describe('frame', () => {
  it("serves 20 users' RTT of a settled hour from one upstream call, columns on one time axis", async () => {
    const range = pastRange(1);
    const users = userIds(20);
    const response = await harness.query<FrameAnswer>(QUERY, { room, users, ...range, step: 60 });

    expect(response.errors).toBeUndefined();
    expect(harness.upstream.calls).toHaveLength(1);
    const expected = expectedFrame(room, users, range, 60_000);
    expect(expected.columns.length).toBeGreaterThan(users.length);
    expect(response.data?.frame).toEqual(expected);
  });

  it('fills gaps with null where a stream has no point at a time another has', async () => {
    // A fixed hour, in which some of these users are away for a while: at another the data may have no gap.
    const nowMs = Date.UTC(2026, 0, 1, 12, 0, 0);
    const fixed = createInProcessGateway({ now: () => nowMs });
    const range = pastRange(1, 10, nowMs);
    const response = await fixed.query<FrameAnswer>(QUERY, { room, users: userIds(5), ...range });
    const frame = response.data?.frame;
    const nulls = frame?.columns.flatMap((column) => column.values.filter((value) => value === null)) ?? [];
    expect(response.errors).toBeUndefined();
    expect(frame).toEqual(expectedFrame(room, userIds(5), range, 1));
    expect(nulls.length).toBeGreaterThan(0);
  });

  it('derives the step from maxDataPoints: an hour in at most 100 points is 36 s buckets', async () => {
    const range = pastRange(1);
    const response = await harness.query<FrameAnswer>(QUERY, { room, users: ['alice'], ...range, max: 100 });
    expect(response.errors).toBeUndefined();
    expect(response.data?.frame).toEqual(expectedFrame(room, ['alice'], range, 36_000));
    expect(response.data?.frame?.times.length).toBeLessThanOrEqual(101);
  });

  it('refuses maxDataPoints: 0 as BAD_USER_INPUT before any upstream call', async () => {
    const response = await harness.query<FrameAnswer>(QUERY, {
      room,
      users: ['alice'],
      ...pastRange(1),
      max: 0,
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'maxDataPoints',
    });
    expect(harness.upstream.calls).toHaveLength(0);
  });

  it("counts the frame's cells in the output budget", async () => {
    const limited = createInProcessGateway({ env: { LIMIT_MAX_POINTS: '100' } });
    const range = pastRange(1);
    const response = await limited.query<FrameAnswer>(QUERY, { room, users: ['alice'], ...range, step: 60 });
    expect(response.errors?.[0]?.extensions?.code).toBe('OUTPUT_LIMIT_EXCEEDED');
  });

  it('is counted by the cost limit: 45 users over an hour cost 3 calls', () => {
    const range = pastRange(1);
    const document = parse(
      `{ frame(appId: "a", roomId: "r", userIds: ${JSON.stringify(userIds(45))}, metric: "Rtt", from: "${range.from}", to: "${range.to}") { times } }`,
    );
    expect(operationCost({ schema, document, nowMs: Date.now(), slotMs: 300_000 })).toBe(3);
  });
});
