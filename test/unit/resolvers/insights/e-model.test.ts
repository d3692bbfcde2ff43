import { describe, expect, it } from 'vitest';
import { mos, mosOfR, rFactor } from '../../../../src/resolvers/insights/e-model.js';

// Vectors computed by hand from the formula (see e-model.ts), to four decimals.
describe('the simplified E-model', () => {
  it('rates rtt 100 ms, jitter 10 ms, loss 1 % at MOS 4.31', () => {
    // L = 100 + 20 + 10 = 130 < 160, so Id = 130 / 40 = 3.25; R = 94.768 - 3.25 - 2.5 = 89.018.
    expect(rFactor({ rttMs: 100, jitterMs: 10, lossPercent: 1 })).toBeCloseTo(89.018, 10);
    // 1 + 0.035 x 89.018 + 7e-6 x 89.018 x 29.018 x 10.982 = 1 + 3.11563 + 0.19857.
    expect(mos({ rttMs: 100, jitterMs: 10, lossPercent: 1 })).toBeCloseTo(4.3142, 4);
  });

  it('switches to the steep delay effect at 160 ms of effective latency', () => {
    // L = 150 + 0 + 10 = 160: Id = (160 - 120) / 10 = 4, R = 90.768.
    expect(rFactor({ rttMs: 150, jitterMs: 0, lossPercent: 0 })).toBeCloseTo(90.768, 10);
    // L = 400 + 2 x 30 + 10 = 470: Id = 35, R = 94.768 - 35 - 2.5 x 5 = 47.268.
    expect(rFactor({ rttMs: 400, jitterMs: 30, lossPercent: 5 })).toBeCloseTo(47.268, 10);
    // 1 + 1.65438 + 7e-6 x 47.268 x (-12.732) x 52.732 = 2.65438 - 0.22215.
    expect(mos({ rttMs: 400, jitterMs: 30, lossPercent: 5 })).toBeCloseTo(2.4322, 4);
  });

  it('keeps MOS within 1 to 4.5 whatever the figures', () => {
    expect(mos({ rttMs: 0, jitterMs: 0, lossPercent: 0 })).toBeCloseTo(mosOfR(94.518), 10);
    expect(mos({ rttMs: 5000, jitterMs: 500, lossPercent: 60 })).toBe(1);
    expect(mosOfR(100)).toBe(4.5);
    expect(mosOfR(-3)).toBe(1);
    // The cubic alone gives 1.175 - 0.18288 = 0.99213 at R = 5: below the scale.
    expect(mosOfR(5)).toBe(1);
  });
});
