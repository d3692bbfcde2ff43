/**
 * An upstream answer that holds one stream in pieces (a user who left and rejoined), listed in any order, is
 * served whole, and stays whole once cached: through the whole app, from an upstream that splits streams.
 */
import { describe, expect, it } from 'vitest';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pointsBetween, type QuirkCall, type UserCallDetailEntry } from '../../helpers/quirk-upstream.js';
import { pastRange } from '../../helpers/test-gateway.js';

const SAMPLE_MS = 10_000;
const QUERY = `query ($from: DateTime!, $to: DateTime!) {
  callQuality(appId: "a", roomId: "r", userIds: ["u1"], from: $from, to: $to, directions: [UP]) {
    final
    streams { direction metrics { name unit series { times values } } }
  }
}`;

interface Answer {
  callQuality: Array<{
    final: boolean;
    streams: Array<{
      metrics: Array<{ name: string; unit: string; series: { times: number[]; values: number[] } }>;
    }>;
  }>;
}

describe('a stream split into pieces in one answer', () => {
  it('serves every point of every piece, whatever their order, and caches the whole', async () => {
    const range = pastRange(1);
    // The user left 12.5 minutes in and came back 10 s later: the break falls inside one 5-minute slot.
    const rejoinMs = range.fromMs + 12.5 * 60_000;
    const value = (time: number) => (time - range.fromMs) / SAMPLE_MS;
    const answer = (call: QuirkCall): UserCallDetailEntry[] => {
      const metric = (name: string, from: number, to: number, scale: number) => ({
        Name: name,
        Desc: name,
        Unit: 'ms',
        Data: pointsBetween(
          Math.max(from, call.startMs),
          Math.min(to, call.endMs),
          SAMPLE_MS,
          (t) => scale * value(t),
        ),
      });
      return [
        // The later piece first, listing its metrics in another order, and one of them twice (cut in two).
        {
          UserId: 'u1',
          RoomId: 'r',
          Direction: 'up',
          CallDetail: [
            metric('B', rejoinMs, rejoinMs + 20 * 60_000, 2),
            metric('A', rejoinMs, range.toMs, 1),
            metric('B', rejoinMs + 20 * 60_000, range.toMs, 2),
          ],
        },
        {
          UserId: 'u1',
          RoomId: 'r',
          Direction: 'up',
          CallDetail: [metric('A', range.fromMs, rejoinMs, 1), metric('C', range.fromMs, rejoinMs, 3)],
        },
      ];
    };
    const harness = createInProcessGateway({ answer });

    const expectedTimes = pointsBetween(range.fromMs, range.toMs, SAMPLE_MS, () => 0).map(
      (point) => point.Time,
    );
    const variables = { from: range.from, to: range.to };
    for (const round of ['fetched', 'cached']) {
      const { data, errors } = await harness.query<Answer>(QUERY, variables);
      expect(errors, round).toBeUndefined();
      const [entry] = data?.callQuality ?? [];
      expect(entry?.final).toBe(true);
      expect(entry?.streams).toHaveLength(1);
      const metrics = entry?.streams[0]?.metrics ?? [];
      // First appearance over the whole answer: B and A in the first entry, C only in the second.
      expect(metrics.map((metric) => metric.name)).toEqual(['B', 'A', 'C']);
      const [b, a, c] = metrics;
      expect(a?.series.times).toEqual(expectedTimes);
      expect(a?.series.values).toEqual(expectedTimes.map(value));
      expect(b?.series.times).toEqual(expectedTimes.filter((time) => time >= rejoinMs));
      expect(b?.series.values).toEqual(
        expectedTimes.filter((time) => time >= rejoinMs).map((t) => 2 * value(t)),
      );
      expect(c?.series.times).toEqual(expectedTimes.filter((time) => time < rejoinMs));
    }
    // One call for the hour; the second answer came from the cache, whole.
    expect(harness.upstream.calls).toHaveLength(1);
  });
});
