/**
 * Ranges off the slot grid end to end: a real gateway in front of the simulator over loopback fetches an unaligned
 * 1 h and 6 h of 20 users in 1 and 6 calls that start where the range starts, and answers the same points as a
 * second gateway fetching the aligned range around it from the same simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipStreams, SERIES_STREAMS_SELECTION, type SeriesStream } from '../../helpers/expected-streams.js';
import { pastRange, startTestGateway, type TestGateway, userIds } from '../../helpers/test-gateway.js';

const QUERY = `query ($room: ID!, $users: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "app1", roomId: $room, userIds: $users, from: $from, to: $to) {
    userId ${SERIES_STREAMS_SELECTION}
  }
}`;
const HOUR_MS = 3_600_000;
/** Off the 5-minute slots and off whole minutes. */
const OFFSET_MS = (2 * 60 + 37) * 1000;
// A sample a minute: six hours of 20 users stay a few hundred kilobytes; the calls do not depend on it.
const SIMULATOR = { sampleIntervalMs: 60_000, requestsPerSecond: 1000 };
const ENV = { RATE_LIMIT_RPS: '1000', RESPONSE_CACHE_MAX_MB: '0' };

type Answer = Array<{ userId: string; streams: SeriesStream[] }>;

let exact: TestGateway;
let aligned: TestGateway;
beforeAll(async () => {
  exact = await startTestGateway({ simulator: SIMULATOR, env: ENV });
  aligned = await startTestGateway({ upstream: exact.simulator, env: ENV });
});
afterAll(async () => {
  await aligned.close();
  await exact.close();
});

/** A room of its own per row: no row is served from what another cached. */
async function answer(gateway: TestGateway, room: string, fromMs: number, toMs: number): Promise<Answer> {
  const response = await gateway.query<{ callQuality: Answer }>(QUERY, {
    room,
    users: userIds(20),
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
  });
  expect(response.errors).toBeUndefined();
  return response.data?.callQuality ?? [];
}

describe('an unaligned range over loopback', () => {
  it.each([1, 6])(
    "costs %i call(s) for 20 users over that many unaligned hours, with the aligned fetch's points",
    async (hours) => {
      const around = pastRange(hours + 1, 10);
      const fromMs = around.fromMs + OFFSET_MS;
      const toMs = fromMs + hours * HOUR_MS;

      exact.simulator.resetCalls();
      const got = await answer(exact, `room-${hours}h`, fromMs, toMs);
      expect(
        exact.simulator.calls.map((call) => [
          Date.parse(call.startTime),
          Date.parse(call.endTime),
          call.userIds.length,
        ]),
      ).toEqual(
        Array.from({ length: hours }, (_, hour) => [
          fromMs + hour * HOUR_MS,
          fromMs + (hour + 1) * HOUR_MS,
          20,
        ]),
      );

      const whole = await answer(aligned, `room-${hours}h`, around.fromMs, around.toMs);
      const expected = clipStreams(whole, fromMs, toMs);
      expect(expected.every((user) => user.streams.length > 0)).toBe(true);
      expect(got).toEqual(expected);
    },
  );
});
