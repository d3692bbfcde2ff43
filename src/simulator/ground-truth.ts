/**
 * What the simulator knows and its data only shows: the episodes of one stream over a range, as intervals,
 * so tests and the benchmark can score what the gateway detects against the truth. Built from the same
 * per-block decisions as the data (episodes.ts), so the two cannot drift apart.
 */
import { absenceOf, BLOCK_MS, type BlockIntervals, lossBurstsOf, rttSpikesOf, stallsOf } from './episodes.js';

/** `ABSENT`: the stream has no data (its user, or for DOWN its sender, is away). */
export type EpisodeKind = 'LOSS_BURST' | 'RTT_SPIKE' | 'STALL' | 'ABSENT';

export interface Episode {
  readonly kind: EpisodeKind;
  /** Unix ms, inclusive. */
  readonly startMs: number;
  /** Unix ms, exclusive. */
  readonly endMs: number;
}

export interface SimulatedStream {
  readonly appId: string;
  readonly roomId: string;
  readonly userId: string;
  readonly direction: 'up' | 'down';
  /** The sender, for `down`. */
  readonly peerId?: string;
}

/** The stream's episodes that overlap [fromMs, toMs), whole (not cut at the range), by start then kind. */
export function streamEpisodes(stream: SimulatedStream, fromMs: number, toMs: number): Episode[] {
  const { appId, roomId, userId, direction, peerId } = stream;
  const sources: Array<[EpisodeKind, BlockIntervals]> = [['ABSENT', absenceOf(appId, roomId, userId)]];
  if (direction === 'up') {
    const key = [appId, roomId, userId, 'up'];
    sources.push(['LOSS_BURST', lossBurstsOf(key)], ['RTT_SPIKE', rttSpikesOf(key)]);
  } else {
    if (peerId === undefined) throw new Error('a down stream names its sender');
    const key = [appId, roomId, userId, 'down', peerId];
    sources.push(
      ['ABSENT', absenceOf(appId, roomId, peerId)],
      ['LOSS_BURST', lossBurstsOf(key)],
      // Loss on the sender's uplink reaches every receiver of that sender.
      ['LOSS_BURST', lossBurstsOf([appId, roomId, peerId, 'up'])],
      ['RTT_SPIKE', rttSpikesOf(key)],
      ['STALL', stallsOf(key)],
    );
  }
  const episodes: Episode[] = [];
  for (let block = Math.floor(fromMs / BLOCK_MS); block * BLOCK_MS < toMs; block += 1) {
    for (const [kind, intervalOf] of sources) {
      const interval = intervalOf(block);
      if (interval === null || interval.endMs <= interval.startMs) continue;
      if (interval.startMs < toMs && interval.endMs > fromMs) episodes.push({ kind, ...interval });
    }
  }
  return episodes.sort((a, b) => a.startMs - b.startMs || a.kind.localeCompare(b.kind));
}
