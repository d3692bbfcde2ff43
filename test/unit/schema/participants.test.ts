/**
 * Participant discovery through the whole app: from one user, the room's senders on the simulator's data, and
 * a chain of senders on hand-made data, in one batch of shared calls per round, within its bounds.
 */
import { describe, expect, it } from 'vitest';
import { roomPublishers } from '../../../src/simulator/episodes.js';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import type { QuirkCall, UserCallDetailEntry } from '../../helpers/quirk-upstream.js';
import { pastRange } from '../../helpers/test-gateway.js';

const QUERY = `query ($room: ID!, $users: [ID!]!, $from: DateTime!, $to: DateTime!, $maxUsers: Int, $maxRounds: Int) {
  participants(appId: "demo-app", roomId: $room, userIds: $users, from: $from, to: $to,
               maxUsers: $maxUsers, maxRounds: $maxRounds) {
    users { userId foundVia round receives }
    userIds
    complete
    note
  }
}`;

interface Answer {
  participants: {
    users: Array<{ userId: string; foundVia: string | null; round: number; receives: boolean }>;
    userIds: string[];
    complete: boolean;
    note: string;
  };
}

/** u1 receives from u2, u2 from u3, ..., u5 from u6; u6 receives nothing. */
function chain(call: QuirkCall): UserCallDetailEntry[] {
  return call.userIds
    .filter((userId) => userId !== 'u6')
    .map((userId) => ({
      UserId: userId,
      RoomId: 'chain',
      Direction: 'down' as const,
      PeerId: `u${Number(userId.slice(1)) + 1}`,
      CallDetail: [{ Name: 'Rtt', Desc: 'Rtt', Unit: 'ms', Data: [{ Time: call.startMs, Value: 80 }] }],
    }));
}

describe('participants', () => {
  it("finds the simulator room's senders from one receiver, one batch of calls per round", async () => {
    const gateway = createInProcessGateway();
    const range = pastRange(1);
    const response = await gateway.query<Answer>(QUERY, { room: 'demo-room', users: ['alice'], ...range });
    expect(response.errors).toBeUndefined();
    // Found in the order alice's DOWN streams come: by peer id.
    const publishers = [...roomPublishers('demo-app', 'demo-room')].sort();
    const found = response.data?.participants;
    expect(found?.userIds).toEqual(['alice', ...publishers]);
    expect(found?.users[1]).toEqual({ userId: publishers[0], foundVia: 'alice', round: 1, receives: true });
    expect(found?.complete).toBe(true);
    expect(found?.note).toMatch(/only receives is nobody’s peer/);
    // Round 0 (alice) and round 1 (the senders, together), each one call for the aligned hour, DOWN only.
    expect(gateway.upstream.calls.map((call) => [call.userIds, call.direction])).toEqual([
      [['alice'], '2'],
      [publishers, '2'],
    ]);
  });

  it('finds all 12 senders of room-of-12 from one of them in two calls: itself, then the other 11', async () => {
    const gateway = createInProcessGateway();
    const range = pastRange(1);
    const response = await gateway.query<Answer>(QUERY, { room: 'room-of-12', users: ['guest-5'], ...range });
    expect(response.errors).toBeUndefined();
    const others = roomPublishers('demo-app', 'room-of-12').filter((userId) => userId !== 'guest-5');
    expect(others).toHaveLength(11);
    const found = response.data?.participants;
    expect(found?.userIds).toEqual(['guest-5', ...[...others].sort()]);
    expect(found?.users.every((user) => user.receives)).toBe(true);
    expect(found?.complete).toBe(true);
    // Round 1's users name only senders already found: no third call.
    expect(gateway.upstream.calls.map((call) => call.userIds)).toEqual([['guest-5'], [...others].sort()]);
  });

  it('follows senders round by round, and says when a bound stopped it', async () => {
    const gateway = createInProcessGateway({ answer: chain });
    const range = pastRange(1);
    const response = await gateway.query<Answer>(QUERY, {
      room: 'chain',
      users: ['u1'],
      ...range,
      maxRounds: 2,
    });
    expect(response.data?.participants.users).toEqual([
      { userId: 'u1', foundVia: null, round: 0, receives: true },
      { userId: 'u2', foundVia: 'u1', round: 1, receives: true },
      { userId: 'u3', foundVia: 'u2', round: 2, receives: true },
    ]);
    expect(response.data?.participants.complete).toBe(false);
    const all = await gateway.query<Answer>(QUERY, { room: 'chain', users: ['u1'], ...range, maxRounds: 10 });
    expect(all.data?.participants.userIds).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
    expect(all.data?.participants.users.at(-1)).toMatchObject({ userId: 'u6', receives: false });
    expect(all.data?.participants.complete).toBe(true);
  });

  it('is refused by the cost limit for the most calls its bounds allow, before any call', async () => {
    // 500 users in at most 11 rounds over an hour: 11 + floor(489 / 20) = 35 calls.
    const gateway = createInProcessGateway({ env: { LIMIT_MAX_UPSTREAM_CALLS: '34' } });
    const range = pastRange(1);
    const refused = await gateway.query<Answer>(QUERY, {
      room: 'demo-room',
      users: ['alice'],
      ...range,
      maxUsers: 500,
      maxRounds: 10,
    });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'COST_LIMIT_EXCEEDED',
      cost: 35,
      limit: 34,
    });
    expect(gateway.upstream.calls).toHaveLength(0);
    const bad = await gateway.query<Answer>(QUERY, {
      room: 'demo-room',
      users: ['alice'],
      ...range,
      maxUsers: 0,
    });
    expect(bad.errors?.[0]).toMatchObject({
      message: '`maxUsers` must be a whole number from 1 to 500, got 0',
      extensions: { code: 'BAD_USER_INPUT', argument: 'maxUsers' },
    });
  });
});
