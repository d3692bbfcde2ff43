import { describe, expect, it } from 'vitest';
import type { MetricSeries, StreamDetail } from '../../../src/model/call-detail.js';
import { findMetric, selectMetrics, selectStreams } from '../../../src/resolvers/projection.js';

function metric(name: string): MetricSeries {
  return { name, description: '', unit: '', times: new Float64Array(), values: new Float64Array() };
}

const up: StreamDetail = { userId: 'u1', direction: 'up', peerId: null, metrics: [] };
const fromP1: StreamDetail = { userId: 'u1', direction: 'down', peerId: 'p1', metrics: [] };
const fromP2: StreamDetail = { userId: 'u1', direction: 'down', peerId: 'p2', metrics: [] };
const streams = [fromP1, up, fromP2];

describe('selectStreams', () => {
  it('returns every stream, in order, without filters', () => {
    expect(selectStreams(streams, {})).toBe(streams);
    expect(selectStreams(streams, { direction: null, peerId: null })).toBe(streams);
  });

  it('filters by direction', () => {
    expect(selectStreams(streams, { direction: 'down' })).toEqual([fromP1, fromP2]);
    expect(selectStreams(streams, { direction: 'up' })).toEqual([up]);
  });

  it('filters by peer, which excludes UP streams', () => {
    expect(selectStreams(streams, { peerId: 'p2' })).toEqual([fromP2]);
    expect(selectStreams(streams, { direction: 'up', peerId: 'p2' })).toEqual([]);
    expect(selectStreams(streams, { peerId: 'nobody' })).toEqual([]);
  });
});

describe('selectMetrics', () => {
  const metrics = [metric('bitrate'), metric('loss'), metric('rtt')];

  it('returns all metrics when no names are given', () => {
    expect(selectMetrics(metrics)).toBe(metrics);
    expect(selectMetrics(metrics, null)).toBe(metrics);
  });

  it('keeps upstream order whatever the order of names, and skips unknown names', () => {
    const names = selectMetrics(metrics, ['rtt', 'unknown', 'bitrate', 'rtt']).map((m) => m.name);
    expect(names).toEqual(['bitrate', 'rtt']);
  });

  it('returns nothing for an empty list of names', () => {
    expect(selectMetrics(metrics, [])).toEqual([]);
  });

  it('finds one metric by name, or null', () => {
    expect(findMetric(metrics, 'loss')).toBe(metrics[1]);
    expect(findMetric(metrics, 'jitter')).toBeNull();
  });
});
