import { describe, expect, it } from 'vitest';
import { DEFAULT_METRIC_ROLES } from '../../../../src/config/metric-roles.js';
import type { MetricSeries, StreamDetail } from '../../../../src/model/call-detail.js';
import { inputSeries } from '../../../../src/resolvers/insights/role-metric.js';

const metric = (name: string, unit: string, times: number[], values: number[]): MetricSeries => ({
  name,
  description: name,
  unit,
  times: Float64Array.from(times),
  values: Float64Array.from(values),
});

const stream = (metrics: MetricSeries[]): StreamDetail => ({
  userId: 'u',
  direction: 'down',
  peerId: 'p',
  metrics,
});

describe('inputSeries', () => {
  it('reads a loss metric without a % unit as a fraction, in percent', () => {
    const lookup = inputSeries(
      stream([metric('fraction_lost', '', [0, 10], [0.01, 0.25])]),
      { role: 'PACKET_LOSS' },
      DEFAULT_METRIC_ROLES,
    );
    expect(lookup).toEqual({
      series: { times: Float64Array.from([0, 10]), values: Float64Array.from([1, 25]) },
    });
  });

  it('computes MOS only where RTT, jitter and loss share an instant, and names what is missing', () => {
    const full = stream([
      metric('Rtt', 'ms', [0, 10, 20], [100, 100, 100]),
      metric('Jitter', 'ms', [0, 20], [10, 10]),
      metric('DownPacketLossRate', '%', [0, 10, 20], [1, 1, 1]),
    ]);
    const lookup = inputSeries(full, { mos: true }, DEFAULT_METRIC_ROLES);
    expect('series' in lookup && [...lookup.series.times]).toEqual([0, 20]);
    expect('series' in lookup && lookup.series.values[0]).toBeCloseTo(4.3142, 4);
    expect(inputSeries(stream([metric('Rtt', 'ms', [0], [1])]), { mos: true }, DEFAULT_METRIC_ROLES)).toEqual(
      {
        missing: ['JITTER', 'PACKET_LOSS'],
      },
    );
  });
});
