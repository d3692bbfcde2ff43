/**
 * Who is in a simulated room when, and when its streams suffer. Every answer is a pure function of the
 * identifiers and the instant, decided per 10-minute block, so a value never depends on the query that asked
 * for it (other users in the call, how the range was split into windows). The same intervals are listed as
 * ground truth by ground-truth.ts.
 */
import { seedOf, unitHash } from './deterministic-hash.js';

/** Episodes are decided per block; 10 minutes gives a 1-hour window a handful of independent chances. */
export const BLOCK_MS = 10 * 60 * 1000;

/** The most senders a room has: `host`, then `guest-1` to `guest-11`. */
export const MAX_ROOM_SENDERS = 12;

/** Ids the upstream would accept; anything else is silently dropped, as the real API does. */
const VALID_USER_ID = /^[A-Za-z0-9_@.-]{1,128}$/;

/** `room-of-12`: a room whose id says how many senders it has (2 to 12). */
const SIZED_ROOM = /-of-(\d{1,2})$/;

/**
 * Whether an id is a participant of every room. Convention: ids starting with `absent` never joined any
 * room, so tests can ask for "a user not in the room" without knowing the data.
 */
export function isParticipant(userId: string): boolean {
  return VALID_USER_ID.test(userId) && !userId.startsWith('absent');
}

/**
 * The users whose media everybody else in the room receives (one `down` stream each), `host` first. Their
 * number is 2 to 12 by the room's hash; `demo-room` keeps the two or three it had before rooms had rosters
 * (the README's examples use it), and `...-of-N` has exactly N.
 */
export function roomPublishers(appId: string, roomId: string): readonly string[] {
  const draw = unitHash(seedOf('publishers', appId, roomId));
  const sized = SIZED_ROOM.exec(roomId);
  const wanted = sized ? Number(sized[1]) : roomId === 'demo-room' ? (draw < 0.5 ? 2 : 3) : rosterSize(draw);
  const count = Math.min(MAX_ROOM_SENDERS, Math.max(2, wanted));
  return Array.from({ length: count }, (_, index) => (index === 0 ? 'host' : `guest-${index}`));
}

/**
 * Small calls are the common case: half the rooms have 2 senders (the same half as before rooms had
 * rosters, so their data did not change), a fifth 3 or 4, the rest 5 to 12.
 */
function rosterSize(draw: number): number {
  if (draw < 0.5) return 2;
  if (draw < 0.7) return draw < 0.6 ? 3 : 4;
  return 5 + Math.floor(((draw - 0.7) / 0.3) * (MAX_ROOM_SENDERS - 4));
}

/** A predicate over instants (unix ms). */
export type TimePredicate = (timeMs: number) => boolean;

/** A stretch of one block, in unix ms: `startMs` inclusive, `endMs` exclusive. */
export interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

/** Per block, the intervals some condition holds; at most one, or none. */
export type BlockIntervals = (block: number) => Interval | null;

function holdsDuring(intervalOf: BlockIntervals): TimePredicate {
  return (timeMs) => {
    const interval = intervalOf(Math.floor(timeMs / BLOCK_MS));
    return interval !== null && timeMs >= interval.startMs && timeMs < interval.endMs;
  };
}

/**
 * When a participant is away from the room. Most blocks they are there throughout; in a few they are away
 * for the whole block, join late, or leave early, which is what leaves gaps in real call data.
 */
export function absenceOf(appId: string, roomId: string, participantId: string): BlockIntervals {
  const seed = seedOf('presence', appId, roomId, participantId);
  return (block) => {
    const draw = unitHash(seed, block);
    const blockStartMs = block * BLOCK_MS;
    if (draw >= 0.06) return null;
    if (draw < 0.02) return { startMs: blockStartMs, endMs: blockStartMs + BLOCK_MS };
    const cutMs = blockStartMs + Math.floor(unitHash(seed, block, 1) * BLOCK_MS);
    // Joins late: away until the cut; leaves early: away from it.
    return draw < 0.04
      ? { startMs: blockStartMs, endMs: cutMs }
      : { startMs: cutMs, endMs: blockStartMs + BLOCK_MS };
  };
}

/** When a participant is in the room. */
export function presenceOf(appId: string, roomId: string, participantId: string): TimePredicate {
  const away = holdsDuring(absenceOf(appId, roomId, participantId));
  return (timeMs) => !away(timeMs);
}

/**
 * A recurring trouble episode of one stream: in each block, with probability `chance`, one stretch of
 * `minSeconds`..`maxSeconds` that lies wholly inside the block (so deciding it needs that block only).
 */
function episodeOf(seed: number, chance: number, minSeconds: number, maxSeconds: number): BlockIntervals {
  return (block) => {
    if (unitHash(seed, block) >= chance) return null;
    const durationMs =
      (minSeconds + Math.floor(unitHash(seed, block, 1) * (maxSeconds - minSeconds + 1))) * 1000;
    const startMs = block * BLOCK_MS + Math.floor(unitHash(seed, block, 2) * (BLOCK_MS - durationMs));
    return { startMs, endMs: startMs + durationMs };
  };
}

/** Network trouble on a stream: loss up, bitrate down, for a minute or two. */
export function lossBurstsOf(streamKey: readonly string[]): BlockIntervals {
  return episodeOf(seedOf('loss-spike', ...streamKey), 0.3, 60, 120);
}

/** Congestion on a stream's path (a queue filling up): RTT well above 400 ms for one to three minutes. */
export function rttSpikesOf(streamKey: readonly string[]): BlockIntervals {
  return episodeOf(seedOf('rtt-spike', ...streamKey), 0.2, 60, 180);
}

/** A receiving-side freeze: frame rate near 0, stall durations up. */
export function stallsOf(streamKey: readonly string[]): BlockIntervals {
  return episodeOf(seedOf('stall', ...streamKey), 0.25, 15, 45);
}

export function lossSpikeOf(streamKey: readonly string[]): TimePredicate {
  return holdsDuring(lossBurstsOf(streamKey));
}

export function rttSpikeOf(streamKey: readonly string[]): TimePredicate {
  return holdsDuring(rttSpikesOf(streamKey));
}

export function stallOf(streamKey: readonly string[]): TimePredicate {
  return holdsDuring(stallsOf(streamKey));
}
