import { beforeEach, describe, expect, it } from 'vitest';
import {
  expectedStreams,
  SERIES_STREAMS_SELECTION,
  type SeriesStream,
} from '../../helpers/expected-streams.js';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pastRange, userIds } from '../../helpers/test-gateway.js';

const QUERY = `query ($room: ID!, $users: [ID!]!, $from: DateTime!, $to: DateTime!, $directions: [Direction!]! = [UP, DOWN]) {
  callQuality(appId: "app1", roomId: $room, userIds: $users, from: $from, to: $to, directions: $directions) {
    appId roomId userId from to final
    ${SERIES_STREAMS_SELECTION}
  }
}`;

interface Entry {
  appId: string;
  roomId: string;
  userId: string;
  from: string;
  to: string;
  final: boolean;
  streams: SeriesStream[] | null;
}

const harness = createInProcessGateway();
// The window cache outlives a request: each test asks about a room of its own, so it starts cold.
let room = '';
let rooms = 0;
beforeEach(() => {
  harness.upstream.resetCalls();
  rooms += 1;
  room = `room${rooms}`;
});

describe('callQuality batching', () => {
  it.each([
    [1, 1],
    [20, 1],
    [21, 2],
    [45, 3],
  ])('%i users over one hour cost %i upstream call(s), each user with its own data', async (count, calls) => {
    const range = pastRange(1);
    const users = userIds(count);
    const response = await harness.query<{ callQuality: Entry[] }>(QUERY, { room, users, ...range });

    expect(response.errors).toBeUndefined();
    expect(harness.upstream.calls).toHaveLength(calls);
    for (const call of harness.upstream.calls) expect(call.userIds.length).toBeLessThanOrEqual(20);
    expect(harness.upstream.calls.flatMap((call) => call.userIds).sort()).toEqual([...users].sort());

    const entries = response.data?.callQuality ?? [];
    expect(entries.map((entry) => entry.userId)).toEqual(users);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        appId: 'app1',
        roomId: room,
        from: range.from,
        to: range.to,
        final: true,
      });
      expect(entry.streams).toEqual(
        expectedStreams({ appId: 'app1', roomId: room, userId: entry.userId, ...range }),
      );
    }
  });

  it('splits a 3-hour range into 3 calls and joins the windows without duplicates', async () => {
    const range = pastRange(3);
    const users = userIds(5);
    const response = await harness.query<{ callQuality: Entry[] }>(QUERY, { room, users, ...range });

    expect(response.errors).toBeUndefined();
    expect(harness.upstream.calls).toHaveLength(3);
    const starts = harness.upstream.calls.map((call) => Date.parse(call.startTime)).sort();
    expect(starts).toEqual([range.fromMs, range.fromMs + 3_600_000, range.fromMs + 7_200_000]);
    for (const entry of response.data?.callQuality ?? []) {
      for (const stream of entry.streams ?? []) {
        for (const metric of stream.metrics) {
          const { times } = metric.series;
          for (let i = 1; i < times.length; i += 1) expect(times[i]).toBeGreaterThan(times[i - 1] as number);
          expect(times[0]).toBeGreaterThanOrEqual(range.fromMs);
          expect(times.at(-1)).toBeLessThan(range.toMs);
        }
      }
      expect(entry.streams).toEqual(
        expectedStreams({ appId: 'app1', roomId: room, userId: entry.userId, ...range }),
      );
    }
  });

  it.each([
    [['UP'], '1', ['UP']],
    [['DOWN'], '2', ['DOWN']],
    [['UP', 'DOWN'], '0', ['DOWN', 'UP']],
  ])('directions %j sends Direction=%s and returns only those streams', async (directions, sent, seen) => {
    const response = await harness.query<{ callQuality: Entry[] }>(QUERY, {
      room,
      users: ['alice'],
      directions,
      ...pastRange(1),
    });

    expect(response.errors).toBeUndefined();
    expect(harness.upstream.calls.map((call) => call.direction)).toEqual([sent]);
    const streams = response.data?.callQuality[0]?.streams ?? [];
    expect([...new Set(streams.map((stream) => stream.direction))].sort()).toEqual(seen);
  });

  it('serves one Direction=0 call when fields of one window mix directions', async () => {
    const range = pastRange(1);
    const response = await harness.query<{ up: Entry[]; down: Entry[] }>(
      `query ($room: ID!, $from: DateTime!, $to: DateTime!) {
        up: callQuality(appId: "app1", roomId: $room, userIds: ["alice"], from: $from, to: $to, directions: [UP]) {
          streams { direction }
        }
        down: callQuality(appId: "app1", roomId: $room, userIds: ["bob"], from: $from, to: $to, directions: [DOWN]) {
          streams { direction }
        }
      }`,
      { room, ...range },
    );

    expect(response.errors).toBeUndefined();
    expect(harness.upstream.calls.map((call) => [call.direction, call.userIds])).toEqual([
      ['0', ['alice', 'bob']],
    ]);
    expect(response.data?.up[0]?.streams?.map((stream) => stream.direction)).toEqual(['UP']);
    expect(new Set(response.data?.down[0]?.streams?.map((stream) => stream.direction))).toEqual(
      new Set(['DOWN']),
    );
  });

  it('marks a range reaching into the last ~100 s as not final', async () => {
    const toMs = Date.now() + 60_000;
    const response = await harness.query<{ callQuality: Entry[] }>(QUERY, {
      room,
      users: ['alice'],
      from: new Date(toMs - 1_800_000).toISOString(),
      to: new Date(toMs).toISOString(),
    });

    expect(response.errors).toBeUndefined();
    expect(response.data?.callQuality[0]?.final).toBe(false);
  });

  it('gives a user without data an entry with empty streams', async () => {
    const response = await harness.query<{ callQuality: Entry[] }>(QUERY, {
      room,
      users: ['absent-user', 'alice'],
      ...pastRange(1),
    });

    expect(response.errors).toBeUndefined();
    expect(response.data?.callQuality[0]).toMatchObject({ userId: 'absent-user', streams: [] });
    expect(response.data?.callQuality[1]?.streams?.length).toBeGreaterThan(0);
  });
});
