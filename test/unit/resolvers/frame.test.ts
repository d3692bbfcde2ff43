import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/errors/invalid-argument.js';
import type { MetricSeries, StreamDetail } from '../../../src/model/call-detail.js';
import { buildFrame, frameStep, roundValue } from '../../../src/resolvers/frame.js';

function series(name: string, points: readonly (readonly [number, number])[], unit = 'ms'): MetricSeries {
  return {
    name,
    description: name,
    unit,
    times: Float64Array.from(points.map(([time]) => time)),
    values: Float64Array.from(points.map(([, value]) => value)),
  };
}

function stream(userId: string, metrics: MetricSeries[], peerId: string | null = null): StreamDetail {
  return { userId, direction: peerId === null ? 'up' : 'down', peerId, metrics };
}

const S = 1000;
const HOUR_MS = 3_600_000;

describe('buildFrame', () => {
  it('puts every stream having the metric on one time axis, null where a stream has no point', () => {
    const streams = [
      stream('alice', [
        series('Rtt', [
          [10 * S, 30],
          [20 * S, 40],
        ]),
        series('Jitter', [[10 * S, 1]]),
      ]),
      stream(
        'alice',
        [
          series('Rtt', [
            [20 * S, 50],
            [30 * S, 60],
          ]),
        ],
        'bob',
      ),
      stream('carol', [series('Jitter', [[15 * S, 2]])]),
    ];
    expect(buildFrame(streams, 'Rtt', null, 'AVG')).toEqual({
      metric: 'Rtt',
      unit: 'ms',
      times: [10 * S, 20 * S, 30 * S],
      columns: [
        { userId: 'alice', direction: 'up', peerId: null, values: [30, 40, null] },
        { userId: 'alice', direction: 'down', peerId: 'bob', values: [null, 50, 60] },
      ],
    });
  });

  it('aggregates each stream into epoch-aligned buckets before joining them', () => {
    const streams = [
      stream('a', [
        series('Rtt', [
          [61 * S, 10],
          [100 * S, 20],
          [130 * S, 7],
        ]),
      ]),
      stream('b', [series('Rtt', [[185 * S, 5]])]),
    ];
    expect(buildFrame(streams, 'Rtt', 60, 'MAX')).toMatchObject({
      times: [60 * S, 120 * S, 180 * S],
      columns: [{ values: [20, 7, null] }, { values: [null, null, 5] }],
    });
  });

  it('rounds aggregates to 12 significant digits instead of showing accumulation noise', () => {
    const values = [0.1, 0.2, 0.7, 0.93];
    const raw = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(raw).not.toBe(0.4825);
    const frame = buildFrame(
      [
        stream('a', [
          series(
            'Loss',
            values.map((value, i) => [i * S, value]),
          ),
        ]),
      ],
      'Loss',
      60,
      'AVG',
    );
    expect(frame.columns[0]?.values).toEqual([0.4825]);
  });

  it('has no columns and no unit when no stream has the metric', () => {
    expect(buildFrame([stream('a', [series('Rtt', [[0, 1]])])], 'rtt', null, 'AVG')).toEqual({
      metric: 'rtt',
      unit: null,
      times: [],
      columns: [],
    });
  });
});

describe('roundValue', () => {
  it.each([
    [0.1 + 0.2, 0.3],
    [123456.78901234567, 123456.789012],
    [1e-20 / 3, 3.33333333333e-21],
    [42, 42],
  ])('rounds %d to %d', (value, rounded) => {
    expect(roundValue(value)).toBe(rounded);
  });
});

describe('frameStep', () => {
  it.each([
    [{}, null],
    [{ step: 30 }, 30],
    [{ maxDataPoints: 1000 }, 4],
    [{ maxDataPoints: 100 }, 36],
    [{ maxDataPoints: 7 }, 515],
    [{ maxDataPoints: 100_000 }, 1],
    [{ maxDataPoints: 100, step: 60 }, 60],
    [{ maxDataPoints: 100, step: 10 }, 36],
  ])('over an hour, %o gives step %s', (args, step) => {
    expect(frameStep(args, 5 * HOUR_MS, 6 * HOUR_MS)).toBe(step);
  });

  it('caps the derived step at a day', () => {
    expect(frameStep({ maxDataPoints: 1 }, 0, 6 * 24 * HOUR_MS)).toBe(86_400);
  });

  it.each([{ maxDataPoints: 0 }, { maxDataPoints: -5 }, { step: 0 }, { step: 86_401, maxDataPoints: 10 }])(
    'refuses %o',
    (args) => {
      expect(() => frameStep(args, 0, HOUR_MS)).toThrow(InvalidArgumentError);
    },
  );
});
