/**
 * Live subscriptions over GraphQL over SSE, end to end: a real gateway and simulator on loopback, read with the
 * `graphql-sse` client. The clock is moved by hand (the simulator's data exists up to 100 s before it), the
 * pollers run on real timers at a short interval.
 */
import { createClient } from 'graphql-sse';
import { afterEach, describe, expect, it } from 'vitest';
import { presenceOf } from '../../../src/simulator/episodes.js';
import { expectedStreams, type SeriesStream } from '../../helpers/expected-streams.js';
import { type ManualClock, manualClock } from '../../helpers/manual-clock.js';
import { nextEvent } from '../../helpers/next-event.js';
import { startTestGateway, type TestGateway, userIds } from '../../helpers/test-gateway.js';

const LIVE = `subscription ($app: ID!, $room: ID!, $users: [ID!]!, $last: Int!) {
  liveCallQuality(appId: $app, roomId: $room, userIds: $users, last: $last) {
    initial from to windowFrom
    users { userId from to streams { direction peerId metrics { name series { times values } } } }
  }
}`;

interface LiveEvent {
  initial: boolean;
  from: string;
  to: string;
  windowFrom: string;
  users: Array<{ userId: string; from: string; to: string; streams: SeriesStream[] | null }>;
}

interface LiveResult {
  data?: { liveCallQuality: LiveEvent } | null;
  errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
}

const LATENCY_MS = 100_000;
const WINDOW_S = 600;
/**
 * A fixed instant, so the simulated data does not depend on when the test runs: alice and bob are in the room
 * from a window before it to five minutes after (checked below). At a moment one of them is away, an update
 * rightly holds no new points for them, and a test waiting for them would wait forever.
 */
const START_MS = Date.UTC(2026, 0, 1, 12, 0, 0);

let harness: TestGateway;
let clock: ManualClock;
const clients: Array<{ dispose(): void }> = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.dispose();
  await harness?.close();
});

/** A gateway on a clock ten minutes behind real time, so the simulator's generator is an oracle for it. */
async function start(env: Record<string, string> = {}) {
  clock = manualClock(START_MS);
  harness = await startTestGateway({ now: clock.now, env: { LIVE_POLL_INTERVAL_MS: '20', ...env } });
}

function subscribe(variables: Record<string, unknown>, headers: Record<string, string> = {}) {
  const client = createClient({ url: harness.gateway.graphqlUrl, retryAttempts: 0, headers });
  clients.push(client);
  return client.iterate({ query: LIVE, variables }) as AsyncIterableIterator<LiveResult>;
}

function eventOf(result: LiveResult): LiveEvent {
  expect(result.errors).toBeUndefined();
  return result.data?.liveCallQuality as LiveEvent;
}

/** Appends an update's points to what a client holds, series by series, as a dashboard would. */
function append(held: SeriesStream[], update: SeriesStream[]): SeriesStream[] {
  const merged = structuredClone(held);
  for (const stream of update) {
    let target = merged.find((one) => one.direction === stream.direction && one.peerId === stream.peerId);
    if (!target) {
      target = { ...stream, metrics: [] };
      merged.push(target);
    }
    for (const metric of stream.metrics) {
      const series = target.metrics.find((one) => one.name === metric.name);
      if (!series) target.metrics.push(metric);
      else {
        series.series.times.push(...metric.series.times);
        series.series.values.push(...metric.series.values);
      }
    }
  }
  return merged;
}

const ROOM = { app: 'app-live', room: 'room-live' };

it('runs at an instant where alice and bob are in the room throughout', () => {
  const present = ['alice', 'bob'].map((userId) => presenceOf(ROOM.app, ROOM.room, userId));
  for (let timeMs = START_MS - WINDOW_S * 1000; timeMs <= START_MS + 300_000; timeMs += 10_000) {
    expect(present.map((isPresent) => isPresent(timeMs))).toEqual([true, true]);
  }
});

describe('liveCallQuality over SSE', () => {
  it('sends the whole window first, then only the points new as the tail moves', async () => {
    await start();
    const t0 = clock.now();
    const events = subscribe({ ...ROOM, users: ['alice', 'bob'], last: WINDOW_S });
    const first = eventOf(await nextEvent(events));
    expect(first).toMatchObject({
      initial: true,
      from: new Date(t0 - WINDOW_S * 1000).toISOString(),
      to: new Date(t0).toISOString(),
      windowFrom: new Date(t0 - WINDOW_S * 1000).toISOString(),
    });
    expect(first.users.map((user) => user.userId)).toEqual(['alice', 'bob']);
    const expected = (userId: string, fromMs: number, nowMs: number) =>
      expectedStreams({ appId: ROOM.app, roomId: ROOM.room, userId, fromMs, toMs: nowMs - LATENCY_MS + 1 });
    for (const user of first.users) {
      expect(user.streams).toEqual(expected(user.userId, t0 - WINDOW_S * 1000, t0));
    }

    const t1 = clock.advance(60_000);
    const update = eventOf(await nextEvent(events));
    expect(update).toMatchObject({
      initial: false,
      to: new Date(t1).toISOString(),
      windowFrom: new Date(t1 - WINDOW_S * 1000).toISOString(),
    });
    for (const [index, user] of update.users.entries()) {
      // Only new points: each series resumes after the last point the first event held.
      const held = first.users[index]?.streams ?? [];
      expect(user.streams?.length).toBeGreaterThan(0);
      for (const stream of user.streams ?? []) {
        const heldStream = held.find(
          (one) => one.direction === stream.direction && one.peerId === stream.peerId,
        );
        for (const metric of stream.metrics) {
          const heldTimes = heldStream?.metrics.find((one) => one.name === metric.name)?.series.times ?? [];
          expect(metric.series.times[0]).toBeGreaterThan(heldTimes.at(-1) ?? 0);
        }
      }
      expect(append(held, user.streams ?? [])).toEqual(expected(user.userId, t0 - WINDOW_S * 1000, t1));
    }
  });

  it('keeps a window shorter than the tail to its own points', async () => {
    await start();
    const t0 = clock.now();
    const windowMs = 150_000;
    const events = subscribe({ ...ROOM, users: ['alice'], last: windowMs / 1000 });
    const first = eventOf(await nextEvent(events));
    const t1 = clock.advance(30_000);
    const update = eventOf(await nextEvent(events));
    expect(update).toMatchObject({
      from: new Date(t1 - windowMs).toISOString(),
      to: new Date(t1).toISOString(),
    });
    const [held, added] = [first.users[0]?.streams ?? [], update.users[0]?.streams ?? []];
    for (const metric of added.flatMap((stream) => stream.metrics)) {
      expect(Math.min(...metric.series.times)).toBeGreaterThanOrEqual(t1 - windowMs);
    }
    const expected = expectedStreams({
      appId: ROOM.app,
      roomId: ROOM.room,
      userId: 'alice',
      fromMs: t0 - windowMs,
      toMs: t1 - LATENCY_MS + 1,
    });
    expect(append(held, added)).toEqual(expected);
  });

  it('polls a room once for 100 subscribers: the calls of one', { timeout: 90_000 }, async () => {
    await start({ LIVE_MAX_SUBSCRIPTIONS: '200', LIVE_POLL_INTERVAL_MS: '100' });
    const users = userIds(20);
    const variables = { ...ROOM, users, last: WINDOW_S };
    const firstSubscriber = subscribe(variables);
    await nextEvent(firstSubscriber);
    const callsForOne = harness.simulator.calls.length;
    expect(callsForOne).toBe(1);
    const others = Array.from({ length: 99 }, () => subscribe(variables));
    await Promise.all(others.map((events) => nextEvent(events)));
    // The window is in the cache, the tail within its TTL: joining costs nothing upstream.
    expect(harness.simulator.calls.length).toBe(callsForOne);
    expect(harness.gateway.live.stats()).toMatchObject({ subscriptions: 100, pollers: 1 });

    clock.advance(60_000);
    const updates = await Promise.all([firstSubscriber, ...others].map((events) => nextEvent(events)));
    expect(updates.every((update) => eventOf(update).initial === false)).toBe(true);
    // One poll of the tail for 20 users: one call, whatever the number of subscribers.
    expect(harness.simulator.calls.length).toBe(callsForOne + 1);
    expect(harness.simulator.calls.at(-1)?.userIds).toEqual(users);
  });

  it('serves a crowd joining between two polls from one first window', async () => {
    // No tail cache and no poll while they join: without sharing, every join would fetch the tail again.
    await start({ CACHE_TAIL_TTL_MS: '0', LIVE_POLL_INTERVAL_MS: '600000' });
    const variables = { ...ROOM, users: userIds(20), last: WINDOW_S };
    const first = eventOf(await nextEvent(subscribe(variables)));
    const callsForOne = harness.simulator.calls.length;
    const crowd = await Promise.all(
      Array.from({ length: 20 }, () => subscribe(variables)).map((events) => nextEvent(events)),
    );
    expect(crowd.map(eventOf)).toEqual(crowd.map(() => first));
    expect(harness.simulator.calls.length).toBe(callsForOne);
  });

  it('answers each subscriber of a room with its own selection', async () => {
    await start();
    const client = createClient({ url: harness.gateway.graphqlUrl, retryAttempts: 0 });
    clients.push(client);
    const query = (names: string) => `subscription {
      liveCallQuality(appId: "app-live", roomId: "room-live", userIds: ["alice"], last: 600) {
        initial users { streams { metrics(names: ${names}) { name } } }
      }
    }`;
    type Names = {
      data: { liveCallQuality: { users: Array<{ streams: Array<{ metrics: { name: string }[] }> }> } };
    };
    const names = (result: Names) =>
      new Set(
        result.data.liveCallQuality.users.flatMap((u) =>
          u.streams.flatMap((s) => s.metrics.map((m) => m.name)),
        ),
      );
    const rtt = client.iterate({ query: query('["Rtt"]') }) as unknown as AsyncIterableIterator<Names>;
    const all = client.iterate({ query: query('null') }) as unknown as AsyncIterableIterator<Names>;
    await Promise.all([rtt.next(), all.next()]);
    clock.advance(60_000);
    const [rttUpdate, allUpdate] = await Promise.all([rtt.next(), all.next()]);
    expect([...names(rttUpdate.value as Names)]).toEqual(['Rtt']);
    expect(names(allUpdate.value as Names).size).toBeGreaterThan(1);
  });

  it('refuses an AppId the credential may not read, at subscribe time, without an upstream call', async () => {
    const key = 'live-key-a-0123456789abcdef';
    await start({ AUTH_API_KEYS: JSON.stringify([{ name: 'dashboard-a', key, appIds: ['app-a'] }]) });
    const refused = await nextEvent(
      subscribe({ app: 'app-b', room: 'r', users: ['alice'], last: 60 }, { authorization: `Bearer ${key}` }),
    );
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const allowed = await nextEvent(
      subscribe({ app: 'app-a', room: 'r', users: ['alice'], last: 60 }, { authorization: `Bearer ${key}` }),
    );
    expect(eventOf(allowed).initial).toBe(true);
    expect(harness.simulator.calls.map((call) => call.appId)).toEqual(['app-a']);
  });

  it('bounds the open subscriptions of a principal, and frees a place when one ends', async () => {
    await start({ LIVE_MAX_SUBSCRIPTIONS: '2' });
    const variables = { ...ROOM, users: ['alice'], last: 60 };
    const one = subscribe(variables);
    const two = subscribe(variables);
    await Promise.all([nextEvent(one), nextEvent(two)]);
    const third = await nextEvent(subscribe(variables));
    expect(third.errors?.map((error) => error.extensions)).toEqual([
      { code: 'SUBSCRIPTION_LIMIT_EXCEEDED', limit: 2 },
    ]);
    await one.return?.();
    await expect.poll(() => harness.gateway.live.stats().subscriptions).toBe(1);
    expect(eventOf(await nextEvent(subscribe(variables))).initial).toBe(true);
  });

  it('applies the cost limit to the first window at subscribe time', async () => {
    await start({ LIMIT_MAX_UPSTREAM_CALLS: '1' });
    const refused = await nextEvent(subscribe({ ...ROOM, users: ['alice'], last: 7200 }));
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['COST_LIMIT_EXCEEDED']);
    expect(harness.simulator.calls).toHaveLength(0);
  });

  it('completes open streams cleanly at shutdown', async () => {
    await start();
    const events = subscribe({ ...ROOM, users: ['alice'], last: 60 });
    expect(eventOf(await nextEvent(events)).initial).toBe(true);
    const ended = events.next();
    await harness.close();
    // A stream cut rather than completed would reject here (the client does not retry).
    await expect(ended).resolves.toEqual({ done: true, value: undefined });
  });
});
