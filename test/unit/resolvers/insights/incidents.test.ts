import { describe, expect, it } from 'vitest';
import { detectIncidents, type IncidentRule } from '../../../../src/resolvers/insights/incidents.js';

/** One sample every 10 s from t = 0, unless times are given. */
function series(values: number[], times = values.map((_, index) => index * 10_000)) {
  return [Float64Array.from(times), Float64Array.from(values)] as const;
}

const HIGH_RTT: IncidentRule = {
  kind: 'HIGH_RTT',
  comparison: 'ABOVE',
  threshold: 400,
  sustain: { k: 3, n: 5 },
};

describe('detectIncidents', () => {
  it('opens when k of the last n samples breach, from the first of them, until the first good sample after', () => {
    const [times, values] = series([100, 500, 100, 500, 600, 100, 100, 100, 100]);
    // t=40 s makes 3 of the 5 samples t=0..40 breach; the window t=20..60 holds only 2, closing it at t=60,
    // but the incident ended when the values came back, at t=50.
    expect(detectIncidents(times, values, HIGH_RTT, 30_000)).toEqual([
      { kind: 'HIGH_RTT', startMs: 10_000, endMs: 50_000, peak: 600, threshold: 400 },
    ]);
  });

  it('ignores isolated spikes', () => {
    const [times, values] = series([100, 500, 100, 100, 500, 100, 100, 500]);
    expect(detectIncidents(times, values, HIGH_RTT, 30_000)).toEqual([]);
  });

  it('clears with hysteresis: values between the clear bound and the threshold keep it open', () => {
    const [times, values] = series([500, 500, 500, 350, 350, 250, 250, 250, 250]);
    expect(detectIncidents(times, values, { ...HIGH_RTT, clearThreshold: 300 }, 30_000)).toEqual([
      { kind: 'HIGH_RTT', startMs: 0, endMs: 50_000, peak: 500, threshold: 400 },
    ]);
    // Without it, the 350s are already normal.
    expect(detectIncidents(times, values, HIGH_RTT, 30_000)).toEqual([
      { kind: 'HIGH_RTT', startMs: 0, endMs: 30_000, peak: 500, threshold: 400 },
    ]);
  });

  it('opens a BELOW duration rule once consecutive samples have breached for that long', () => {
    const freeze: IncidentRule = {
      kind: 'FREEZE',
      comparison: 'BELOW',
      threshold: 5,
      sustain: { seconds: 20 },
    };
    const [times, values] = series([30, 2, 1, 0, 30, 2, 30]);
    // t=10..30 s: 20 s below 5 fps; the lone 2 at t=50 s is too short.
    expect(detectIncidents(times, values, freeze, 30_000)).toEqual([
      { kind: 'FREEZE', startMs: 10_000, endMs: 40_000, peak: 0, threshold: 5 },
    ]);
  });

  it('ends an incident at its last bad sample when the data breaks off or ends', () => {
    const [times, values] = series(
      [500, 500, 500, 100, 700, 700, 700],
      [0, 10_000, 20_000, 200_000, 210_000, 220_000, 230_000],
    );
    expect(detectIncidents(times, values, HIGH_RTT, 30_000)).toEqual([
      { kind: 'HIGH_RTT', startMs: 0, endMs: 20_000, peak: 500, threshold: 400 },
      { kind: 'HIGH_RTT', startMs: 210_000, endMs: 230_000, peak: 700, threshold: 400 },
    ]);
  });
});
