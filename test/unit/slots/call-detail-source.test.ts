/**
 * The source at unit level: a counting fake stands in for the rate-limited upstream (the same source behind
 * the whole app, queried in GraphQL: test/unit/slots/window-cache-queries.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { CallDetailQuery, CallDetailResult, StreamDirection } from '../../../src/model/call-detail.js';
import { createFlow, type Flow } from '../../../src/model/flow.js';
import {
  type CallDetailRequest,
  createCallDetailSource,
  type SlotParts,
} from '../../../src/slots/call-detail-source.js';
import { RetentionEdgeError } from '../../../src/slots/retention-edge-error.js';
import { createWindowCache } from '../../../src/slots/window-cache.js';
import type { FetchCallDetail } from '../../../src/upstream/call-detail-fetcher.js';
import { UpstreamUnavailableError } from '../../../src/upstream/upstream-error.js';
import { manualClock } from '../../helpers/manual-clock.js';
import { RTT_SAMPLE_MS, rttStreams } from '../../helpers/rtt-streams.js';

const MINUTE_MS = 60_000;
const SLOT_MS = 5 * MINUTE_MS;
const HOUR_MS = 60 * MINUTE_MS;
const SAMPLE_MS = RTT_SAMPLE_MS;
const SETTLE_MS = 160_000;
const TAIL_TTL_MS = 5_000;
const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);

/**
 * The fake upstream: one `up` stream and one `down` stream (from `host`) per queried user, one `Rtt` point
 * every 10 s in [startMs, endMs) up to `now - latency`, valued by user and time. Every query is recorded.
 */
function fakeUpstream(now: () => number) {
  const queries: CallDetailQuery[] = [];
  /** The flow each query was fetched in, by index. */
  const flows: Array<Flow | undefined> = [];
  let failWhen: ((query: CallDetailQuery) => Error | undefined) | undefined;
  let gate: Promise<void> | undefined;
  const fetchCallDetail: FetchCallDetail = async (query, _signal, flow) => {
    queries.push(query);
    flows.push(flow);
    await gate;
    const failure = failWhen?.(query);
    if (failure) throw failure;
    const streams = rttStreams(query, now(), valueAt);
    return { requestId: `req-${queries.length}`, streams, startMs: query.startMs } satisfies CallDetailResult;
  };
  return {
    fetchCallDetail,
    queries,
    flows,
    failWhen: (rule: typeof failWhen) => (failWhen = rule),
    /** Holds every fetch until the returned function is called. */
    hold: () => {
      let release = () => {};
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

function valueAt(userId: string, direction: StreamDirection, timeMs: number): number {
  return (userId.length * 1_000 + (direction === 'up' ? 0 : 500) + timeMs / SAMPLE_MS) % 10_007;
}

function setup(startMs = NOW, tailTtlMs = TAIL_TTL_MS) {
  const clock = manualClock(startMs);
  const upstream = fakeUpstream(clock.now);
  const cache = createWindowCache({ maxBytes: 64 * 1024 * 1024, tailTtlMs, now: clock.now });
  const source = createCallDetailSource({
    fetchCallDetail: upstream.fetchCallDetail,
    cache,
    slotMs: SLOT_MS,
    settleMs: SETTLE_MS,
    now: clock.now,
  });
  return { clock, upstream, cache, source };
}

function requestsFor(
  userIds: readonly string[],
  fromMs: number,
  toMs: number,
  directions: readonly StreamDirection[] = ['up', 'down'],
): CallDetailRequest[] {
  return userIds.map((userId) => ({ appId: 'app1', roomId: 'room1', userId, fromMs, toMs, directions }));
}

function parts(answer: SlotParts | Error | undefined): SlotParts {
  if (answer === undefined || answer instanceof Error) throw new Error(`expected data, got ${answer}`);
  return answer;
}

/** All (time, value) pairs of one direction's Rtt across the slot parts. */
function pointsOf(answer: SlotParts | Error | undefined, direction: StreamDirection): number[][] {
  return parts(answer).flatMap((part) =>
    part
      .filter((stream) => stream.direction === direction)
      .flatMap((stream) => {
        const rtt = stream.metrics[0];
        return rtt ? [...rtt.times].map((t, i) => [t, rtt.values[i] as number]) : [];
      }),
  );
}

const users = (count: number) => Array.from({ length: count }, (_, i) => `user-${i}`);
const PAST_FROM = NOW - 2 * HOUR_MS;
const PAST_TO = NOW - HOUR_MS;

describe('createCallDetailSource', () => {
  it('fetches a past range once and answers it again from the cache with identical data', async () => {
    const { upstream, source } = setup();
    const requests = requestsFor(['alice', 'bob'], PAST_FROM, PAST_TO);

    const first = await source.load(requests);
    expect(upstream.queries).toEqual([
      {
        appId: 'app1',
        roomId: 'room1',
        userIds: ['alice', 'bob'],
        startMs: PAST_FROM,
        endMs: PAST_TO,
        direction: 0,
      },
    ]);
    // One part per 5-minute slot and direction, UP before DOWN, each with its 30 points.
    const alice = parts(first[0]);
    expect(alice).toHaveLength(24);
    expect(
      alice
        .slice(0, 2)
        .flatMap((part) => part.map((s) => [s.userId, s.direction, s.peerId, s.metrics[0]?.times.length])),
    ).toEqual([
      ['alice', 'up', null, 30],
      ['alice', 'down', 'host', 30],
    ]);
    const up = pointsOf(first[0], 'up');
    expect(up).toHaveLength(360);
    expect(up[0]).toEqual([PAST_FROM, valueAt('alice', 'up', PAST_FROM)]);
    expect(up[359]).toEqual([PAST_TO - SAMPLE_MS, valueAt('alice', 'up', PAST_TO - SAMPLE_MS)]);

    const second = await source.load(requests);
    expect(upstream.queries).toHaveLength(1);
    expect(second).toEqual(first);
  });

  it('answers a sub-range and a single direction of a cached range without a fetch', async () => {
    const { upstream, source } = setup();
    const [full] = await source.load(requestsFor(['alice'], PAST_FROM, PAST_TO));
    const [upOnly] = await source.load(
      requestsFor(['alice'], PAST_FROM + 10 * MINUTE_MS, PAST_FROM + 20 * MINUTE_MS, ['up']),
    );
    expect(upstream.queries).toHaveLength(1);
    expect(
      parts(upOnly)
        .flat()
        .map((s) => s.direction),
    ).toEqual(['up', 'up']);
    expect(pointsOf(upOnly, 'up')).toEqual(pointsOf(full, 'up').slice(60, 120));
  });

  it('fetches only the direction missing from the cache, filtered', async () => {
    const { upstream, source } = setup();
    await source.load(requestsFor(['alice'], PAST_FROM, PAST_TO, ['up']));
    await source.load(requestsFor(['alice'], PAST_FROM, PAST_TO, ['up', 'down']));
    expect(upstream.queries.map((q) => q.direction)).toEqual([1, 2]);
  });

  it('joins two concurrent loads of the same cold range onto one fetch per planned call', async () => {
    const { upstream, source } = setup();
    const requests = requestsFor(users(25), PAST_FROM, PAST_TO);
    const release = upstream.hold();
    const loads = [source.load(requests), source.load(requests)];
    // 25 users need two calls (20 + 5); the second load starts none of its own.
    expect(upstream.queries.map((q) => q.userIds.length)).toEqual([20, 5]);
    release();
    const [first, second] = await Promise.all(loads);
    expect(upstream.queries).toHaveLength(2);
    expect(second).toEqual(first);
    expect(first?.every((answer) => !(answer instanceof Error))).toBe(true);
    expect(pointsOf(first?.[24], 'down')).toHaveLength(360);
  });

  it('fetches in the flow of the load that started the fetch; a load joining it waits in that flow', async () => {
    const { upstream, source } = setup();
    const [first, second] = [createFlow('anonymous'), createFlow('anonymous')];
    const release = upstream.hold();
    const loads = [
      source.load(requestsFor(['alice'], PAST_FROM, PAST_TO), first),
      source.load(requestsFor(['alice', 'bob'], PAST_FROM, PAST_TO), second),
    ];
    release();
    await Promise.all(loads);
    expect(upstream.queries.map((query) => query.userIds)).toEqual([['alice'], ['bob']]);
    // Flows are told apart by identity alone: toEqual would find any two of them equal.
    expect(upstream.flows).toHaveLength(2);
    expect(upstream.flows[0]).toBe(first);
    expect(upstream.flows[1]).toBe(second);
  });

  it('answers the requests of a failed call with its Error, serves the rest, and caches no failure', async () => {
    const { upstream, source, cache } = setup();
    const failure = new UpstreamUnavailableError('connection reset');
    upstream.failWhen((query) => (query.userIds.length === 5 ? failure : undefined));
    const requests = requestsFor(users(25), PAST_FROM, PAST_TO);

    const first = await source.load(requests);
    expect(upstream.queries).toHaveLength(2);
    expect(first.slice(0, 20).every((answer) => !(answer instanceof Error))).toBe(true);
    for (const answer of first.slice(20)) {
      expect(answer).toBe(failure);
      expect((answer as UpstreamUnavailableError).code).toBe('UPSTREAM_UNAVAILABLE');
    }
    // 20 users x 2 directions x 12 slots were cached; nothing of the failed call.
    expect(cache.stats().entries).toBe(480);

    upstream.failWhen(undefined);
    const second = await source.load(requests);
    expect(upstream.queries).toHaveLength(3);
    expect(upstream.queries[2]?.userIds).toEqual(users(25).slice(20));
    expect(second.slice(0, 20)).toEqual(first.slice(0, 20));
    expect(pointsOf(second[24], 'up')).toHaveLength(360);
  });

  it('turns a non-Error rejection into an Error', async () => {
    const throwing = createCallDetailSource({
      fetchCallDetail: () => Promise.reject('plain string'),
      cache: createWindowCache({ maxBytes: 1024 * 1024, tailTtlMs: TAIL_TTL_MS }),
      slotMs: SLOT_MS,
      settleMs: SETTLE_MS,
      now: () => NOW,
    });
    const [answer] = await throwing.load(requestsFor(['alice'], PAST_FROM, PAST_TO));
    expect(answer).toBeInstanceOf(Error);
    expect((answer as Error).message).toBe('plain string');
  });

  it('refetches a tail slot once its TTL has passed, and never an immutable one', async () => {
    const { clock, upstream, source } = setup();
    // 11:50-11:55 ended 300 s ago (> 160 s settle): immutable. 11:55-12:00 is the moving tail.
    const settledSlot = NOW - 2 * SLOT_MS;
    const tailSlot = NOW - SLOT_MS;
    const requests = requestsFor(['alice'], settledSlot, NOW, ['up']);

    const first = await source.load(requests);
    expect(upstream.queries).toHaveLength(1);
    // The tail has data up to now - 100 s = 11:58:20: 21 points from 11:55:00.
    expect(parts(first[0]).map((part) => part[0]?.metrics[0]?.times.length)).toEqual([30, 21]);

    clock.advance(TAIL_TTL_MS - 1_000);
    await source.load(requests);
    expect(upstream.queries).toHaveLength(1);

    clock.advance(16_000);
    const refreshed = await source.load(requests);
    expect(upstream.queries).toHaveLength(2);
    expect(upstream.queries[1]).toMatchObject({ startMs: tailSlot, endMs: NOW, direction: 1 });
    // 20 s later two more samples (11:58:30, 11:58:40) have arrived.
    expect(parts(refreshed[0]).map((part) => part[0]?.metrics[0]?.times.length)).toEqual([30, 23]);

    clock.advance(HOUR_MS);
    const settled = await source.load(requestsFor(['alice'], settledSlot, tailSlot, ['up']));
    expect(upstream.queries).toHaveLength(2);
    expect(pointsOf(settled[0], 'up')).toEqual(pointsOf(first[0], 'up').slice(0, 30));
  });

  it('refetches a tail slot that has settled since, however long its TTL', async () => {
    // A tail kept for 10 minutes: longer than it takes the slot to settle.
    const { clock, upstream, source } = setup(NOW, 10 * MINUTE_MS);
    const tailSlot = NOW - SLOT_MS;
    const requests = requestsFor(['alice'], tailSlot, NOW, ['up']);
    await source.load(requests);
    clock.advance(SETTLE_MS - 1_000);
    await source.load(requests);
    expect(upstream.queries).toHaveLength(1);

    // Settled now: the tail fetched before may lack late data, so only a new fetch may answer for good.
    clock.advance(1_000);
    const settled = await source.load(requests);
    expect(upstream.queries).toHaveLength(2);
    expect(pointsOf(settled[0], 'up')).toHaveLength(30);
    clock.advance(HOUR_MS);
    await source.load(requests);
    expect(upstream.queries).toHaveLength(2);
  });

  it('does not join a fetch of the tail that started before its slot settled', async () => {
    const { clock, upstream, source } = setup();
    const tailSlot = NOW - SLOT_MS;
    const requests = requestsFor(['alice'], tailSlot, NOW, ['up']);
    const release = upstream.hold();
    const early = source.load(requests);
    clock.advance(SETTLE_MS);
    const late = source.load(requests);
    await Promise.resolve();
    expect(upstream.queries).toHaveLength(2);
    release();
    // (The fake answers with what it has when released: both fetches see the settled slot.)
    expect(pointsOf((await early)[0], 'up')).toHaveLength(30);
    expect(pointsOf((await late)[0], 'up')).toHaveLength(30);
  });

  it('refuses a range whose start its call could no longer reach, and serves later starts from the cut slot', async () => {
    const clock = manualClock(NOW);
    const upstream = fakeUpstream(clock.now);
    const shared: string[] = [];
    const source = createCallDetailSource({
      // The upstream's retention edge had passed the slot's first two minutes when the call was sent.
      fetchCallDetail: async (query) => {
        const startMs = Math.max(query.startMs, PAST_FROM + 2 * MINUTE_MS);
        const result = await upstream.fetchCallDetail({ ...query, startMs });
        return { ...result, startMs };
      },
      cache: createWindowCache({ maxBytes: 1024 * 1024, tailTtlMs: TAIL_TTL_MS, now: clock.now }),
      slotMs: SLOT_MS,
      settleMs: SETTLE_MS,
      now: clock.now,
      sharedStore: {
        getMany: async () => new Map(),
        putMany: (entries) => shared.push(...entries.map(([key]) => key)),
      },
    });
    const slot = PAST_FROM;
    const [early] = await source.load(requestsFor(['alice'], slot + MINUTE_MS, slot + SLOT_MS, ['up']));
    expect(early).toBeInstanceOf(RetentionEdgeError);
    expect((early as RetentionEdgeError).oldestMs).toBe(slot + 2 * MINUTE_MS);

    const [later] = await source.load(requestsFor(['alice'], slot + 2 * MINUTE_MS, slot + SLOT_MS, ['up']));
    expect(pointsOf(later, 'up').map(([time]) => time)).toEqual(
      Array.from({ length: 18 }, (_, i) => slot + 2 * MINUTE_MS + i * SAMPLE_MS),
    );
    // Served from the cut entry, which never reaches the store replicas share.
    expect(upstream.queries).toHaveLength(1);
    expect(shared).toEqual([]);
  });

  it('shares a slot fetched in parts with replicas only once its parts make it whole', async () => {
    const clock = manualClock(NOW);
    const upstream = fakeUpstream(clock.now);
    // The slot starts of the keys offered to replicas.
    const shared: number[] = [];
    const source = createCallDetailSource({
      fetchCallDetail: upstream.fetchCallDetail,
      cache: createWindowCache({ maxBytes: 1024 * 1024, tailTtlMs: TAIL_TTL_MS, now: clock.now }),
      slotMs: SLOT_MS,
      settleMs: SETTLE_MS,
      now: clock.now,
      sharedStore: {
        getMany: async () => new Map(),
        putMany: (entries) => shared.push(...entries.map(([key]) => JSON.parse(key.slice(4))[4] as number)),
      },
    });
    const slot = PAST_FROM;
    // 10:02 to 10:12: the slot of 10:05 whole, the slots of 10:00 and 10:10 in part.
    await source.load(requestsFor(['alice'], slot + 2 * MINUTE_MS, slot + 12 * MINUTE_MS, ['up']));
    expect(shared).toEqual([slot + SLOT_MS]);

    // 10:00 to 10:02 is all the slot of 10:00 lacks: fetched alone, then the slot is whole.
    const [earlier] = await source.load(requestsFor(['alice'], slot, slot + 4 * MINUTE_MS, ['up']));
    expect(upstream.queries.map((query) => [query.startMs, query.endMs])).toEqual([
      [slot + 2 * MINUTE_MS, slot + 12 * MINUTE_MS],
      [slot, slot + 2 * MINUTE_MS],
    ]);
    expect(shared).toEqual([slot + SLOT_MS, slot]);
    // Served from the joined entry: the whole slot, every point once (the resolver clips it to the range).
    expect(pointsOf(earlier, 'up').map(([time]) => time)).toEqual(
      Array.from({ length: 30 }, (_, i) => slot + i * SAMPLE_MS),
    );
  });
});
