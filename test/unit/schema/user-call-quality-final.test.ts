/**
 * `final: true` means the gateway will never answer the range differently: through the whole app, with an
 * upstream whose data arrives 130 s late (later than its documented ~100 s) and a clock the test moves.
 */
import { describe, expect, it } from 'vitest';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { manualClock } from '../../helpers/manual-clock.js';
import { pointsBetween, upStreamOf } from '../../helpers/quirk-upstream.js';

const SAMPLE_MS = 10_000;
const SLOT_MS = 5 * 60_000;
const LATENESS_MS = 130_000;
const QUERY = `query ($from: DateTime!, $to: DateTime!) {
  callQuality(appId: "a", roomId: "r", userIds: ["u1"], from: $from, to: $to, directions: [UP]) {
    final
    streams { metrics { series { times } } }
  }
}`;

interface Answer {
  callQuality: Array<{ final: boolean; streams: Array<{ metrics: Array<{ series: { times: number[] } }> }> }>;
}

describe('final', () => {
  it('turns true only once every slot has settled, and the answer never changes after', async () => {
    const toMs = Math.floor(Date.now() / SLOT_MS) * SLOT_MS - 60 * 60_000;
    const fromMs = toMs - 2 * SLOT_MS;
    const clock = manualClock(toMs + 90_000);
    // Each sample reaches the upstream 130 s after it was taken.
    const harness = createInProcessGateway({
      answer: (call) => [
        upStreamOf(
          { name: 'Rtt', unit: 'ms' },
          pointsBetween(
            call.startMs,
            Math.min(call.endMs, clock.now() - LATENESS_MS + 1),
            SAMPLE_MS,
            () => 1,
          ),
        ),
      ],
      now: clock.now,
      // A tail kept longer than it takes to settle, so a stale tail would be there to be (wrongly) served.
      env: { CACHE_TAIL_TTL_MS: '300000' },
    });
    const variables = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
    const ask = async () => {
      const { data, errors } = await harness.query<Answer>(QUERY, variables);
      expect(errors).toBeUndefined();
      const [entry] = data?.callQuality ?? [];
      return { final: entry?.final, times: entry?.streams[0]?.metrics[0]?.series.times ?? [] };
    };
    const all = pointsBetween(fromMs, toMs, SAMPLE_MS, () => 1).map((point) => point.Time);

    const early = await ask();
    expect(early.final).toBe(false);
    expect(early.times).toEqual(all.filter((time) => time <= toMs + 90_000 - LATENESS_MS));

    // Past the upstream's documented latency, but not the gateway's settle time (100 s + 60 s margin).
    clock.set(toMs + 101_000);
    expect((await ask()).final).toBe(false);

    clock.set(toMs + 160_000);
    const settled = await ask();
    expect(settled).toEqual({ final: true, times: all });
    const calls = harness.upstream.calls.length;

    clock.set(toMs + 3_600_000);
    expect(await ask()).toEqual(settled);
    expect(harness.upstream.calls).toHaveLength(calls);
  });
});
