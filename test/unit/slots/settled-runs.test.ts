/**
 * The source's cache-hit path through the settled slot index, against what the upstream would answer: a live
 * dashboard's polls served from the index answer as a cold cache does, and an entry the index must not serve
 * (the tail, a slot that settled since it was fetched, another account's) is fetched again.
 */
import { describe, expect, it } from 'vitest';
import type { CallDetailQuery, StreamDirection } from '../../../src/model/call-detail.js';
import {
  type CallDetailRequest,
  createCallDetailSource,
  type SlotParts,
} from '../../../src/slots/call-detail-source.js';
import { createDecodedEntries } from '../../../src/slots/decoded-entries.js';
import { createWindowCache } from '../../../src/slots/window-cache.js';
import type { FetchCallDetail } from '../../../src/upstream/call-detail-fetcher.js';
import { manualClock } from '../../helpers/manual-clock.js';
import { RTT_LATENCY_MS, RTT_SAMPLE_MS, rttStreams } from '../../helpers/rtt-streams.js';

const MINUTE_MS = 60_000;
const SLOT_MS = 5 * MINUTE_MS;
const HOUR_MS = 60 * MINUTE_MS;
const SAMPLE_MS = RTT_SAMPLE_MS;
const LATENCY_MS = RTT_LATENCY_MS;
const SETTLE_MS = 160_000;
const TAIL_TTL_MS = 5_000;
/** Inside a slot, so that "the last hour" is unaligned, as a dashboard's is. */
const NOW = Date.UTC(2024, 0, 1, 12, 0, 0) + 123_456;

/** An upstream whose `Rtt` points, one per 10 s up to `now - latency`, are valued by account, user and time. */
function fakeUpstream(now: () => number, account: number) {
  const queries: CallDetailQuery[] = [];
  const fetchCallDetail: FetchCallDetail = async (query) => {
    queries.push(query);
    const streams = rttStreams(
      query,
      now(),
      (userId, _direction, t) => account * 1_000 + userId.length + ((t / SAMPLE_MS) % 97),
    );
    return { requestId: `req-${queries.length}`, streams, startMs: query.startMs };
  };
  return { fetchCallDetail, queries };
}

function setup(clock = manualClock(NOW), account = 1) {
  const upstream = fakeUpstream(clock.now, account);
  const cache = createWindowCache({ maxBytes: 64 * 1024 * 1024, tailTtlMs: TAIL_TTL_MS, now: clock.now });
  const source = createCallDetailSource({
    fetchCallDetail: upstream.fetchCallDetail,
    cache,
    slotMs: SLOT_MS,
    settleMs: SETTLE_MS,
    now: clock.now,
    decodedEntries: createDecodedEntries({ windowCacheMaxBytes: 64 * 1024 * 1024 }),
  });
  return { clock, upstream, cache, source };
}

/** "The last hour up to now" for each user, both directions. */
function lastHour(nowMs: number, userIds: readonly string[]): CallDetailRequest[] {
  const directions: StreamDirection[] = ['up', 'down'];
  return userIds.map((userId) => ({
    appId: 'app1',
    roomId: 'room1',
    userId,
    fromMs: nowMs - HOUR_MS,
    toMs: nowMs,
    directions,
  }));
}

/**
 * Each answer as the text of its streams' points in `[fromMs, toMs)`, in order: what a client gets of it (a
 * slot's part may hold points outside the range, which the resolver cuts off).
 */
function textOf(answers: ReadonlyArray<SlotParts | Error>, fromMs: number, toMs: number): string[] {
  return answers.map((answer) => {
    return JSON.stringify(
      parts(answer)
        .flat()
        .map((stream) => [
          stream.userId,
          stream.direction,
          stream.peerId,
          stream.metrics.map((metric) => {
            const inRange = [...metric.times.keys()].filter((i) => {
              const t = metric.times[i] as number;
              return t >= fromMs && t < toMs;
            });
            return [metric.name, inRange.map((i) => [metric.times[i], metric.values[i]])];
          }),
        ]),
    );
  });
}

/**
 * The answer of a cold cache at `nowMs` to "the last hour" of USERS, cut to `[nowMs - 1 h, toMs)` (a poll's
 * tail may be up to a tail TTL older than the cold cache's).
 */
async function coldAnswer(nowMs: number, toMs = nowMs, account = 1): Promise<string[]> {
  const cold = setup(manualClock(nowMs), account);
  return textOf(await cold.source.load(lastHour(nowMs, USERS)), nowMs - HOUR_MS, toMs);
}

const USERS = ['alice', 'bob', 'carol'];

function parts(answer: SlotParts | Error | undefined): SlotParts {
  if (answer === undefined || answer instanceof Error) throw new Error(`expected data, got ${answer}`);
  return answer;
}

describe('the settled slots of a poll, found through the index', () => {
  it('answer every poll as a cold cache would, the tail fetched again every tail TTL', async () => {
    const { clock, upstream, source } = setup();
    await source.load(lastHour(clock.now(), USERS));
    // The slots not yet settled: the one holding now - SETTLE_MS, and those after it.
    const movingFromMs = Math.floor((NOW - SETTLE_MS) / SLOT_MS) * SLOT_MS;
    for (let poll = 0; poll < 6; poll += 1) {
      const nowMs = clock.advance(2_000);
      const polled = await source.load(lastHour(nowMs, USERS));
      // What the first fetch of the tail already held, and every settled slot.
      const heldMs = NOW - LATENCY_MS;
      expect(textOf(polled, nowMs - HOUR_MS, heldMs)).toEqual(await coldAnswer(nowMs, heldMs));
    }
    // 12 s of polls: the tail (its TTL is 5 s) fetched twice, for all users in one call; nothing settled again.
    expect(upstream.queries.slice(1).map((query) => query.startMs)).toEqual([movingFromMs, movingFromMs]);
  });

  it('fetches a slot again once it settled, rather than serving what was fetched of it as the tail', async () => {
    const { clock, upstream, source } = setup();
    await source.load(lastHour(clock.now(), USERS));
    const tailStartMs = Math.floor(NOW / SLOT_MS) * SLOT_MS;
    clock.set(tailStartMs + SLOT_MS + SETTLE_MS + 20_000);
    const nowMs = clock.now();
    const polled = await source.load(lastHour(nowMs, USERS));
    expect(textOf(polled, nowMs - HOUR_MS, nowMs)).toEqual(await coldAnswer(nowMs));
    const again = upstream.queries.slice(1);
    expect(again.some((query) => query.startMs <= tailStartMs && tailStartMs < query.endMs)).toBe(true);
  });

  it("never answers one upstream account's poll with another's slots", async () => {
    const clock = manualClock(NOW);
    const first = setup(clock, 1);
    const second = setup(clock, 2);
    await first.source.load(lastHour(NOW, USERS));
    await first.source.load(lastHour(NOW, USERS));
    await second.source.load(lastHour(NOW, USERS));
    const answers = await second.source.load(lastHour(NOW, USERS));
    expect(second.upstream.queries).toHaveLength(1);
    // The fake upstream values each account's points in thousands of its own.
    const accounts = new Set(
      answers
        .flatMap((answer) =>
          parts(answer).flatMap((part) =>
            part.flatMap((stream) => stream.metrics.flatMap((metric) => [...metric.values])),
          ),
        )
        .map((value) => Math.floor(value / 1_000)),
    );
    expect([...accounts]).toEqual([2]);
  });
});
