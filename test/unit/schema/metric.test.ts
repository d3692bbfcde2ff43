import { beforeEach, describe, expect, it } from 'vitest';
import { expectedStreams } from '../../helpers/expected-streams.js';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pastRange } from '../../helpers/test-gateway.js';

const harness = createInProcessGateway();
beforeEach(() => harness.upstream.resetCalls());

const range = pastRange(1);

async function upStream<T>(selection: string, room = 'room1'): Promise<T> {
  const response = await harness.query<{ callQuality: Array<{ streams: T[] }> }>(
    `query ($room: ID!, $from: DateTime!, $to: DateTime!) {
      callQuality(appId: "app1", roomId: $room, userIds: ["alice"], from: $from, to: $to) {
        streams(direction: UP) { ${selection} }
      }
    }`,
    { room, ...range },
  );
  expect(response.errors).toBeUndefined();
  const stream = response.data?.callQuality[0]?.streams[0];
  if (stream === undefined) throw new Error('no UP stream for alice');
  return stream;
}

/** alice's raw UP points of one metric, straight from the simulator's generator. */
function rawPoints(name: string): Array<{ time: number; value: number }> {
  const up = expectedStreams({ appId: 'app1', roomId: 'room1', userId: 'alice', ...range }).find(
    (stream) => stream.direction === 'UP',
  );
  const metric = up?.metrics.find((candidate) => candidate.name === name);
  if (!metric) throw new Error(`alice has no ${name}`);
  return metric.series.times.map((time, index) => ({ time, value: metric.series.values[index] as number }));
}

/** The test's own reference: epoch-aligned buckets, reduced by hand. */
function bucketed(points: Array<{ time: number; value: number }>, stepSeconds: number) {
  const buckets = new Map<number, number[]>();
  for (const point of points) {
    const start = Math.floor(point.time / (stepSeconds * 1000)) * stepSeconds * 1000;
    buckets.set(start, [...(buckets.get(start) ?? []), point.value]);
  }
  return [...buckets.entries()];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * p;
  const low = Math.floor(h);
  const lowValue = sorted[low] as number;
  return lowValue + (h - low) * ((sorted[Math.min(low + 1, sorted.length - 1)] as number) - lowValue);
}

describe('metric projection and downsampling', () => {
  it('metrics(names) returns only the named metrics, in upstream order', async () => {
    const stream = await upStream<{ metrics: Array<{ name: string }> }>(
      'metrics(names: ["Rtt", "nope"]) { name }',
    );
    expect(stream.metrics.map((metric) => metric.name)).toEqual(['Rtt']);
    const all = await upStream<{ metrics: Array<{ name: string }> }>('metrics { name }');
    expect(all.metrics.length).toBeGreaterThan(1);
  });

  it('metric(name) is null for an unknown name', async () => {
    const stream = await upStream<{ metric: null }>('metric(name: "NoSuchMetric") { name }');
    expect(stream.metric).toBeNull();
  });

  it.each([
    ['AVG', (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length],
    ['MIN', (values: number[]) => Math.min(...values)],
    ['MAX', (values: number[]) => Math.max(...values)],
    ['LAST', (values: number[]) => values.at(-1) as number],
    ['P95', (values: number[]) => percentile(values, 0.95)],
  ] as const)(
    'points(step: 300, aggregate: %s) equal the hand-computed buckets',
    async (aggregate, reduce) => {
      const stream = await upStream<{ metric: { points: Array<{ time: string; value: number }> } }>(
        `metric(name: "VideoSendBitrate") { points(step: 300, aggregate: ${aggregate}) { time value } }`,
      );
      const expected = bucketed(rawPoints('VideoSendBitrate'), 300).map(([start, values]) => ({
        time: new Date(start).toISOString(),
        value: reduce(values),
      }));
      expect(stream.metric.points).toHaveLength(expected.length);
      stream.metric.points.forEach((point, index) => {
        expect(point.time).toBe(expected[index]?.time);
        expect(point.value).toBeCloseTo(expected[index]?.value as number, 9);
      });
    },
  );

  it('series and summary agree with the raw points', async () => {
    const stream = await upStream<{
      metric: {
        series: { times: number[]; values: number[] };
        summary: {
          count: number;
          min: number;
          max: number;
          avg: number;
          p50: number;
          p95: number;
          last: number;
        };
      };
    }>('metric(name: "Rtt") { series { times values } summary { count min max avg p50 p95 last } }');
    const raw = rawPoints('Rtt');
    const values = raw.map((point) => point.value);
    expect(stream.metric.series).toEqual({ times: raw.map((point) => point.time), values });
    expect(stream.metric.summary.count).toBe(values.length);
    expect(stream.metric.summary.min).toBe(Math.min(...values));
    expect(stream.metric.summary.max).toBe(Math.max(...values));
    expect(stream.metric.summary.last).toBe(values.at(-1));
    expect(stream.metric.summary.avg).toBeCloseTo(
      values.reduce((sum, value) => sum + value, 0) / values.length,
      9,
    );
    expect(stream.metric.summary.p50).toBeCloseTo(percentile(values, 0.5), 9);
    expect(stream.metric.summary.p95).toBeCloseTo(percentile(values, 0.95), 9);
  });

  it('serves other metrics, steps and aggregates of a fetched window with no further upstream call', async () => {
    await upStream('metric(name: "Rtt") { points { value } }', 'projection-room');
    expect(harness.upstream.calls).toHaveLength(1);

    const other = await upStream<{ a: Array<{ name: string }>; b: { series: { times: number[] } } }>(
      `a: metrics(names: ["Jitter"]) { name } b: metric(name: "VideoSendBitrate") { series(step: 60, aggregate: MAX) { times } }
       c: metric(name: "Rtt") { summary { avg } points(step: 600, aggregate: P95) { value } }`,
      'projection-room',
    );
    expect(other.a).toEqual([{ name: 'Jitter' }]);
    expect(other.b.series.times.length).toBeGreaterThan(0);
    expect(harness.upstream.calls).toHaveLength(1);
  });

  it('rejects a step out of range with BAD_USER_INPUT naming step', async () => {
    const response = await harness.query(
      `query ($from: DateTime!, $to: DateTime!) {
        callQuality(appId: "app1", roomId: "room1", userIds: ["alice"], from: $from, to: $to) {
          streams { metrics { points(step: 0) { value } } }
        }
      }`,
      range,
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'step' });
  });
});
