import { describe, expect, it } from 'vitest';
import type { MetricSeries, StreamDetail } from '../../../src/model/call-detail.js';
import { joinSplitStreams } from '../../../src/upstream/split-streams.js';

function series(name: string, points: Array<[number, number]>, unit = 'ms'): MetricSeries {
  return {
    name,
    description: unit === '' ? '' : `${name} in ${unit}`,
    unit,
    times: Float64Array.from(points.map(([time]) => time)),
    values: Float64Array.from(points.map(([, value]) => value)),
  };
}

function stream(peerId: string | null, metrics: MetricSeries[], userId = 'u1'): StreamDetail {
  return { userId, direction: peerId === null ? 'up' : 'down', peerId, metrics };
}

describe('joinSplitStreams', () => {
  it('joins the pieces of one stream by time, the later piece listed first', () => {
    const joined = joinSplitStreams([
      stream(null, [
        series('Rtt', [
          [30, 3],
          [40, 4],
        ]),
      ]),
      stream(null, [
        series('Rtt', [
          [10, 1],
          [20, 2],
        ]),
        series('Loss', [[10, 0.5]]),
      ]),
    ]);
    expect(joined).toHaveLength(1);
    expect(joined[0]?.metrics.map((metric) => metric.name)).toEqual(['Rtt', 'Loss']);
    expect([...(joined[0]?.metrics[0]?.times ?? [])]).toEqual([10, 20, 30, 40]);
    expect([...(joined[0]?.metrics[0]?.values ?? [])]).toEqual([1, 2, 3, 4]);
  });

  it('joins a metric listed twice in one entry, a repeated time keeping the later report', () => {
    const [joined] = joinSplitStreams([
      stream(null, [
        series(
          'Rtt',
          [
            [20, 2],
            [30, 3],
          ],
          '',
        ),
        series('Rtt', [
          [10, 1],
          [20, 9],
        ]),
      ]),
    ]);
    const [rtt] = joined?.metrics ?? [];
    expect([...(rtt?.times ?? [])]).toEqual([10, 20, 30]);
    expect([...(rtt?.values ?? [])]).toEqual([1, 9, 3]);
    // The first piece had no unit; the first piece that has one describes the joined series.
    expect(rtt?.unit).toBe('ms');
    expect(rtt?.description).toBe('Rtt in ms');
  });

  it('keeps streams of other identities apart, in order of first appearance', () => {
    const joined = joinSplitStreams([
      stream('p2', [series('Rtt', [[10, 1]])]),
      stream(null, [series('Rtt', [[10, 2]])]),
      stream('p1', [series('Rtt', [[10, 3]])]),
      stream('p2', [series('Rtt', [[20, 4]])], 'u2'),
      stream('p2', [series('Rtt', [[20, 5]])]),
    ]);
    expect(joined.map((one) => [one.userId, one.peerId, [...(one.metrics[0]?.values ?? [])]])).toEqual([
      ['u1', 'p2', [1, 5]],
      ['u1', null, [2]],
      ['u1', 'p1', [3]],
      ['u2', 'p2', [4]],
    ]);
  });

  it('passes an answer without pieces through untouched', () => {
    const streams = [stream(null, [series('Rtt', [[10, 1]])]), stream('p1', [series('Rtt', [[10, 2]])])];
    const joined = joinSplitStreams(streams);
    expect(joined[0]).toBe(streams[0]);
    expect(joined[1]).toBe(streams[1]);
  });
});
