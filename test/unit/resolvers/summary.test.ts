import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/resolvers/summary.js';

describe('summarize', () => {
  it('summarizes 1..10 given out of order, with R-7 percentiles and the latest value as last', () => {
    const values = Float64Array.from([3, 10, 1, 7, 5, 2, 9, 4, 8, 6]);
    const summary = summarize(values);
    expect(summary).toMatchObject({ count: 10, min: 1, max: 10, avg: 5.5, p50: 5.5, last: 6 });
    // h = 9 * 0.95 = 8.55: 9 + 0.55 * (10 - 9).
    expect(summary.p95).toBeCloseTo(9.55, 12);
  });

  it('does not reorder its input', () => {
    const values = Float64Array.from([3, 1, 2]);
    summarize(values);
    expect([...values]).toEqual([3, 1, 2]);
  });

  it('gives the value itself for every statistic of a single value', () => {
    expect(summarize(Float64Array.of(42.5))).toEqual({
      count: 1,
      min: 42.5,
      max: 42.5,
      avg: 42.5,
      p50: 42.5,
      p95: 42.5,
      last: 42.5,
    });
  });

  it('gives count 0 and nulls for no values', () => {
    expect(summarize(new Float64Array())).toEqual({
      count: 0,
      min: null,
      max: null,
      avg: null,
      p50: null,
      p95: null,
      last: null,
    });
  });

  it('interpolates the median of an even count', () => {
    expect(summarize(Float64Array.from([10, 0, 40, 20])).p50).toBe(15);
  });

  it('keeps the mean and the percentiles finite for values near the double range', () => {
    const summary = summarize(Float64Array.from([1.2e308, 1.5e308, 1.7e308, 1.7e308]));
    expect(summary.max).toBe(1.7e308);
    // (1.2 + 1.5 + 1.7 + 1.7) / 4 = 1.525, times 1e308: a sum that would overflow on the way.
    expect(Math.abs((summary.avg as number) / 1.525e308 - 1)).toBeLessThan(1e-15);
    expect(summarize(Float64Array.from([-1.7e308, 1.7e308]))).toMatchObject({ avg: 0, p50: 0 });
    const p95 = summarize(Float64Array.from([-1.7e308, 1.7e308])).p95 as number;
    // h = 0.95: 5 % of the lower plus 95 % of the upper.
    expect(Math.abs(p95 / (0.9 * 1.7e308) - 1)).toBeLessThan(1e-15);
  });
});
