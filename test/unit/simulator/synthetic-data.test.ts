import { describe, expect, it } from 'vitest';
import { roomPublishers } from '../../../src/simulator/episodes.js';
import { generateUserCallDetail } from '../../../src/simulator/synthetic-data.js';
import { HOUR_MS, NOW } from '../../helpers/signed-get.js';
import { base, candidates, hasGap, START, timesOf } from '../../helpers/synthetic-data-fixture.js';

/** Values of each metric over 8 hours of ten users' streams, per stream, to check ranges and episodes. */
const dayOfValues = (() => {
  const cache = new Map<string, (name: string) => number[][]>();
  return (direction: 'up' | 'down') => {
    const cached = cache.get(direction);
    if (cached !== undefined) return cached;
    const streams = candidates.slice(0, 10).flatMap((userId) =>
      Array.from({ length: 8 }, (_, hour) =>
        generateUserCallDetail({
          ...base,
          userId,
          startMs: NOW - 26 * HOUR_MS + hour * HOUR_MS,
          endMs: NOW - 25 * HOUR_MS + hour * HOUR_MS - 10_000,
          direction: direction === 'up' ? 1 : 2,
        }),
      ).flat(),
    );
    const valuesOf = (name: string) =>
      streams.map(
        (stream) => stream.CallDetail.find((detail) => detail.Name === name)?.Data.map((p) => p.Value) ?? [],
      );
    cache.set(direction, valuesOf);
    return valuesOf;
  };
})();

describe('generateUserCallDetail', () => {
  it('is a pure function of its arguments', () => {
    expect(generateUserCallDetail({ ...base, userId: 'u1' })).toEqual(
      generateUserCallDetail({ ...base, userId: 'u1' }),
    );
  });

  it('includes both ends of the range and starts at the first multiple of the interval', () => {
    const alwaysThere = candidates.find(
      (userId) => timesOf(generateUserCallDetail({ ...base, userId })[0]).length === 361,
    );
    expect(alwaysThere).toBeDefined();
    const userId = alwaysThere ?? '';
    expect(timesOf(generateUserCallDetail({ ...base, userId })[0])).toEqual(
      Array.from({ length: 361 }, (_, index) => START + index * 10_000),
    );
    const unaligned = timesOf(
      generateUserCallDetail({ ...base, userId, startMs: START + 5000, sampleIntervalMs: 5000 })[0],
    );
    expect(unaligned[0]).toBe(START + 5000);
    expect(unaligned[1]).toBe(START + 10_000);
  });

  it('filters by direction: 1 is the up entry, 2 the down entries', () => {
    const both = generateUserCallDetail({ ...base, userId: 'u1' });
    expect(generateUserCallDetail({ ...base, userId: 'u1', direction: 1 })).toEqual(
      both.filter((entry) => entry.Direction === 'up'),
    );
    expect(generateUserCallDetail({ ...base, userId: 'u1', direction: 2 })).toEqual(
      both.filter((entry) => entry.Direction === 'down'),
    );
  });

  it('gives a publisher no down entry from itself', () => {
    const peers = generateUserCallDetail({ ...base, userId: 'host', direction: 2 }).map(
      (entry) => entry.PeerId,
    );
    expect(peers).not.toContain('host');
    expect(peers.length).toBeGreaterThan(0);
    expect(roomPublishers('app1', 'room1')).toContain('host');
  });

  it('gives invalid and absent... ids nothing', () => {
    for (const userId of ['absent', 'absent-user', 'bad id', '', 'x'.repeat(129)]) {
      expect(generateUserCallDetail({ ...base, userId }), userId).toEqual([]);
    }
  });

  it('leaves gaps where some users were away, and none for most', () => {
    const upTimes = candidates.map((userId) =>
      timesOf(generateUserCallDetail({ ...base, userId, direction: 1 })[0]),
    );
    const withGaps = upTimes.filter((times) => hasGap(times, 10_000)).length;
    const complete = upTimes.filter((times) => times.length === 361).length;
    expect(withGaps).toBeGreaterThan(0);
    expect(complete).toBeGreaterThan(candidates.length / 2);
  });

  it('gives a user away for the whole range no entries at all', () => {
    const tenMinutes = { startMs: START, endMs: START + 10 * 60_000 - 10_000 };
    const away = candidates.filter(
      (userId) => generateUserCallDetail({ ...base, ...tenMinutes, userId }).length === 0,
    );
    expect(away.length).toBeGreaterThan(0);
    const awayUser = away[0] ?? '';
    // The same user has data elsewhere: being away is an episode, not a property of the id.
    expect(
      generateUserCallDetail({
        ...base,
        startMs: START - 6 * HOUR_MS,
        endMs: START - 5 * HOUR_MS,
        userId: awayUser,
      }).length,
    ).toBeGreaterThan(0);
  });

  it('produces realistic values', () => {
    const up = dayOfValues('up');
    const down = dayOfValues('down');
    const all = (values: number[][]) => values.flat();
    expect(all(up('UpPacketLossRate')).every((value) => value >= 0 && value <= 100)).toBe(true);
    expect(all(down('DownPacketLossRate')).every((value) => value >= 0 && value <= 100)).toBe(true);
    expect(all(up('VideoSendFrameRate')).every((value) => value > 0 && value <= 30)).toBe(true);
    expect(all(up('AudioSendBitrate')).every((value) => value >= 16 && value <= 70)).toBe(true);
    expect(all(down('Rtt')).every((value) => value >= 10 && value <= 1000)).toBe(true);
    expect(all(down('VideoStallDuration')).every((value) => value >= 0 && value <= 10_000)).toBe(true);
  });

  it('has loss spikes that cut the bitrate, and stalls that stop the video', () => {
    const up = dayOfValues('up');
    const loss = up('UpPacketLossRate');
    const bitrate = up('VideoSendBitrate');
    const spiking = loss.flatMap((values, stream) =>
      values.flatMap((value, index) => (value >= 8 ? [bitrate[stream]?.[index] ?? Number.NaN] : [])),
    );
    const calm = loss.flatMap((values, stream) =>
      values.flatMap((value, index) => (value < 1 ? [bitrate[stream]?.[index] ?? Number.NaN] : [])),
    );
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(spiking.length).toBeGreaterThan(0);
    expect(mean(spiking)).toBeLessThan(mean(calm) * 0.6);

    const down = dayOfValues('down');
    const frameRates = down('VideoRecvFrameRate');
    const stalls = down('VideoStallDuration');
    const stalled = frameRates.flatMap((values, stream) =>
      values.flatMap((value, index) => (value < 2 ? [stalls[stream]?.[index] ?? 0] : [])),
    );
    expect(stalled.length).toBeGreaterThan(0);
    expect(stalled.every((stall) => stall >= 3000)).toBe(true);
  });
});
