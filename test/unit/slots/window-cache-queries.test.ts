/**
 * The window cache end to end: gateway -> simulator over loopback, upstream calls counted at the simulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SERIES_STREAMS_SELECTION } from '../../helpers/expected-streams.js';
import { pastRange, startTestGateway, type TestGateway, userIds } from '../../helpers/test-gateway.js';

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

let harness: TestGateway | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** A clock the test moves by hand; starts at the real time so signatures and retention stay valid. */
function manualClock() {
  let offsetMs = 0;
  return { now: () => Date.now() + offsetMs, advance: (ms: number) => (offsetMs += ms) };
}

function callWindows(gateway: TestGateway) {
  return gateway.simulator.calls.map((call) => [Date.parse(call.startTime), Date.parse(call.endTime)]);
}

describe('window cache', () => {
  it('answers a repeated past-window query with no upstream call and an identical response', async () => {
    // Without the response cache, which would answer the repeat before the window cache is asked.
    harness = await startTestGateway({ env: { RESPONSE_CACHE_MAX_MB: '0' } });
    const variables = { users: userIds(25), ...pastRange(2) };
    const first = await harness.query(QUERY, variables);
    expect(harness.simulator.calls).toHaveLength(4);

    harness.simulator.resetCalls();
    const second = await harness.query(QUERY, variables);
    expect(harness.simulator.calls).toHaveLength(0);
    expect(second).toEqual(first);
    expect(harness.gateway.cache.stats().hits).toBeGreaterThan(0);
  });

  it('refetches only the slots that were still moving, plus the new ones, when "last 15 minutes" is asked again 60 s later', async () => {
    const clock = manualClock();
    harness = await startTestGateway({ now: clock.now });
    const last15 = () => ({
      users: ['alice', 'bob'],
      from: new Date(clock.now() - 15 * MINUTE_MS).toISOString(),
      to: new Date(clock.now()).toISOString(),
    });
    const first = last15();
    await harness.query(QUERY, first);
    const firstFromSlot = Math.floor(Date.parse(first.from) / SLOT_MS) * SLOT_MS;
    const firstEndSlot = Math.ceil(Date.parse(first.to) / SLOT_MS) * SLOT_MS;
    expect(callWindows(harness)).toEqual([[firstFromSlot, firstEndSlot]]);

    clock.advance(60_000);
    harness.simulator.resetCalls();
    const second = last15();
    const response = await harness.query<{ callQuality: Array<{ final: boolean }> }>(QUERY, second);
    expect(response.data?.callQuality[0]?.final).toBe(false);

    // Immutable: ended at least latency (100 s) + margin (60 s) before the first query.
    const settledBefore = Date.parse(first.to) - 160_000;
    const firstMovingSlot = Math.max(
      Math.floor(Date.parse(second.from) / SLOT_MS) * SLOT_MS,
      Math.ceil((settledBefore - SLOT_MS + 1) / SLOT_MS) * SLOT_MS,
    );
    const secondEndSlot = Math.ceil(Date.parse(second.to) / SLOT_MS) * SLOT_MS;
    expect(callWindows(harness)).toEqual([[firstMovingSlot, secondEndSlot]]);
    expect(secondEndSlot - firstMovingSlot).toBeLessThan(firstEndSlot - firstFromSlot);
  });

  it('joins 50 concurrent identical cold queries into one call per 20-user chunk', async () => {
    harness = await startTestGateway();
    const variables = { users: userIds(30), ...pastRange(1) };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => harness?.query(SUMMARY_QUERY, variables)),
    );

    expect(harness.simulator.calls).toHaveLength(2);
    for (const response of responses) {
      expect(response?.errors).toBeUndefined();
      expect(response).toEqual(responses[0]);
    }
  });

  it('lets 100 clients polling the last 5 minutes every second share about one call per tail TTL', async () => {
    const clock = manualClock();
    harness = await startTestGateway({ now: clock.now, env: { CACHE_TAIL_TTL_MS: '5000' } });
    for (let second = 0; second < 10; second += 1) {
      const variables = {
        users: ['alice'],
        from: new Date(clock.now() - 5 * MINUTE_MS).toISOString(),
        to: new Date(clock.now()).toISOString(),
      };
      const responses = await Promise.all(
        Array.from({ length: 100 }, () => harness?.query(SUMMARY_QUERY, variables)),
      );
      for (const response of responses) expect(response?.errors).toBeUndefined();
      clock.advance(1_000);
    }
    // 10 s of polling with a 5 s TTL: the first fetch, a refresh after each TTL, and at most one more when the
    // range crosses into a new slot. 1,000 client queries in all.
    expect(harness.simulator.calls.length).toBeGreaterThanOrEqual(2);
    expect(harness.simulator.calls.length).toBeLessThanOrEqual(4);
  });

  it('never caches an error: the next query fetches again and succeeds', async () => {
    harness = await startTestGateway({ env: { UPSTREAM_RETRY_MAX_ATTEMPTS: '1' } });
    const variables = { users: ['alice'], ...pastRange(1) };
    harness.simulator.injectFault({ kind: 'http500', times: 1 });
    const failed = await harness.query(QUERY, variables);
    expect(failed.errors?.[0]?.extensions?.code).toBe('UPSTREAM_ERROR');

    const succeeded = await harness.query<{ callQuality: Array<{ streams: unknown[] }> }>(QUERY, variables);
    expect(succeeded.errors).toBeUndefined();
    expect(succeeded.data?.callQuality[0]?.streams.length).toBeGreaterThan(0);
    expect(harness.simulator.calls).toHaveLength(2);
  });

  it('evicts past its byte bound and keeps its measured size under it', async () => {
    harness = await startTestGateway({ env: { CACHE_MAX_MB: '1', RESPONSE_CACHE_MAX_MB: '0' } });
    for (const room of ['r1', 'r2', 'r3']) {
      const response = await harness.query(QUERY, { room, users: userIds(20), ...pastRange(1) });
      expect(response.errors).toBeUndefined();
    }
    const stats = harness.gateway.cache.stats();
    expect(stats.evictions).toBeGreaterThan(0);
    expect(stats.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(stats.bytes).toBeGreaterThan(512 * 1024);

    // An evicted window is fetched again, not served wrong.
    harness.simulator.resetCalls();
    await harness.query(QUERY, { room: 'r1', users: userIds(20), ...pastRange(1) });
    expect(harness.simulator.calls).toHaveLength(1);
  });
});
