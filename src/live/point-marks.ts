/**
 * What a room's poller has already delivered, per stream and metric: the time of the latest point sent. The
 * upstream fills each series in time order (late by up to ~100 s, never out of order within a series), so one
 * instant per series tells new points from those already sent, without remembering the points themselves.
 */
import type { MetricSeries, StreamDetail } from '../model/call-detail.js';
import { lowerBound, upperBound } from '../model/sorted-times.js';

/** Per metric of one user's streams, the time of the latest point delivered. */
export type PointMarks = Map<string, number>;

function seriesKey(stream: StreamDetail, metric: MetricSeries): string {
  return JSON.stringify([stream.direction, stream.peerId, metric.name]);
}

function slice(metric: MetricSeries, start: number, end: number): MetricSeries {
  if (start === 0 && end === metric.times.length) return metric;
  return { ...metric, times: metric.times.subarray(start, end), values: metric.values.subarray(start, end) };
}

/** Keeps, per metric, the points of the index range `range` gives; drops metrics, then streams, left empty. */
function cut(
  streams: readonly StreamDetail[],
  range: (key: string, times: Float64Array) => readonly [number, number],
): StreamDetail[] {
  const kept: StreamDetail[] = [];
  for (const stream of streams) {
    const metrics: MetricSeries[] = [];
    for (const metric of stream.metrics) {
      const [start, end] = range(seriesKey(stream, metric), metric.times);
      if (end > start) metrics.push(slice(metric, start, end));
    }
    if (metrics.length > 0) kept.push({ ...stream, metrics });
  }
  return kept;
}

/** The points later than their series' mark, the marks moved to the latest of them. */
export function takeNewPoints(streams: readonly StreamDetail[], marks: PointMarks): StreamDetail[] {
  return cut(streams, (key, times) => {
    const mark = marks.get(key);
    const start = mark === undefined ? 0 : upperBound(times, mark);
    if (start < times.length) marks.set(key, times[times.length - 1] as number);
    return [start, times.length];
  });
}

/**
 * What a subscriber joining between two polls may be sent of `streams` without the next poll sending it again:
 * the points before `tailFromMs` (which the next poll does not look at, and which can no longer change), and the
 * points the marks say were delivered. The rest comes with the next poll, as it does to every other subscriber.
 */
export function deliveredPoints(
  streams: readonly StreamDetail[],
  marks: PointMarks,
  tailFromMs: number,
): StreamDetail[] {
  return cut(streams, (key, times) => {
    const mark = marks.get(key);
    const beforeTail = lowerBound(times, tailFromMs);
    return [0, mark === undefined ? beforeTail : Math.max(beforeTail, upperBound(times, mark))];
  });
}

/** The points at or after `fromMs`: what of a poll's tail lies inside a window shorter than the tail. */
export function pointsFrom(streams: readonly StreamDetail[], fromMs: number): StreamDetail[] {
  return cut(streams, (_key, times) => [lowerBound(times, fromMs), times.length]);
}
