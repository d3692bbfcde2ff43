/**
 * The simulator's ground truth against its own data: inside each listed episode the stream's metrics are
 * clearly beyond the default rules' thresholds, outside every episode of that kind clearly within them (the
 * clear bounds), and the stream has data exactly where no ABSENT episode is.
 */
import { describe, expect, it } from 'vitest';
import { roomPublishers } from '../../../src/simulator/episodes.js';
import { type Episode, streamEpisodes } from '../../../src/simulator/ground-truth.js';
import { generateUserCallDetail } from '../../../src/simulator/synthetic-data.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const HOUR_MS = 60 * 60 * 1000;
const FROM = NOW - 4 * HOUR_MS;
const TO = FROM + HOUR_MS;

const inKind = (episodes: readonly Episode[], kind: Episode['kind'], timeMs: number) =>
  episodes.some((episode) => episode.kind === kind && timeMs >= episode.startMs && timeMs < episode.endMs);

describe('streamEpisodes', () => {
  it('lists where the data is in trouble and where it is missing, and nothing else', () => {
    const seen = new Map<Episode['kind'], number>();
    let samples = 0;
    for (let room = 0; room < 6; room += 1) {
      const roomId = `truth-${room}`;
      for (const userId of [roomPublishers('app1', roomId)[1] ?? 'host', `listener-${room}`]) {
        const entries = generateUserCallDetail({
          appId: 'app1',
          roomId,
          userId,
          startMs: FROM,
          endMs: TO - 1,
          direction: 0,
          sampleIntervalMs: 10_000,
          nowMs: NOW,
        });
        for (const entry of entries) {
          const direction = entry.Direction;
          const stream = { appId: 'app1', roomId, userId, direction, peerId: entry.PeerId };
          const episodes = streamEpisodes(stream, FROM, TO);
          for (const episode of episodes) seen.set(episode.kind, (seen.get(episode.kind) ?? 0) + 1);
          const valuesOf = (suffix: string) =>
            entry.CallDetail.find((detail) => detail.Name.endsWith(suffix))?.Data ?? [];
          const rtt = valuesOf('Rtt');
          const expectedTimes = Array.from({ length: HOUR_MS / 10_000 }, (_, i) => FROM + i * 10_000).filter(
            (time) => !inKind(episodes, 'ABSENT', time),
          );
          expect(rtt.map((point) => point.Time)).toEqual(expectedTimes);
          samples += rtt.length;
          for (const { Time, Value } of rtt) {
            if (inKind(episodes, 'RTT_SPIKE', Time)) expect(Value).toBeGreaterThan(400);
            else expect(Value).toBeLessThanOrEqual(350);
          }
          for (const { Time, Value } of valuesOf('PacketLossRate')) {
            if (inKind(episodes, 'LOSS_BURST', Time)) expect(Value).toBeGreaterThan(5);
            else expect(Value).toBeLessThanOrEqual(3);
          }
          for (const { Time, Value } of valuesOf('VideoStallDuration')) {
            if (inKind(episodes, 'STALL', Time)) expect(Value).toBeGreaterThan(2000);
            else expect(Value).toBeLessThanOrEqual(2000);
          }
        }
      }
    }
    expect(samples).toBeGreaterThan(10_000);
    expect([...seen.keys()].sort()).toEqual(['ABSENT', 'LOSS_BURST', 'RTT_SPIKE', 'STALL']);
  });

  it('gives every episode of a block whole, however the range cuts it', () => {
    const stream = { appId: 'app1', roomId: 'truth-0', userId: 'host', direction: 'up' as const };
    const whole = streamEpisodes(stream, FROM, TO);
    const halves = [
      ...streamEpisodes(stream, FROM, FROM + HOUR_MS / 2),
      ...streamEpisodes(stream, FROM + HOUR_MS / 2, TO),
    ];
    expect(new Set(halves.map((episode) => JSON.stringify(episode)))).toEqual(
      new Set(whole.map((episode) => JSON.stringify(episode))),
    );
  });
});
