/**
 * Ranges starting within the last moments of the upstream's 6-day retention, end to end against the simulator
 * (which refuses a StartTime older than 6 days by its own clock, as the real API does).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { expectedStreams, SERIES_STREAMS_SELECTION } from '../../helpers/expected-streams.js';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const DAY_MS = 24 * 3_600_000;
const RETENTION_MS = 6 * DAY_MS;
const SECOND_MS = 1000;
const QUERY = `query ($room: ID!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "a", roomId: $room, userIds: ["u1"], from: $from, to: $to) {
    final
    ${SERIES_STREAMS_SELECTION}
  }
}`;

interface Answer {
  callQuality: Array<{ final: boolean; streams: unknown[] | null }>;
}

let harness: TestGateway | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5_000) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A range starting `afterEdgeMs` inside the retention, on a whole second, 10 minutes long. */
function edgeRange(afterEdgeMs: number) {
  const fromMs = Math.ceil((Date.now() - RETENTION_MS + afterEdgeMs) / SECOND_MS) * SECOND_MS;
  const toMs = fromMs + 10 * 60_000;
  return { fromMs, toMs, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
}

describe('the retention edge', () => {
  it('serves every point from `from` when the range starts in the retention’s last minute', async () => {
    harness = await startTestGateway();
    const range = edgeRange(30 * SECOND_MS);
    const variables = { room: 'r', from: range.from, to: range.to };
    const { data, errors } = await harness.query<Answer>(QUERY, variables);
    expect(errors).toBeUndefined();
    const expected = expectedStreams({ appId: 'a', roomId: 'r', userId: 'u1', ...range });
    expect(expected.length).toBeGreaterThan(0);
    expect(data?.callQuality[0]?.streams).toEqual(expected);
    expect(data?.callQuality[0]?.final).toBe(true);

    // Asked again (another selection, so not from the response cache): the cut slot answers from the cache.
    const again = await harness.query<{ callQuality: Array<{ streams: unknown[] }> }>(
      `query ($from: DateTime!, $to: DateTime!) {
        callQuality(appId: "a", roomId: "r", userIds: ["u1"], from: $from, to: $to) { ${SERIES_STREAMS_SELECTION} }
      }`,
      { from: range.from, to: range.to },
    );
    expect(again.data?.callQuality[0]?.streams).toEqual(expected);
    expect(harness.simulator.calls).toHaveLength(1);
  });

  it('says so, naming `from`, when the call waited in the queue until the edge had passed its start', async () => {
    harness = await startTestGateway({ env: { RATE_LIMIT_RPS: '1' } });
    // One slow call holds the only slot of the second for 7 s; the edge range's call waits behind it.
    harness.simulator.injectFault({ kind: 'slow', delayMs: 7_000, times: 1 });
    const busy = harness.query<Answer>(QUERY, { room: 'busy', ...edgeRange(DAY_MS) });
    await until(() => harness?.simulator.calls.length === 1);
    // Reachable when asked (the client keeps 2-3 s from the edge), no longer after seconds in the queue.
    const range = edgeRange(5 * SECOND_MS);
    const { data, errors } = await harness.query<Answer>(QUERY, {
      room: 'r',
      from: range.from,
      to: range.to,
    });

    expect(data?.callQuality[0]?.streams).toBeNull();
    expect(errors).toHaveLength(1);
    expect(errors?.[0]?.path).toEqual(['callQuality', 0, 'streams']);
    expect(errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'from' });
    expect(errors?.[0]?.message).toMatch(/left the upstream's retention.*ask for a later `from`/);
    expect((await busy).errors).toBeUndefined();
  });
});
