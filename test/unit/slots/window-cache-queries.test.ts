/**
 * The window cache as GraphQL queries meet it: the whole app in front of the in-process upstream, upstream
 * calls counted there.
 */
import { describe, expect, it } from 'vitest';
import { SERIES_STREAMS_SELECTION } from '../../helpers/expected-streams.js';
import { createInProcessGateway, type InProcessGateway } from '../../helpers/in-process-gateway.js';
import { manualClock } from '../../helpers/manual-clock.js';
import { pastRange, userIds } from '../../helpers/test-gateway.js';

const QUERY = `query ($room: ID! = "room1", $users: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "app1", roomId: $room, userIds: $users, from: $from, to: $to) {
    userId final ${SERIES_STREAMS_SELECTION}
  }
}`;

// Fifty full series responses would measure JSON throughput, not sharing: summaries carry the same proof.
const SUMMARY_QUERY = `query ($users: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "app1", roomId: "room1", userIds: $users, from: $from, to: $to) {
    userId streams { direction peerId metrics { name summary { count avg last } } }
  }
}`;

const MINUTE_MS = 60_000;
const SLOT_MS = 5 * MINUTE_MS;
/**
 * For the tests that count calls among many concurrent queries, not points: a sample a minute (instead of every
 * 10 s) keeps summarising the same data over and over from dominating the run.
 */
const SPARSE = { SIMULATOR_SAMPLE_INTERVAL_MS: '60000' };

function callWindows(gateway: InProcessGateway) {
  return gateway.upstream.calls.map((call) => [Date.parse(call.startTime), Date.parse(call.endTime)]);
}

describe('window cache', () => {
  it('answers a repeated past-window query with no upstream call and an identical response', async () => {
    // Without the response cache, which would answer the repeat before the window cache is asked.
    const harness = createInProcessGateway({ env: { RESPONSE_CACHE_MAX_MB: '0' } });
    const variables = { users: userIds(25), ...pastRange(2) };
    const first = await harness.query(QUERY, variables);
    expect(harness.upstream.calls).toHaveLength(4);

    harness.upstream.resetCalls();
    const second = await harness.query(QUERY, variables);
    expect(harness.upstream.calls).toHaveLength(0);
    expect(second).toEqual(first);
    expect(harness.cache.stats().hits).toBeGreaterThan(0);
  });

  it('refetches only the slots that were still moving, plus the new ones, when "last 15 minutes" is asked again 60 s later', async () => {
    // At the real time, so the ranges asked lie inside the retention.
    const clock = manualClock(Date.now());
    const harness = createInProcessGateway({ now: clock.now });
    const last15 = () => ({
      users: ['alice', 'bob'],
      from: new Date(clock.now() - 15 * MINUTE_MS).toISOString(),
      to: new Date(clock.now()).toISOString(),
    });
    // Calls start where the range starts and end where it ends, on whole seconds: the start rounded down, and the
    // end too, since it reaches the present.
    const onSecond = (iso: string) => Math.floor(Date.parse(iso) / 1000) * 1000;
    const first = last15();
    await harness.query(QUERY, first);
    expect(callWindows(harness)).toEqual([[onSecond(first.from), onSecond(first.to)]]);

    clock.advance(60_000);
    harness.upstream.resetCalls();
    const second = last15();
    const response = await harness.query<{ callQuality: Array<{ final: boolean }> }>(QUERY, second);
    expect(response.data?.callQuality[0]?.final).toBe(false);

    // Immutable: ended at least latency (100 s) + margin (60 s) before the first query.
    const settledBefore = Date.parse(first.to) - 160_000;
    const firstMovingSlot = Math.ceil((settledBefore - SLOT_MS + 1) / SLOT_MS) * SLOT_MS;
    const secondStart = Math.max(onSecond(second.from), firstMovingSlot);
    expect(callWindows(harness)).toEqual([[secondStart, onSecond(second.to)]]);
    expect(onSecond(second.to) - secondStart).toBeLessThan(15 * MINUTE_MS);
  });

  it('joins 50 concurrent identical cold queries into one call per 20-user chunk', async () => {
    const harness = createInProcessGateway({ env: SPARSE });
    const variables = { users: userIds(30), ...pastRange(1) };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => harness.query(SUMMARY_QUERY, variables)),
    );

    expect(harness.upstream.calls).toHaveLength(2);
    for (const response of responses) {
      expect(response?.errors).toBeUndefined();
      expect(response).toEqual(responses[0]);
    }
  });

  it('lets 100 clients polling the last 5 minutes every second share about one call per tail TTL', async () => {
    const clock = manualClock(Date.now());
    const harness = createInProcessGateway({ now: clock.now, env: { ...SPARSE, CACHE_TAIL_TTL_MS: '5000' } });
    for (let second = 0; second < 10; second += 1) {
      const variables = {
        users: ['alice'],
        from: new Date(clock.now() - 5 * MINUTE_MS).toISOString(),
        to: new Date(clock.now()).toISOString(),
      };
      const responses = await Promise.all(
        Array.from({ length: 100 }, () => harness.query(SUMMARY_QUERY, variables)),
      );
      for (const response of responses) expect(response?.errors).toBeUndefined();
      clock.advance(1_000);
    }
    // 10 s of polling with a 5 s TTL: the first fetch, a refresh after each TTL, and at most one more when the
    // range crosses into a new slot. 1,000 client queries in all.
    expect(harness.upstream.calls.length).toBeGreaterThanOrEqual(2);
    expect(harness.upstream.calls.length).toBeLessThanOrEqual(4);
  });

  it('never caches an error: the next query fetches again and succeeds', async () => {
    const harness = createInProcessGateway({ env: { UPSTREAM_RETRY_MAX_ATTEMPTS: '1' } });
    const variables = { users: ['alice'], ...pastRange(1) };
    harness.upstream.injectFault({ kind: 'http500', times: 1 });
    const failed = await harness.query(QUERY, variables);
    expect(failed.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');

    const succeeded = await harness.query<{ callQuality: Array<{ streams: unknown[] }> }>(QUERY, variables);
    expect(succeeded.errors).toBeUndefined();
    expect(succeeded.data?.callQuality[0]?.streams.length).toBeGreaterThan(0);
    expect(harness.upstream.calls).toHaveLength(2);
  });

  it('evicts past its byte bound and keeps its measured size under it', async () => {
    const harness = createInProcessGateway({ env: { CACHE_MAX_MB: '1', RESPONSE_CACHE_MAX_MB: '0' } });
    for (const room of ['r1-of-3', 'r2-of-3', 'r3-of-3']) {
      const response = await harness.query(QUERY, { room, users: userIds(20), ...pastRange(1) });
      expect(response.errors).toBeUndefined();
    }
    const stats = harness.cache.stats();
    expect(stats.evictions).toBeGreaterThan(0);
    expect(stats.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(stats.bytes).toBeGreaterThan(512 * 1024);

    // An evicted window is fetched again, not served wrong.
    harness.upstream.resetCalls();
    await harness.query(QUERY, { room: 'r1-of-3', users: userIds(20), ...pastRange(1) });
    expect(harness.upstream.calls).toHaveLength(1);
  });
});
