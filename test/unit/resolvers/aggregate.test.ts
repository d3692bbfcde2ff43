import { describe, expect, it } from 'vitest';
import { type Aggregate, aggregate, quantileOfSorted } from '../../../src/resolvers/aggregate.js';

const AGGREGATES: readonly Aggregate[] = ['AVG', 'MIN', 'MAX', 'LAST', 'P95'];

describe('aggregate', () => {
  // The run [4, 1, 3, 2] sits between two values that must not count.
  const values = Float64Array.from([100, 4, 1, 3, 2, -100]);

  it('computes each aggregate over the given run only', () => {
    expect(aggregate('AVG', values, 1, 5)).toBe(2.5);
    expect(aggregate('MIN', values, 1, 5)).toBe(1);
    expect(aggregate('MAX', values, 1, 5)).toBe(4);
    expect(aggregate('LAST', values, 1, 5)).toBe(2);
    // Sorted [1, 2, 3, 4]: h = 3 * 0.95 = 2.85, so 3 + 0.85 * (4 - 3).
    expect(aggregate('P95', values, 1, 5)).toBeCloseTo(3.85, 12);
  });

  it('sorts P95 in the scratch buffer when given one, leaving the values alone', () => {
    const scratch = new Float64Array(8);
    expect(aggregate('P95', values, 1, 5, scratch)).toBeCloseTo(3.85, 12);
    expect([...scratch.subarray(0, 4)]).toEqual([1, 2, 3, 4]);
    expect([...values]).toEqual([100, 4, 1, 3, 2, -100]);
  });

  it('keeps every aggregate of values near the double range finite', () => {
    const huge = Float64Array.from([1.2e308, 1.5e308, 1.7e308]);
    for (const kind of AGGREGATES) expect(Number.isFinite(aggregate(kind, huge, 0, 3)), kind).toBe(true);
    expect(Math.abs(aggregate('AVG', huge, 0, 3) / ((4.4 / 3) * 1e308) - 1)).toBeLessThan(1e-15);
  });

  it('gives the value itself for a run of one, whatever the aggregate', () => {
    for (const kind of AGGREGATES) expect(aggregate(kind, values, 2, 3)).toBe(1);
  });
});

describe('quantileOfSorted (R-7)', () => {
  const oneToTen = Float64Array.from({ length: 10 }, (_, i) => i + 1);

  it('interpolates between closest ranks', () => {
    expect(quantileOfSorted(oneToTen, 0.5)).toBe(5.5);
    // h = 9 * 0.95 = 8.55: x[8] = 9 plus 0.55 of the way to x[9] = 10.
    expect(quantileOfSorted(oneToTen, 0.95)).toBeCloseTo(9.55, 12);
    expect(quantileOfSorted(oneToTen, 0)).toBe(1);
    expect(quantileOfSorted(oneToTen, 1)).toBe(10);
  });

  it('gives the value itself for a single value', () => {
    expect(quantileOfSorted(Float64Array.of(7), 0.95)).toBe(7);
  });
});
