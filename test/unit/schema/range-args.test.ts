/**
 * The range arguments as a client sees them: `last` or `from` (exactly one), `to` defaulting to the gateway's
 * now, and a start just beyond the retention clamped into it, with a warning, instead of refused.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const SECOND = 1000;
const HOUR = 3_600_000;
const RETENTION = 6 * 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
/** The oldest instant a clamped range is served from: 10 s inside the retention's edge. */
const SERVED_FROM = iso(NOW - RETENTION + 10 * SECOND);

const harness = createInProcessGateway({ now: () => NOW });
beforeEach(() => harness.upstream.resetCalls());

interface Entry {
  from: string;
  to: string;
  streams?: { direction: string }[] | null;
}

/** `callQuality` of alice with `range` (argument text), selecting `from`, `to` and `select`. */
function callQuality(range: string, select = '') {
  return harness.query<{ callQuality: Entry[] }>(
    `{ callQuality(appId: "app1", roomId: "room1", userIds: ["alice"], ${range}) { from to ${select} } }`,
  );
}

describe('ranges relative to now', () => {
  it('`last` alone is the seconds before the gateway’s now', async () => {
    const response = await callQuality('last: 3600');
    expect(response.errors).toBeUndefined();
    expect(response.data?.callQuality).toEqual([{ from: iso(NOW - HOUR), to: iso(NOW) }]);
    expect(response.extensions).toBeUndefined();
  });

  it('`last` with `to` is the seconds before `to`', async () => {
    const response = await harness.query<{ room: { user: Entry } }>(
      `{ room(appId: "app1", roomId: "room1") { user(userId: "alice", last: 600, to: "2026-11-30T08:00:00Z") { from to } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.room.user).toEqual({
      from: '2026-11-30T07:50:00.000Z',
      to: '2026-11-30T08:00:00.000Z',
    });
  });

  it('`from` and `to` are served as before, and `to` defaults to now', async () => {
    const both = await callQuality('from: "2026-11-30T07:00:00Z", to: "2026-11-30T08:00:00Z"');
    expect(both.data?.callQuality).toEqual([
      { from: '2026-11-30T07:00:00.000Z', to: '2026-11-30T08:00:00.000Z' },
    ]);
    const open = await callQuality('from: "2026-12-01T11:00:00Z"');
    expect(open.errors).toBeUndefined();
    expect(open.data?.callQuality).toEqual([{ from: '2026-12-01T11:00:00.000Z', to: iso(NOW) }]);
  });

  it.each([
    ['both `from` and `last`', 'from: "2026-12-01T11:00:00Z", last: 3600', 'last', 'not both'],
    ['neither `from` nor `last`', 'to: "2026-12-01T11:00:00Z"', 'from', '`last: 3600`'],
    ['a `last` of zero', 'last: 0', 'last', 'positive number of seconds'],
    ['a `last` before a `to` in the future', 'last: 60, to: "2026-12-01T13:00:00Z"', 'last', 'in the future'],
  ])(
    '%s is BAD_USER_INPUT naming the argument to fix, with no upstream call',
    async (_case, range, argument, fix) => {
      const response = await callQuality(range, 'streams { direction }');
      expect(response.errors).toHaveLength(1);
      expect(response.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument });
      expect(response.errors?.[0]?.message).toContain(fix);
      expect(harness.upstream.calls).toHaveLength(0);
    },
  );
});

describe('a start just beyond the retention', () => {
  it('is clamped to the oldest servable instant, served, and said so in extensions.warnings', async () => {
    const asked = iso(NOW - RETENTION - 60 * SECOND);
    const response = await callQuality(
      `from: "${asked}", to: "${iso(NOW - RETENTION + HOUR)}"`,
      'streams { direction }',
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.callQuality[0]?.from).toBe(SERVED_FROM);
    expect(response.data?.callQuality[0]?.streams?.length).toBeGreaterThan(0);
    expect(harness.upstream.calls.length).toBeGreaterThan(0);
    expect(response.extensions?.warnings).toEqual([
      {
        code: 'RANGE_CLAMPED',
        argument: 'from',
        message: expect.stringContaining(`served from ${SERVED_FROM}`),
        from: asked,
        servedFrom: SERVED_FROM,
        path: ['callQuality'],
      },
    ]);
  });

  it('`last: 518400` (6 days) is clamped the same way, its warning at its own path', async () => {
    const response = await harness.query<{ room: { week: Entry } }>(
      `{ room(appId: "app1", roomId: "room1") { week: user(userId: "alice", last: 518400) { from to } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.room.week).toEqual({ from: SERVED_FROM, to: iso(NOW) });
    expect(response.extensions?.warnings).toEqual([
      expect.objectContaining({
        code: 'RANGE_CLAMPED',
        argument: 'last',
        from: iso(NOW - RETENTION),
        path: ['room', 'week'],
      }),
    ]);
  });

  it('is refused beyond the tolerance of a minute, naming the argument', async () => {
    const from = await callQuality(
      `from: "${iso(NOW - RETENTION - 60 * SECOND - 1)}", to: "${iso(NOW - HOUR)}"`,
    );
    expect(from.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'from' });
    expect(from.errors?.[0]?.message).toContain('6-day retention');
    const last = await callQuality('last: 518461');
    expect(last.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'last' });
    expect(last.errors?.[0]?.message).toContain('at most 518400');
    expect(harness.upstream.calls).toHaveLength(0);
  });
});
