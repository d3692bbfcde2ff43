import { beforeEach, describe, expect, it } from 'vitest';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pastRange } from '../../helpers/test-gateway.js';

const harness = createInProcessGateway();
beforeEach(() => harness.upstream.resetCalls());

const CALL_QUALITY = `query ($app: ID! = "app1", $room: ID! = "room1", $users: [ID!]! = ["alice"], $from: DateTime!, $to: DateTime!,
  $directions: [Direction!]! = [UP, DOWN]) {
  callQuality(appId: $app, roomId: $room, userIds: $users, from: $from, to: $to, directions: $directions) {
    userId streams { direction }
  }
}`;

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const range = pastRange(1);

describe('bad input costs no upstream call', () => {
  it.each([
    ['from equal to to', { from: range.from, to: range.from }, 'to'],
    ['from after to', { from: range.to, to: range.from }, 'to'],
    [
      'from 7 days ago',
      { from: iso(Date.now() - 7 * DAY_MS), to: iso(Date.now() - 7 * DAY_MS + 3_600_000) },
      'from',
    ],
    ['from in the future', { from: iso(Date.now() + 600_000), to: iso(Date.now() + 4_200_000) }, 'from'],
    ['empty userIds', { ...range, users: [] }, 'userIds'],
    ['a user id the upstream cannot hold', { ...range, users: ['alice', 'bad id;drop'] }, 'userIds'],
    ['an empty roomId', { ...range, room: '' }, 'roomId'],
    ['no directions', { ...range, directions: [] }, 'directions'],
  ])('%s: BAD_USER_INPUT naming %s', async (_case, variables, argument) => {
    const response = await harness.query(CALL_QUALITY, { ...variables });

    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
    expect(response.errors?.[0]?.message).toContain(`\`${argument}\``);
    expect(harness.upstream.calls).toHaveLength(0);
  });

  it.each([
    ['not a date', 'yesterday'],
    ['no offset', '2026-11-25T10:00:00'],
    ['an impossible day', '2026-02-30T10:00:00Z'],
  ])('a malformed DateTime (%s) is BAD_USER_INPUT', async (_case, from) => {
    const response = await harness.query(CALL_QUALITY, { from, to: range.to });

    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toContain('RFC 3339');
    expect(response.errors?.[0]?.message).toContain('$from');
    expect(harness.upstream.calls).toHaveLength(0);
  });

  it('a malformed DateTime literal is BAD_USER_INPUT too', async () => {
    const response = await harness.query(
      `{ callQuality(appId: "a", roomId: "r", userIds: ["u"], from: "soon", to: "${range.to}") { userId } }`,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(harness.upstream.calls).toHaveLength(0);
  });

  it('room.user validates its range the same way', async () => {
    const response = await harness.query(
      `query ($from: DateTime!) { room(appId: "app1", roomId: "room1") { user(userId: "alice", from: $from, to: $from) { userId } } }`,
      { from: range.from },
    );
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'to' });
    expect(response.errors?.[0]?.path).toEqual(['room', 'user']);
    expect(harness.upstream.calls).toHaveLength(0);
  });

  it('accepts other offsets and answers in UTC with milliseconds', async () => {
    const from = new Date(range.fromMs + 8 * 3_600_000).toISOString().replace('.000Z', '+08:00');
    const response = await harness.query<{ room: { user: { from: string } } }>(
      `query ($from: DateTime!, $to: DateTime!) { room(appId: "a", roomId: "r") { user(userId: "u", from: $from, to: $to) { from } } }`,
      { from, to: range.to },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.room.user.from).toBe(range.from);
  });
});
