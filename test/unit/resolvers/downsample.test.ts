import { describe, expect, it } from 'vitest';
import type { Aggregate } from '../../../src/resolvers/aggregate.js';
import { downsample, validateStep } from '../../../src/resolvers/downsample.js';

const at = (iso: string): number => Date.parse(iso);

function columns(points: ReadonlyArray<readonly [number, number]>) {
  return {
    times: Float64Array.from(points, ([time]) => time),
    values: Float64Array.from(points, ([, value]) => value),
  };
}

function plain(series: { times: Float64Array; values: Float64Array }) {
  return { times: [...series.times], values: [...series.values] };
}

describe('downsample', () => {
  // Minute buckets: 10:00 holds [4, 1, 7], 10:01 holds [8], 10:02 is empty, 10:03 holds [2, 6].
  const series = columns([
    [at('2024-05-01T10:00:10Z'), 4],
    [at('2024-05-01T10:00:30Z'), 1],
    [at('2024-05-01T10:00:59.999Z'), 7],
    [at('2024-05-01T10:01:00Z'), 8],
    [at('2024-05-01T10:03:20Z'), 2],
    [at('2024-05-01T10:03:40Z'), 6],
  ]);
  const bucketTimes = [at('2024-05-01T10:00:00Z'), at('2024-05-01T10:01:00Z'), at('2024-05-01T10:03:00Z')];

  const expected: Record<Aggregate, number[]> = {
    AVG: [4, 8, 4],
    MIN: [1, 8, 2],
    MAX: [7, 8, 6],
    LAST: [7, 8, 6],
    // [1, 4, 7]: h = 1.9, 4 + 0.9 * 3; [8]: 8; [2, 6]: h = 0.95, 2 + 0.95 * 4.
    P95: [6.7, 8, 5.8],
  };

  for (const [kind, values] of Object.entries(expected) as [Aggregate, number[]][]) {
    it(`aggregates each non-empty minute bucket with ${kind}`, () => {
      const result = downsample(series, 60, kind);
      expect([...result.times]).toEqual(bucketTimes);
      expect(result.values).toHaveLength(values.length);
      values.forEach((value, i) => {
        expect(result.values[i]).toBeCloseTo(value, 12);
      });
    });
  }

  it('aligns buckets to the Unix epoch, not to the first point', () => {
    const result = downsample(
      columns([
        [10_500, 1],
        [13_999, 2],
        [14_000, 3],
        [20_999, 4],
        [21_000, 5],
      ]),
      7,
      'AVG',
    );
    expect(plain(result)).toEqual({ times: [7000, 14_000, 21_000], values: [1.5, 3.5, 5] });
  });

  it('starts day buckets at UTC midnight', () => {
    const result = downsample(columns([[at('2024-05-01T10:00:00Z'), 3]]), 86_400, 'MAX');
    expect(plain(result)).toEqual({ times: [at('2024-05-01T00:00:00Z')], values: [3] });
  });

  it('with a 1 s step keeps every point of a 1 s series', () => {
    const oneSecond = columns([
      [1000, 5],
      [2000, 6],
      [3000, 7],
    ]);
    expect(plain(downsample(oneSecond, 1, 'P95'))).toEqual(plain(oneSecond));
  });

  it('gives nothing for an empty series', () => {
    expect(plain(downsample(columns([]), 60, 'AVG'))).toEqual({ times: [], values: [] });
  });

  it('refuses a step that validateStep refuses', () => {
    expect(() => downsample(series, 0, 'AVG')).toThrow(RangeError);
  });
});

describe('validateStep', () => {
  it('accepts whole seconds from 1 to 86400', () => {
    expect(validateStep(1)).toBeNull();
    expect(validateStep(60)).toBeNull();
    expect(validateStep(86_400)).toBeNull();
  });

  it('names `step` for anything else', () => {
    for (const step of [0, -60, 1.5, 86_401, Number.NaN]) {
      expect(validateStep(step)).toContain('`step` must be a whole number of seconds from 1 to 86400');
    }
  });
});
