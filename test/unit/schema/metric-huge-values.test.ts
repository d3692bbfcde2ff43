/**
 * Values near the double range (1.2e308 .. 1.7e308) are served with finite means, and no statistic takes its
 * siblings down with it: through the whole app, from an upstream that reports such values.
 */
import { describe, expect, it } from 'vitest';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pointsBetween, upStreamOf } from '../../helpers/quirk-upstream.js';
import { pastRange } from '../../helpers/test-gateway.js';

const SAMPLE_MS = 10_000;
const HUGE = [1.2e308, 1.5e308, 1.7e308];
const QUERY = `query ($from: DateTime!, $to: DateTime!) {
  callQuality(appId: "a", roomId: "r", userIds: ["u1"], from: $from, to: $to, directions: [UP]) {
    streams {
      metric(name: "Bitrate") {
        summary { count max avg p95 }
        series(step: 60, aggregate: AVG) { values }
        points { value }
      }
    }
  }
}`;

interface Answer {
  callQuality: Array<{
    streams: Array<{
      metric: {
        summary: { count: number; max: number; avg: number; p95: number };
        series: { values: number[] };
        points: Array<{ value: number }>;
      } | null;
    }>;
  }>;
}

describe('values near the double range', () => {
  it('are summarised and downsampled to finite numbers, the raw points served beside them', async () => {
    const range = pastRange(1);
    const valueAt = (time: number) => HUGE[((time - range.fromMs) / SAMPLE_MS) % 3] as number;
    const harness = createInProcessGateway({
      answer: (call) => [
        upStreamOf(
          { name: 'Bitrate', unit: 'bps' },
          pointsBetween(call.startMs, call.endMs, SAMPLE_MS, valueAt),
        ),
      ],
    });
    const { data, errors } = await harness.query<Answer>(QUERY, { from: range.from, to: range.to });

    expect(errors).toBeUndefined();
    const metric = data?.callQuality[0]?.streams[0]?.metric;
    // 360 points cycling through the three values: each bucket of six and the whole range average (4.4 / 3)e308.
    const average = (4.4 / 3) * 1e308;
    expect(metric?.summary.count).toBe(360);
    expect(metric?.summary.max).toBe(1.7e308);
    expect(Math.abs((metric?.summary.avg ?? 0) / average - 1)).toBeLessThan(1e-12);
    expect(metric?.summary.p95).toBe(1.7e308);
    expect(metric?.series.values).toHaveLength(60);
    for (const value of metric?.series.values ?? [])
      expect(Math.abs(value / average - 1)).toBeLessThan(1e-12);
    expect(metric?.points.map((point) => point.value).slice(0, 3)).toEqual(HUGE);
  });
});
