/**
 * Recording on purpose, end to end on the simulator with a clock moved by hand: `recordRoom` (authenticated)
 * stores a recording in the archive, the recorder fetches the room's users as their slots settle (a bounded
 * number of calls per tick), recordings survive a restart, and 8 days later the recorded range is served as it
 * was first served, at no upstream call.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useArchiveTestbed } from '../../helpers/archive-testbed.js';
import { SERIES_STREAMS_SELECTION } from '../../helpers/expected-streams.js';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const DAY_MS = 24 * 3_600_000;
const HOUR_MS = 3_600_000;
const API_KEY = 'recording-test-key-0123456789';
const AUTH = { authorization: `Bearer ${API_KEY}` };
const RECORD = `mutation ($app: ID!, $room: ID!, $users: [ID!]!, $from: DateTime, $until: DateTime!) {
  recordRoom(appId: $app, roomId: $room, userIds: $users, from: $from, until: $until) {
    appId roomId userIds from until
  }
}`;
const QUERY = `query ($room: ID!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "a", roomId: $room, userIds: ["u1", "u2"], from: $from, to: $to) {
    userId ${SERIES_STREAMS_SELECTION}
  }
}`;

const bed = useArchiveTestbed('callq-recording-');

async function restartGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  await bed.gateway?.close();
  bed.gateway = await startTestGateway({
    upstream: bed.simulator,
    now: bed.clock.now,
    env: {
      ARCHIVE_URL: `sqlite:${join(bed.dir, 'archive.sqlite')}`,
      AUTH_API_KEYS: JSON.stringify([{ name: 'recorder-test', key: API_KEY, appIds: ['a'] }]),
      // The test ticks the recorder itself; the timer's own rounds would race its counts.
      ARCHIVE_RECORD_INTERVAL_MS: '3600000',
      ...env,
    },
  });
  return bed.gateway;
}

const iso = (ms: number) => new Date(ms).toISOString();
const recorderOf = (harness: TestGateway) => {
  const { recorder } = harness.gateway;
  if (recorder === null) throw new Error('no recorder');
  return recorder;
};

describe('recordRoom', () => {
  it('records a room as it settles, and serves it 8 days later as first served, with no upstream call', async () => {
    const startMs = bed.clock.now();
    let harness = await restartGateway();
    const variables = {
      app: 'a',
      room: 'rec',
      users: ['u1', 'u2'],
      from: iso(startMs - HOUR_MS),
      until: iso(startMs + HOUR_MS),
    };
    const recorded = await harness.query<{ recordRoom: Record<string, unknown> }>(RECORD, variables, AUTH);
    expect(recorded.errors).toBeUndefined();
    const fromMs = Math.floor((startMs - HOUR_MS) / 300_000) * 300_000;
    expect(recorded.data?.recordRoom).toEqual({
      appId: 'a',
      roomId: 'rec',
      userIds: ['u1', 'u2'],
      from: iso(fromMs),
      until: iso(startMs + HOUR_MS),
    });

    // What has settled of the hour before now, then (the clock 2 hours on) the rest up to `until`.
    expect(await recorderOf(harness).tick()).toBe(1);
    // Survives a restart: the recording is in the archive, and the new process goes on with it.
    harness = await restartGateway();
    bed.clock.advance(2 * HOUR_MS);
    // At most an hour per recording and tick: the 2 hours left take two ticks, then it is done.
    const ticks: number[] = [];
    for (let calls = -1; calls !== 0; ) {
      calls = await recorderOf(harness).tick();
      ticks.push(calls);
    }
    expect(ticks).toEqual([1, 1, 0]);
    expect(bed.simulator.calls).toHaveLength(3);
    const untilMs = Math.ceil((startMs + HOUR_MS) / 300_000) * 300_000;

    harness = await restartGateway();
    const range = { room: 'rec', from: iso(fromMs), to: iso(untilMs) };
    const first = await harness.query(QUERY, range, AUTH);
    expect(first.errors).toBeUndefined();
    expect(bed.simulator.calls).toHaveLength(3);

    bed.clock.advance(8 * DAY_MS);
    harness = await restartGateway();
    const later = await harness.query(QUERY, range, AUTH);
    expect(later.errors).toBeUndefined();
    expect(later.data).toEqual(first.data);
    expect(bed.simulator.calls).toHaveLength(3);
  });

  it('sends at most 2 calls per tick however many recordings are due', async () => {
    const harness = await restartGateway();
    for (const room of ['r1', 'r2', 'r3']) {
      const variables = {
        app: 'a',
        room,
        users: ['u1'],
        from: iso(bed.clock.now() - 3 * HOUR_MS),
        until: iso(bed.clock.now() + HOUR_MS),
      };
      expect((await harness.query(RECORD, variables, AUTH)).errors).toBeUndefined();
    }
    expect(await recorderOf(harness).tick()).toBe(2);
    expect(bed.simulator.calls).toHaveLength(2);
  });

  it('records the users ARCHIVE_RECORD names, without being asked', async () => {
    const harness = await restartGateway({ ARCHIVE_RECORD: 'a/configured/u1,a/configured/u2' });
    // Configured recordings start where the gateway does: nothing has settled yet.
    expect(await recorderOf(harness).tick()).toBe(0);
    bed.clock.advance(HOUR_MS);
    expect(await recorderOf(harness).tick()).toBe(1);
    expect(bed.simulator.calls.map((call) => [call.roomId, call.userIds])).toEqual([
      ['configured', ['u1', 'u2']],
    ]);
  });

  it('refuses without a credential, for an AppId the credential may not read, and without an archive', async () => {
    let harness = await restartGateway();
    const variables = { app: 'a', room: 'r', users: ['u1'], until: iso(bed.clock.now() + HOUR_MS) };
    expect((await harness.query(RECORD, variables)).status).toBe(401);
    const forbidden = await harness.query(RECORD, { ...variables, app: 'b' }, AUTH);
    expect(forbidden.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);

    harness = await restartGateway({ ARCHIVE_URL: 'off' });
    const off = await harness.query(RECORD, variables, AUTH);
    expect(off.errors?.map((error) => error.extensions?.code)).toEqual(['ARCHIVE_UNAVAILABLE']);
    expect(bed.simulator.calls).toHaveLength(0);
  });
});
