/**
 * The other users of a room, found from known ones: the upstream cannot list a room's users, but every DOWN
 * stream names the peer that sent it, and that peer's own DOWN streams name the senders it received. Followed
 * round by round (each round one batch, so its users share upstream calls) up to a bound on users and rounds.
 * A user who only receives is nobody's peer, and cannot be found this way.
 */
import { InvalidArgumentError } from '../../errors/invalid-argument.js';
import type { StreamDetail } from '../../model/call-detail.js';
import { checkId } from '../ids.js';

export interface DiscoveredUser {
  readonly userId: string;
  /** The user whose DOWN stream named this one; null for a user given to start from. */
  readonly foundVia: string | null;
  /** 0 for the users given, 1 for their peers, and so on. */
  readonly round: number;
  /** Whether the user received anything in the range: has a DOWN stream (a user given may have none). */
  readonly receives: boolean;
}

export interface Discovery {
  /** Users given first, in order, then in the order found. */
  readonly users: readonly DiscoveredUser[];
  /** False when a bound stopped the search while peers were still unexplored. */
  readonly complete: boolean;
}

export interface DiscoveryBounds {
  /** The most users the answer may hold, those given included. */
  readonly maxUsers: number;
  /** The most rounds of peers followed after the users given. */
  readonly maxRounds: number;
}

export const DISCOVERY_LIMITS = { maxUsers: 500, maxRounds: 10 } as const;

export function checkDiscoveryBounds(bounds: DiscoveryBounds, seeds: readonly string[]): void {
  if (seeds.length === 0) throw new InvalidArgumentError('userIds', '`userIds` must name at least one user');
  for (const userId of seeds) checkId('userIds', userId);
  const { maxUsers, maxRounds } = bounds;
  if (!Number.isInteger(maxUsers) || maxUsers < 1 || maxUsers > DISCOVERY_LIMITS.maxUsers) {
    throw new InvalidArgumentError(
      'maxUsers',
      `\`maxUsers\` must be a whole number from 1 to ${DISCOVERY_LIMITS.maxUsers}, got ${maxUsers}`,
    );
  }
  if (!Number.isInteger(maxRounds) || maxRounds < 1 || maxRounds > DISCOVERY_LIMITS.maxRounds) {
    throw new InvalidArgumentError(
      'maxRounds',
      `\`maxRounds\` must be a whole number from 1 to ${DISCOVERY_LIMITS.maxRounds}, got ${maxRounds}`,
    );
  }
}

/**
 * `load` fetches the DOWN streams of a round's users together (one batch). The users given are loaded too:
 * their peers are the first round; the last round is loaded to tell whether its users receive.
 */
export async function discoverParticipants(
  seeds: readonly string[],
  bounds: DiscoveryBounds,
  load: (userIds: readonly string[]) => Promise<ReadonlyArray<readonly StreamDetail[]>>,
): Promise<Discovery> {
  const found = new Map<string, { foundVia: string | null; round: number; receives: boolean }>();
  let frontier = [...new Set(seeds)].slice(0, bounds.maxUsers);
  for (const userId of frontier) found.set(userId, { foundVia: null, round: 0, receives: false });
  let complete = true;
  for (let round = 0; frontier.length > 0; round += 1) {
    const streamsOf = await load(frontier);
    const next: string[] = [];
    frontier.forEach((userId, index) => {
      const streams = streamsOf[index] ?? [];
      const entry = found.get(userId);
      if (entry) entry.receives = streams.length > 0;
      for (const stream of streams) {
        const peer = stream.peerId;
        if (stream.direction !== 'down' || peer === null || found.has(peer) || !isValidId(peer)) continue;
        if (round >= bounds.maxRounds || found.size >= bounds.maxUsers) {
          complete = false;
          continue;
        }
        found.set(peer, { foundVia: userId, round: round + 1, receives: false });
        next.push(peer);
      }
    });
    frontier = next;
  }
  return { users: [...found].map(([userId, entry]) => ({ userId, ...entry })), complete };
}

/** A peer id the upstream named that could not be asked for in turn is not followed. */
function isValidId(userId: string): boolean {
  try {
    checkId('userIds', userId);
    return true;
  } catch {
    return false;
  }
}

/**
 * The most upstream calls a discovery can need per hourly window, with nothing cached, as requests the cost
 * limit counts like any other: its rounds are separate batches, so at most `maxRounds + 1` of them, holding
 * at most `maxUsers` users in all. With B batches (each of one user at least), the calls are at most
 * B + floor((maxUsers - B) / 20): one batch of all but B - 1 users and B - 1 batches of one, each in a room
 * of its own so that none shares another's calls.
 */
export function discoveryCostRequests(
  request: {
    readonly appId: string;
    readonly roomId: string;
    readonly fromMs: number;
    readonly toMs: number;
  },
  bounds: DiscoveryBounds,
): Array<typeof request & { readonly userIds: readonly string[]; readonly directions: ['down'] }> {
  const batches = Math.min(bounds.maxRounds + 1, bounds.maxUsers);
  const sizes = [bounds.maxUsers - (batches - 1), ...Array.from({ length: batches - 1 }, () => 1)];
  return sizes.map((size, batch) => ({
    ...request,
    roomId: `${request.roomId}\u0000discovery-${batch}`,
    userIds: Array.from({ length: size }, (_, index) => `discovered-${index}`),
    directions: ['down'],
  }));
}
