/**
 * Ranges off the slot grid, as GraphQL queries meet them: fetched in calls that start where the range starts
 * (ceil(users / 20) x ceil(span / 1 h)), the partial slots at their ends cached with the interval they hold, and
 * only what is still missing fetched later. Upstream calls, and the windows they asked for, counted in the
 * in-process upstream; points compared exactly with the same users' aligned fetch.
 */
import { describe, expect, it } from 'vitest';
import { clipStreams, SERIES_STREAMS_SELECTION, type SeriesStream } from '../../helpers/expected-streams.js';
import { createInProcessGateway, type InProcessGateway } from '../../helpers/in-process-gateway.js';
import { manualClock } from '../../helpers/manual-clock.js';
import { pastRange, userIds } from '../../helpers/test-gateway.js';

const QUERY = `query ($users: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "app1", roomId: "room1-of-3", userIds: $users, from: $from, to: $to) {
    userId ${SERIES_STREAMS_SELECTION}
  }
}`;

const LAST_HOUR_QUERY = `query ($users: [ID!]!) {
  callQuality(appId: "app1", roomId: "room1-of-3", userIds: $users, last: 3600) { userId ${SERIES_STREAMS_SELECTION} }
}`;

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
/** Off the 5-minute slots, and off whole minutes. */
const OFFSET_MS = 2 * MINUTE_MS + 37 * SECOND_MS;
// Response cache off: each query here must be answered by the window cache and the upstream, not by a replay.
const ENV = { RESPONSE_CACHE_MAX_MB: '0' };
/** A sample a minute keeps the 6-hour rows about calls and points, not about generating them. */
const SPARSE = { ...ENV, SIMULATOR_SAMPLE_INTERVAL_MS: '60000' };

type Answer = Array<{ userId: string; streams: SeriesStream[] }>;

async function streamsOf(gateway: InProcessGateway, users: string[], fromMs: number, toMs: number) {
  const response = await gateway.query<{ callQuality: Answer }>(QUERY, {
    users,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
  });
  expect(response.errors).toBeUndefined();
  return response.data?.callQuality ?? [];
}

const clip = (answer: Answer, fromMs: number, toMs: number) => clipStreams(answer, fromMs, toMs);

function windowsOf(gateway: InProcessGateway): number[][] {
  return gateway.upstream.calls.map((call) => [Date.parse(call.startTime), Date.parse(call.endTime)]);
}

function pointCount(answer: Answer): number {
  return answer
    .flatMap((user) => user.streams)
    .flatMap((stream) => stream.metrics)
    .reduce((sum, metric) => sum + metric.series.times.length, 0);
}

describe('exact-range calls', () => {
  it.each([
    [1, ENV],
    [6, SPARSE],
  ])(
    "fetches an unaligned %i h of 20 users in one call per hour from where it starts, with the aligned fetch's points",
    async (hours, env) => {
      const users = userIds(20);
      const aligned = pastRange(hours + 1, 10);
      const fromMs = aligned.fromMs + OFFSET_MS;
      const toMs = fromMs + hours * HOUR_MS;

      const exact = createInProcessGateway({ env });
      const answer = await streamsOf(exact, users, fromMs, toMs);
      expect(windowsOf(exact)).toEqual(
        Array.from({ length: hours }, (_, hour) => [fromMs + hour * HOUR_MS, fromMs + (hour + 1) * HOUR_MS]),
      );
      expect(exact.upstream.calls.every((call) => call.userIds.length === 20)).toBe(true);

      const whole = createInProcessGateway({ env });
      const oracle = clip(await streamsOf(whole, users, aligned.fromMs, aligned.toMs), fromMs, toMs);
      expect(pointCount(oracle)).toBeGreaterThan(0);
      expect(answer).toEqual(oracle);
    },
  );

  it('fetches "the last hour" asked at any millisecond in one call of 20 users, on the seconds of its ends', async () => {
    const clock = manualClock(Math.floor(Date.now() / SECOND_MS) * SECOND_MS + 437);
    const gateway = createInProcessGateway({ now: clock.now, env: ENV });
    const response = await gateway.query(LAST_HOUR_QUERY, { users: userIds(20) });
    expect(response.errors).toBeUndefined();
    // 437 ms past a second: the range is sent from and to that second, an hour apart (nothing after it exists yet).
    const toMs = clock.now() - 437;
    expect(windowsOf(gateway)).toEqual([[toMs - HOUR_MS, toMs]]);
  });

  it('fetches only what a later, overlapping range lacks, and nothing for a range over both', async () => {
    const users = userIds(3);
    const aligned = pastRange(3, 10);
    const fromMs = aligned.fromMs + OFFSET_MS;
    const gateway = createInProcessGateway({ env: ENV });
    await streamsOf(gateway, users, fromMs, fromMs + HOUR_MS);

    gateway.upstream.resetCalls();
    const later = await streamsOf(gateway, users, fromMs + 30 * MINUTE_MS, fromMs + 90 * MINUTE_MS);
    expect(windowsOf(gateway)).toEqual([[fromMs + HOUR_MS, fromMs + 90 * MINUTE_MS]]);

    gateway.upstream.resetCalls();
    const both = await streamsOf(gateway, users, fromMs, fromMs + 90 * MINUTE_MS);
    expect(gateway.upstream.calls).toHaveLength(0);

    const whole = await streamsOf(createInProcessGateway({ env: ENV }), users, aligned.fromMs, aligned.toMs);
    expect(later).toEqual(clip(whole, fromMs + 30 * MINUTE_MS, fromMs + 90 * MINUTE_MS));
    expect(both).toEqual(clip(whole, fromMs, fromMs + 90 * MINUTE_MS));
  });

  it('never serves the part of a slot it holds as the whole slot: the part before is fetched, alone', async () => {
    const users = userIds(2);
    const aligned = pastRange(2, 10);
    const fromMs = aligned.fromMs + OFFSET_MS;
    const gateway = createInProcessGateway({ env: ENV });
    await streamsOf(gateway, users, fromMs, fromMs + 20 * MINUTE_MS);

    // The slot of `fromMs` is held from `fromMs` on; from its start, only its first 2 min 37 s are missing.
    gateway.upstream.resetCalls();
    const earlier = await streamsOf(gateway, users, aligned.fromMs, fromMs + 10 * MINUTE_MS);
    expect(windowsOf(gateway)).toEqual([[aligned.fromMs, fromMs]]);

    const whole = await streamsOf(createInProcessGateway({ env: ENV }), users, aligned.fromMs, aligned.toMs);
    expect(pointCount(clip(whole, aligned.fromMs, fromMs))).toBeGreaterThan(0);
    expect(earlier).toEqual(clip(whole, aligned.fromMs, fromMs + 10 * MINUTE_MS));
  });
});
