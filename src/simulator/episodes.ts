/**
 * Who is in a simulated room when, and when its streams suffer. Every answer is a pure function of the
 * identifiers and the instant, decided per 10-minute block, so a value never depends on the query that asked
 * for it (other users in the call, how the range was split into windows).
 */
import { seedOf, unitHash } from './deterministic-hash.js';

/** Episodes are decided per block; 10 minutes gives a 1-hour window a handful of independent chances. */
const BLOCK_MS = 10 * 60 * 1000;

/** Publishers a room may have; a room gets the first two or all three. */
const PUBLISHER_NAMES = ['host', 'guest-1', 'guest-2'] as const;

/** Ids the upstream would accept; anything else is silently dropped, as the real API does. */
const VALID_USER_ID = /^[A-Za-z0-9_@.-]{1,128}$/;

/**
 * Whether an id is a participant of every room. Convention: ids starting with `absent` never joined any
 * room, so tests can ask for "a user not in the room" without knowing the data.
 */
export function isParticipant(userId: string): boolean {
  return VALID_USER_ID.test(userId) && !userId.startsWith('absent');
}

/** The users whose media everybody else in the room receives (one `down` stream each). */
export function roomPublishers(appId: string, roomId: string): readonly string[] {
  const count = unitHash(seedOf('publishers', appId, roomId)) < 0.5 ? 2 : 3;
  return PUBLISHER_NAMES.slice(0, count);
}

/** A predicate over instants (unix ms). */
export type TimePredicate = (timeMs: number) => boolean;

/**
 * When a participant is in the room. Most blocks they are there throughout; in a few they are away for the
 * whole block, join late, or leave early, which is what leaves gaps in real call data.
 */
export function presenceOf(appId: string, roomId: string, participantId: string): TimePredicate {
  const seed = seedOf('presence', appId, roomId, participantId);
  return (timeMs) => {
    const block = Math.floor(timeMs / BLOCK_MS);
    const draw = unitHash(seed, block);
    if (draw >= 0.06) return true;
    if (draw < 0.02) return false;
    const offsetMs = timeMs - block * BLOCK_MS;
    const cutMs = Math.floor(unitHash(seed, block, 1) * BLOCK_MS);
    return draw < 0.04 ? offsetMs >= cutMs : offsetMs < cutMs;
  };
}

/**
 * A recurring trouble episode of one stream: in each block, with probability `chance`, one stretch of
 * `minSeconds`..`maxSeconds` that lies wholly inside the block (so deciding it needs that block only).
 */
function episodeOf(seed: number, chance: number, minSeconds: number, maxSeconds: number): TimePredicate {
  return (timeMs) => {
    const block = Math.floor(timeMs / BLOCK_MS);
    if (unitHash(seed, block) >= chance) return false;
    const durationMs =
      (minSeconds + Math.floor(unitHash(seed, block, 1) * (maxSeconds - minSeconds + 1))) * 1000;
    const startMs = Math.floor(unitHash(seed, block, 2) * (BLOCK_MS - durationMs));
    const offsetMs = timeMs - block * BLOCK_MS;
    return offsetMs >= startMs && offsetMs < startMs + durationMs;
  };
}

/** Network trouble on a stream: loss up, bitrate down, for a minute or two. */
export function lossSpikeOf(streamKey: readonly string[]): TimePredicate {
  return episodeOf(seedOf('loss-spike', ...streamKey), 0.3, 60, 120);
}

/** A receiving-side freeze: frame rate near 0, stall durations up. */
export function stallOf(streamKey: readonly string[]): TimePredicate {
  return episodeOf(seedOf('stall', ...streamKey), 0.25, 15, 45);
}
