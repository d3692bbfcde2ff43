/**
 * What a user's streams must look like in a gateway response, computed from the simulator's own generator for
 * that user alone: the test's independent oracle for "the same data the upstream serves".
 */
import { generateUserCallDetail } from '../../src/simulator/synthetic-data.js';

export interface SeriesStream {
  direction: 'UP' | 'DOWN';
  peerId: string | null;
  metrics: Array<{ name: string; series: { times: number[]; values: number[] } }>;
}

export const SERIES_STREAMS_SELECTION =
  'streams { direction peerId metrics { name series { times values } } }';

export function expectedStreams(options: {
  appId: string;
  roomId: string;
  userId: string;
  fromMs: number;
  toMs: number;
  direction?: 0 | 1 | 2;
  sampleIntervalMs?: number;
}): SeriesStream[] {
  const entries = generateUserCallDetail({
    appId: options.appId,
    roomId: options.roomId,
    userId: options.userId,
    startMs: options.fromMs,
    endMs: options.toMs,
    direction: options.direction ?? 0,
    sampleIntervalMs: options.sampleIntervalMs ?? 10_000,
    nowMs: Date.now(),
  });
  return (
    entries
      .map((entry) => ({
        direction: entry.Direction === 'up' ? ('UP' as const) : ('DOWN' as const),
        peerId: entry.PeerId ?? null,
        metrics: entry.CallDetail.map((detail) => {
          // The gateway serves [from, to): the generator includes `to`, as the upstream does.
          const points = detail.Data.filter((point) => point.Time < options.toMs);
          return {
            name: detail.Name,
            series: { times: points.map((point) => point.Time), values: points.map((point) => point.Value) },
          };
        }).filter((metric) => metric.series.times.length > 0),
      }))
      .filter((stream) => stream.metrics.length > 0)
      // The gateway's documented order: UP first, then DOWN by peer id.
      .sort((a, b) => {
        if (a.direction !== b.direction) return a.direction === 'UP' ? -1 : 1;
        return (a.peerId ?? '') < (b.peerId ?? '') ? -1 : 1;
      })
  );
}

/** What an answer over a wider range holds of `[fromMs, toMs)`: the oracle for a narrower query of the same users. */
export function clipStreams<T extends { streams: SeriesStream[] }>(
  answer: readonly T[],
  fromMs: number,
  toMs: number,
): T[] {
  return answer.map((entry) => ({
    ...entry,
    streams: entry.streams
      .map((stream) => ({
        ...stream,
        metrics: stream.metrics
          .map(({ name, series }) => {
            const kept = series.times.flatMap((time, index) =>
              time >= fromMs && time < toMs ? [index] : [],
            );
            return {
              name,
              series: {
                times: kept.map((index) => series.times[index] as number),
                values: kept.map((index) => series.values[index] as number),
              },
            };
          })
          .filter((metric) => metric.series.times.length > 0),
      }))
      .filter((stream) => stream.metrics.length > 0),
  }));
}
