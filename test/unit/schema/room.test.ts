import { beforeEach, describe, expect, it } from 'vitest';
import {
  expectedStreams,
  SERIES_STREAMS_SELECTION,
  type SeriesStream,
} from '../../helpers/expected-streams.js';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pastRange } from '../../helpers/test-gateway.js';

const harness = createInProcessGateway();
beforeEach(() => harness.upstream.resetCalls());

type UserEntry = { userId: string; streams: SeriesStream[] | null };

describe('room.user aliases', () => {
  it('batches five aliased users of one room and window into one call', async () => {
    const range = pastRange(1);
    const users = ['u1', 'u2', 'u3', 'u4', 'u5'];
    const aliases = users
      .map(
        (user) =>
          `${user}: user(userId: "${user}", from: $from, to: $to) { userId ${SERIES_STREAMS_SELECTION} }`,
      )
      .join('\n');
    const response = await harness.query<{
      room: Record<string, UserEntry> & { appId: string; roomId: string };
    }>(
      `query ($from: DateTime!, $to: DateTime!) { room(appId: "app1", roomId: "room1") { appId roomId ${aliases} } }`,
      range,
    );

    expect(response.errors).toBeUndefined();
    expect(harness.upstream.calls).toHaveLength(1);
    expect(harness.upstream.calls[0]?.userIds).toEqual(users);
    expect(response.data?.room).toMatchObject({ appId: 'app1', roomId: 'room1' });
    for (const user of users) {
      expect(response.data?.room[user]?.streams).toEqual(
        expectedStreams({ appId: 'app1', roomId: 'room1', userId: user, ...range }),
      );
    }
  });

  it('makes one call per window when aliases ask for the same users over different windows', async () => {
    const earlier = pastRange(1, 130);
    const later = pastRange(1, 10);
    const response = await harness.query<{ room: Record<string, UserEntry> }>(
      `query ($f1: DateTime!, $t1: DateTime!, $f2: DateTime!, $t2: DateTime!) {
        room(appId: "app1", roomId: "room1") {
          a1: user(userId: "alice", from: $f1, to: $t1) { userId ${SERIES_STREAMS_SELECTION} }
          b1: user(userId: "bob", from: $f1, to: $t1) { userId ${SERIES_STREAMS_SELECTION} }
          a2: user(userId: "alice", from: $f2, to: $t2) { userId ${SERIES_STREAMS_SELECTION} }
          b2: user(userId: "bob", from: $f2, to: $t2) { userId ${SERIES_STREAMS_SELECTION} }
        }
      }`,
      { f1: earlier.from, t1: earlier.to, f2: later.from, t2: later.to },
    );

    expect(response.errors).toBeUndefined();
    const calls = harness.upstream.calls.map((call) => [Date.parse(call.startTime), call.userIds]);
    expect(calls.sort()).toEqual([
      [earlier.fromMs, ['alice', 'bob']],
      [later.fromMs, ['alice', 'bob']],
    ]);
    const room = response.data?.room ?? {};
    for (const [alias, userId, range] of [
      ['a1', 'alice', earlier],
      ['b1', 'bob', earlier],
      ['a2', 'alice', later],
      ['b2', 'bob', later],
    ] as const) {
      expect(room[alias]?.streams, alias).toEqual(
        expectedStreams({ appId: 'app1', roomId: 'room1', userId, ...range }),
      );
    }
  });
});
