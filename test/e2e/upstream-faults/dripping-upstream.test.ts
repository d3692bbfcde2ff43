/**
 * End to end: a real gateway over loopback whose upstream drips its answers for some rooms (headers, then a
 * byte every 200 ms, forever) and answers the others at once. Dripping calls hold every rate-limiter slot
 * (a slot counts until its attempt settles); other rooms must still get an answer, or a RATE_LIMITED refusal,
 * within a bounded time, and the dripping calls must end as UPSTREAM_UNAVAILABLE at their deadline.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type DrippingUpstream, startDrippingUpstream } from '../../helpers/dripping-upstream.js';
import { pastRange, startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const RATE = 2;
const ATTEMPT_TIMEOUT_MS = 2_500;
/**
 * Above the 1 050 ms window: a running call's slot counts from its end, so from now at the earliest, and a
 * wait bound below the window would refuse every call at once while one runs, never reaching the bound.
 */
const MAX_WAIT_MS = 1_200;
const WINDOW_MS = 1_050;
/** For a noisy shared machine; a hang (what dripping caused before the deadline) is unbounded. */
const MARGIN_MS = 1_500;

const QUERY = `query ($room: ID!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "app1", roomId: $room, userIds: ["u1"], from: $from, to: $to) { userId streams { direction } }
}`;

interface Entries {
  callQuality: Array<{ userId: string; streams: unknown[] | null }>;
}

let upstream: DrippingUpstream;
let harness: TestGateway;

beforeEach(async () => {
  upstream = await startDrippingUpstream({ drips: (roomId) => roomId.startsWith('dripping') });
  harness = await startTestGateway({
    env: {
      VOLC_ENDPOINT: upstream.url,
      RATE_LIMIT_RPS: String(RATE),
      RATE_LIMIT_MAX_WAIT_MS: String(MAX_WAIT_MS),
      UPSTREAM_ATTEMPT_TIMEOUT_MS: String(ATTEMPT_TIMEOUT_MS),
      UPSTREAM_RETRY_MAX_ATTEMPTS: '1',
      // Dripping failures must not open the circuit: the healthy room would then be refused without a wait.
      BREAKER_FAILURE_THRESHOLD: '1000',
    },
  });
});
afterEach(async () => {
  await harness.close();
  await upstream.close();
});

/** One user of one room over a past hour: one upstream call, with the time it took. */
async function queryRoom(room: string) {
  const startedAt = performance.now();
  const response = await harness.query<Entries>(QUERY, { room, ...pastRange(1) });
  return { response, elapsedMs: performance.now() - startedAt };
}

describe('an upstream that drips', () => {
  it('holds no slot past its deadline: other rooms are refused in time, then answered', async () => {
    const dripping = [queryRoom('dripping-1'), queryRoom('dripping-2')];
    await vi.waitFor(() => expect(upstream.rooms).toHaveLength(RATE), { timeout: 5_000 });

    // Its turn, one window after the running calls end (so from now at the earliest), is within the allowed
    // wait; but those calls do not settle by themselves, so the wait has to end at RATE_LIMIT_MAX_WAIT_MS.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const queued = await queryRoom('healthy');
    expect(queued.response.errors?.map((error) => error.extensions?.code)).toEqual(['RATE_LIMITED']);
    expect(queued.response.errors?.[0]?.message).toMatch(
      /^this call waited \d+ ms for the upstream rate limit, the most allowed is 1200 ms/,
    );
    expect(queued.response.data?.callQuality).toEqual([{ userId: 'u1', streams: null }]);
    expect(queued.elapsedMs).toBeGreaterThanOrEqual(MAX_WAIT_MS - 5);
    expect(queued.elapsedMs).toBeLessThan(MAX_WAIT_MS + MARGIN_MS);

    for (const { response, elapsedMs } of await Promise.all(dripping)) {
      expect(response.data?.callQuality).toEqual([{ userId: 'u1', streams: null }]);
      expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['UPSTREAM_UNAVAILABLE']);
      expect(response.errors?.[0]?.message).toBe(
        `ListCallDetail attempt exceeded its deadline of ${ATTEMPT_TIMEOUT_MS} ms without a complete answer`,
      );
      expect(elapsedMs).toBeLessThan(ATTEMPT_TIMEOUT_MS + MARGIN_MS);
    }
    await vi.waitFor(() => expect(upstream.drippingSockets()).toBe(0), { timeout: 2_000 });

    // Once the dripping attempts' slots have slid out of the window, the healthy room is served.
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const served = await queryRoom('healthy');
    expect(served.response.errors).toBeUndefined();
    expect(served.response.data?.callQuality).toEqual([{ userId: 'u1', streams: [] }]);
    expect(upstream.rooms).toEqual(['dripping-1', 'dripping-2', 'healthy']);
  }, 15_000);
});
