/**
 * What the unit tests' fake ListCallDetail answers: for each queried user, an `up` stream and a `down` stream
 * (from `host`) as the query's direction asks, each with one `Rtt` point every 10 s in [startMs, endMs) up to
 * 100 s before now (the upstream's latency), valued by `valueAt`.
 */
import type { CallDetailQuery, StreamDetail, StreamDirection } from '../../src/model/call-detail.js';

export const RTT_SAMPLE_MS = 10_000;
export const RTT_LATENCY_MS = 100_000;

export function rttStreams(
  query: CallDetailQuery,
  nowMs: number,
  valueAt: (userId: string, direction: StreamDirection, timeMs: number) => number,
): StreamDetail[] {
  const lastMs = Math.min(query.endMs - 1, nowMs - RTT_LATENCY_MS);
  const times: number[] = [];
  for (let t = Math.ceil(query.startMs / RTT_SAMPLE_MS) * RTT_SAMPLE_MS; t <= lastMs; t += RTT_SAMPLE_MS) {
    times.push(t);
  }
  const directions: StreamDirection[] = query.direction === 0 ? ['up', 'down'] : [];
  if (query.direction === 1) directions.push('up');
  if (query.direction === 2) directions.push('down');
  return query.userIds.flatMap((userId) =>
    directions.map((direction) => ({
      userId,
      direction,
      peerId: direction === 'up' ? null : 'host',
      metrics: [
        {
          name: 'Rtt',
          description: 'round trip time',
          unit: 'ms',
          times: Float64Array.from(times),
          values: Float64Array.from(times, (t) => valueAt(userId, direction, t)),
        },
      ],
    })),
  );
}
