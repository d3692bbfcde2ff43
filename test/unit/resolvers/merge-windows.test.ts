import { describe, expect, it } from 'vitest';
import type { MetricSeries, StreamDetail, StreamDirection } from '../../../src/model/call-detail.js';
import { canonicalSeries, mergeWindowStreams } from '../../../src/resolvers/merge-windows.js';

function metric(name: string, points: ReadonlyArray<readonly [number, number]>, unit = 'kbps'): MetricSeries {
  return {
    name,
    description: `${name} description`,
    unit,
    times: Float64Array.from(points, ([time]) => time),
    values: Float64Array.from(points, ([, value]) => value),
  };
}

function stream(direction: StreamDirection, peerId: string | null, metrics: MetricSeries[]): StreamDetail {
  return { userId: 'u1', direction, peerId, metrics };
}

/** Streams as plain data, so a failure shows which points differ. */
function plain(streams: readonly StreamDetail[]) {
  return streams.map((s) => ({
    direction: s.direction,
    peerId: s.peerId,
    metrics: s.metrics.map((m) => ({ name: m.name, times: [...m.times], values: [...m.values] })),
  }));
}

describe('mergeWindowStreams', () => {
  it('concatenates windows in time order and drops the shared edge point', () => {
    const windows = [
      [
        stream('up', null, [
          metric('bitrate', [
            [0, 1],
            [1000, 2],
            [2000, 3],
          ]),
        ]),
      ],
      [
        stream('up', null, [
          metric('bitrate', [
            [2000, 30],
            [3000, 4],
            [4000, 5],
          ]),
        ]),
      ],
    ];
    expect(plain(mergeWindowStreams(windows, 0, 5000))).toEqual([
      {
        direction: 'up',
        peerId: null,
        metrics: [{ name: 'bitrate', times: [0, 1000, 2000, 3000, 4000], values: [1, 2, 3, 4, 5] }],
      },
    ]);
  });

  it('clips to [from, to): keeps a point at from, drops a point at to', () => {
    const windows = [
      [
        stream('up', null, [
          metric('rtt', [
            [9000, 1],
            [10_000, 2],
            [11_000, 3],
          ]),
        ]),
      ],
      [
        stream('up', null, [
          metric('rtt', [
            [11_000, 3],
            [12_000, 4],
            [13_000, 5],
          ]),
        ]),
      ],
    ];
    const [merged] = plain(mergeWindowStreams(windows, 10_000, 13_000));
    expect(merged?.metrics).toEqual([{ name: 'rtt', times: [10_000, 11_000, 12_000], values: [2, 3, 4] }]);
  });

  it('serves a range that only a later window reaches', () => {
    const windows = [
      [
        stream('up', null, [
          metric('rtt', [
            [0, 1],
            [1000, 2],
          ]),
        ]),
      ],
      [
        stream('up', null, [
          metric('rtt', [
            [1000, 2],
            [2000, 3],
            [3000, 4],
          ]),
        ]),
      ],
    ];
    const [merged] = plain(mergeWindowStreams(windows, 1500, 3000));
    expect(merged?.metrics).toEqual([{ name: 'rtt', times: [2000], values: [3] }]);
  });

  it('matches streams by direction and peer, in first-appearance order, and metrics by name, in upstream order', () => {
    const windows = [
      [
        stream('down', 'p2', [metric('loss', [[0, 0.1]])]),
        stream('up', null, [metric('bitrate', [[0, 100]])]),
      ],
      [
        stream('up', null, [metric('fps', [[3600_000, 25]]), metric('bitrate', [[3600_000, 200]])]),
        stream('down', 'p1', [metric('loss', [[3600_000, 0.3]])]),
        stream('down', 'p2', [metric('loss', [[3600_000, 0.2]])]),
      ],
    ];
    expect(plain(mergeWindowStreams(windows, 0, 7200_000))).toEqual([
      {
        direction: 'down',
        peerId: 'p2',
        metrics: [{ name: 'loss', times: [0, 3600_000], values: [0.1, 0.2] }],
      },
      {
        direction: 'up',
        peerId: null,
        // The second window lists fps before bitrate: that is the upstream's order.
        metrics: [
          { name: 'fps', times: [3600_000], values: [25] },
          { name: 'bitrate', times: [0, 3600_000], values: [100, 200] },
        ],
      },
      { direction: 'down', peerId: 'p1', metrics: [{ name: 'loss', times: [3600_000], values: [0.3] }] },
    ]);
  });

  it('keeps the description and unit of the first appearance, and the user id', () => {
    const windows = [
      [stream('up', null, [metric('bitrate', [[0, 1]], 'kbps')])],
      [stream('up', null, [metric('bitrate', [[1000, 2]], 'bps')])],
    ];
    const [merged] = mergeWindowStreams(windows, 0, 2000);
    expect(merged?.userId).toBe('u1');
    expect(merged?.metrics[0]?.unit).toBe('kbps');
    expect(merged?.metrics[0]?.description).toBe('bitrate description');
  });

  it('drops metrics left without points, then streams left without metrics', () => {
    const windows = [
      [
        stream('up', null, [metric('bitrate', [[500, 1]]), metric('fps', [[1500, 25]])]),
        stream('down', 'p1', [metric('loss', [[500, 0.1]])]),
        stream('down', 'p2', []),
      ],
    ];
    expect(plain(mergeWindowStreams(windows, 1000, 2000))).toEqual([
      { direction: 'up', peerId: null, metrics: [{ name: 'fps', times: [1500], values: [25] }] },
    ]);
  });

  it('gives no streams for a user without data in the range, or without any data', () => {
    const windows = [[stream('up', null, [metric('bitrate', [[0, 1]])])], []];
    expect(mergeWindowStreams(windows, 1000, 2000)).toEqual([]);
    expect(mergeWindowStreams([[], []], 0, 2000)).toEqual([]);
    expect(mergeWindowStreams([], 0, 2000)).toEqual([]);
  });

  it('reuses a single window that needs no clipping as is', () => {
    const only = stream('up', null, [
      metric('bitrate', [
        [0, 1],
        [1000, 2],
      ]),
    ]);
    const [merged] = mergeWindowStreams([[only]], 0, 2000);
    expect(merged).toBe(only);
  });

  it('clips a single window by views on the same memory, not copies', () => {
    const series = metric('bitrate', [
      [0, 1],
      [1000, 2],
      [2000, 3],
    ]);
    const [merged] = mergeWindowStreams([[stream('up', null, [series])]], 1000, 3000);
    const clipped = merged?.metrics[0];
    expect([...(clipped?.times ?? [])]).toEqual([1000, 2000]);
    expect([...(clipped?.values ?? [])]).toEqual([2, 3]);
    expect(clipped?.times.buffer).toBe(series.times.buffer);
    expect(clipped?.values.buffer).toBe(series.values.buffer);
  });

  it('does not modify its input', () => {
    const first = metric('bitrate', [
      [0, 1],
      [1000, 2],
    ]);
    const second = metric('bitrate', [
      [1000, 20],
      [2000, 3],
    ]);
    mergeWindowStreams([[stream('up', null, [first])], [stream('up', null, [second])]], 500, 1500);
    expect([...first.times, ...second.times]).toEqual([0, 1000, 1000, 2000]);
    expect([...first.values, ...second.values]).toEqual([1, 2, 20, 3]);
  });
});

describe('merging only what is read', () => {
  /** A metric whose `times` counts its reads: what finding its runs in the range costs. */
  function counted(name: string, points: ReadonlyArray<readonly [number, number]>) {
    const series = metric(name, points);
    const reads = { count: 0 };
    const counting: MetricSeries = {
      ...series,
      get times() {
        reads.count += 1;
        return series.times;
      },
    };
    return { counting, reads };
  }

  it('looks at one window of a metric no field reads, and merges it whole once read', () => {
    const windows = [0, 1, 2, 3].map((w) => {
      const asked = metric('Rtt', [
        [w * 1000, w],
        [w * 1000 + 500, w + 0.5],
      ]);
      return { asked, other: counted('Jitter', [[w * 1000 + 250, 10 * w]]) };
    });
    const merged = mergeWindowStreams(
      windows.map(({ asked, other }) => [stream('up', null, [asked, other.counting])]),
      250,
      3300,
    );
    const [rtt, jitter] = merged[0]?.metrics ?? [];
    expect([...(rtt?.times ?? [])]).toEqual([500, 1000, 1500, 2000, 2500, 3000]);
    // Every window of Jitter has a point in range: the first one found tells it is not empty.
    expect(windows.reduce((sum, { other }) => sum + other.reads.count, 0)).toBe(1);
    expect(jitter?.name).toBe('Jitter');
    expect([...(jitter?.values ?? [])]).toEqual([0, 10, 20, 30]);
  });

  it('drops a metric of several windows with no point in the range, reading no points', () => {
    const merged = mergeWindowStreams(
      [
        [stream('up', null, [metric('Rtt', [[1000, 1]]), metric('Jitter', [[0, 1]])])],
        [stream('up', null, [metric('Rtt', [[2000, 2]]), metric('Jitter', [[3000, 2]])])],
      ],
      500,
      2500,
    );
    expect(plain(merged)).toEqual([
      { direction: 'up', peerId: null, metrics: [{ name: 'Rtt', times: [1000, 2000], values: [1, 2] }] },
    ]);
  });
});

describe('metric order across windows', () => {
  it('places a metric first seen in a later window where the upstream lists it', () => {
    const series = (name: string, time: number) => ({
      name,
      description: name,
      unit: 'x',
      times: new Float64Array([time]),
      values: new Float64Array([1]),
    });
    const stream = (metrics: ReturnType<typeof series>[]) => ({
      userId: 'u',
      direction: 'up' as const,
      peerId: null,
      metrics,
    });
    const merged = mergeWindowStreams(
      [
        [stream([series('A', 10), series('C', 10)])],
        [stream([series('A', 20), series('B', 20), series('C', 20)])],
        [stream([series('Z', 30), series('A', 30)])],
      ],
      0,
      100,
    );
    expect(merged[0]?.metrics.map((metric) => metric.name)).toEqual(['Z', 'A', 'B', 'C']);
  });
  it('merges the same settled windows again with a new tail and a new range, as a poll does', () => {
    const settled = [
      stream('up', null, [
        metric('bitrate', [
          [0, 1],
          [1000, 2],
        ]),
      ]),
    ];
    const firstTail = [stream('up', null, [metric('bitrate', [[2000, 3]])])];
    const laterTail = [
      stream('up', null, [
        metric('bitrate', [
          [2000, 3],
          [3000, 4],
        ]),
      ]),
      stream('down', 'p1', [metric('loss', [[3000, 9]], '%')]),
    ];
    expect(plain(mergeWindowStreams([settled, firstTail], 0, 3000))).toEqual([
      {
        direction: 'up',
        peerId: null,
        metrics: [{ name: 'bitrate', times: [0, 1000, 2000], values: [1, 2, 3] }],
      },
    ]);
    // The first window is the same list; what follows it, and the range, are not.
    expect(plain(mergeWindowStreams([settled, laterTail], 1000, 4000))).toEqual([
      {
        direction: 'up',
        peerId: null,
        metrics: [{ name: 'bitrate', times: [1000, 2000, 3000], values: [2, 3, 4] }],
      },
      { direction: 'down', peerId: 'p1', metrics: [{ name: 'loss', times: [3000], values: [9] }] },
    ]);
    expect(plain(mergeWindowStreams([settled, firstTail], 0, 3000))[0]?.metrics[0]?.times).toEqual([
      0, 1000, 2000,
    ]);
  });
  it('answers a range keeping the same points with the last merge, and one moved past a point anew', () => {
    const windows = [
      [
        stream('up', null, [
          metric('Rtt', [
            [0, 1],
            [1000, 2],
          ]),
        ]),
        stream('down', 'p', [metric('Loss', [[500, 7]], '%')]),
      ],
      [
        stream('up', null, [
          metric('Rtt', [
            [2000, 3],
            [3000, 4],
          ]),
        ]),
      ],
    ];
    const first = mergeWindowStreams(windows, 0, 3500);
    const same = mergeWindowStreams(windows, -200, 3999);
    expect(same).toEqual(first);
    for (const [i, merged] of same.entries()) expect(merged).toBe(first[i]);
    // Past the DOWN stream's only point: that stream goes, whichever metric the point was of.
    const later = mergeWindowStreams(windows, 501, 3999);
    expect(plain(later)).toEqual([
      {
        direction: 'up',
        peerId: null,
        metrics: [{ name: 'Rtt', times: [1000, 2000, 3000], values: [2, 3, 4] }],
      },
    ]);
    // And an end moved before a point drops it.
    expect(plain(mergeWindowStreams(windows, 501, 3000))[0]?.metrics[0]?.times).toEqual([1000, 2000]);
  });

  it('gives every range keeping the same points one merged series object, and another range its own', () => {
    const windows = [
      [
        stream('up', null, [
          metric('Rtt', [
            [0, 1],
            [1000, 2],
          ]),
        ]),
      ],
      [
        stream('up', null, [
          metric('Rtt', [
            [2000, 3],
            [3000, 4],
          ]),
        ]),
      ],
    ];
    const rttOver = (fromMs: number, toMs: number) => {
      const series = mergeWindowStreams(windows, fromMs, toMs)[0]?.metrics[0];
      if (series === undefined) throw new Error('no Rtt');
      return canonicalSeries(series);
    };
    const first = rttOver(0, 3500);
    expect(rttOver(-500, 3999)).toBe(first);
    const later = rttOver(500, 3999);
    expect(later).not.toBe(first);
    expect([...later.times]).toEqual([1000, 2000, 3000]);
    expect([...first.times]).toEqual([0, 1000, 2000, 3000]);
    expect(rttOver(501, 3001)).toBe(later);
  });
});
