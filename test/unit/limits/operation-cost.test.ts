import { execute, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationCost } from '../../../src/limits/operation-cost.js';
import { schema } from '../../../src/schema/index.js';
import { at, NOW, recordingUpstream, SLOT_MS, userIds } from '../../helpers/recording-upstream.js';
import { seededRandom } from '../../helpers/seeded-random.js';

function cost(
  query: string,
  variables?: Record<string, unknown>,
  options: { operationName?: string; stopAbove?: number } = {},
) {
  return operationCost({
    schema,
    document: parse(query),
    variables,
    nowMs: NOW,
    slotMs: SLOT_MS,
    ...options,
  });
}

const list = (ids: readonly string[]) => JSON.stringify(ids);

/** `callQuality` of `users` over [from, to) (minutes after 10:00), with `streams` selected. */
function callQuality(users: readonly string[], from: number, to: number, extra = '') {
  return `callQuality(appId: "app", roomId: "room", userIds: ${list(users)}, from: "${at(from)}", to: "${at(to)}"${extra}) { userId streams { direction } }`;
}

describe('operationCost', () => {
  it.each([
    [1, 1],
    [20, 1],
    [21, 2],
    [45, 3],
  ])('costs %i users over an aligned hour ceil(users / 20) = %i calls', (users, calls) => {
    expect(cost(`{ ${callQuality(userIds(users), 0, 60)} }`)).toBe(calls);
  });

  it('costs one call per 20 users for any hour: on the slots or not, calls start where the range starts', () => {
    expect(cost(`{ ${callQuality(userIds(20), 30, 90)} }`)).toBe(1);
    expect(cost(`{ ${callQuality(userIds(20), 2, 62)} }`)).toBe(1);
    expect(cost(`{ ${callQuality(userIds(45), 2, 62)} }`)).toBe(3);
    // Six unaligned hours: six calls per 20 users, not the seven the 73 slots they touch would cut into.
    expect(cost(`{ ${callQuality(userIds(20), -358, 2)} }`)).toBe(6);
    expect(cost(`{ ${callQuality(userIds(45), -358, 2)} }`)).toBe(18);
  });

  it('costs three hours three calls per 20 users', () => {
    expect(cost(`{ ${callQuality(userIds(45), -120, 60)} }`)).toBe(9);
  });

  it('plans different directions of one window as one call class, across aliases and root fields', () => {
    const query = `{
      up: ${callQuality(userIds(10, 'a'), 0, 60, ', directions: [UP]')}
      room(appId: "app", roomId: "room") {
        down: user(userId: "b0", from: "${at(0)}", to: "${at(60)}", directions: [DOWN]) { streams { peerId } }
        both: user(userId: "b1", from: "${at(0)}", to: "${at(60)}") { streams { peerId } }
      }
    }`;
    expect(cost(query)).toBe(1);
  });

  it('costs two windows of one room apart, and one user asked twice for one window once', () => {
    const users = userIds(5);
    expect(cost(`{ a: ${callQuality(users, -120, -60)} b: ${callQuality(users, 0, 60)} }`)).toBe(2);
    expect(cost(`{ a: ${callQuality(users, 0, 60)} b: ${callQuality(users, 30, 60)} }`)).toBe(1);
    // The planner cuts pieces of an hour from the earliest instant: 10:30-11:30 spills into the second piece.
    expect(cost(`{ a: ${callQuality(['x'], 0, 60)} b: ${callQuality(['y'], 30, 90)} }`)).toBe(2);
  });

  it('adds up the calls of different rooms', () => {
    const query = `{
      a: room(appId: "app", roomId: "r1") { user(userId: "u", from: "${at(0)}", to: "${at(60)}") { streams { direction } } }
      b: room(appId: "app", roomId: "r2") { user(userId: "u", from: "${at(0)}", to: "${at(60)}") { streams { direction } } }
      c: room(appId: "other", roomId: "r1") { user(userId: "u", from: "${at(0)}", to: "${at(60)}") { streams { direction } } }
    }`;
    expect(cost(query)).toBe(3);
  });

  it('costs nothing for fields that never reach the upstream: entries without `streams`', () => {
    expect(
      cost(
        `{ callQuality(appId: "a", roomId: "r", userIds: ${list(userIds(500))}, from: "${at(0)}", to: "${at(60)}") { userId final } }`,
      ),
    ).toBe(0);
    expect(
      cost(
        `{ room(appId: "a", roomId: "r") { appId user(userId: "u", from: "${at(0)}", to: "${at(60)}") { from to } } }`,
      ),
    ).toBe(0);
  });

  it('costs `metricNames` what `streams` costs: it reads the same upstream data', () => {
    const users = list(userIds(45));
    const query = `{
      callQuality(appId: "app", roomId: "room", userIds: ${users}, from: "${at(0)}", to: "${at(60)}") { metricNames { name } }
      room(appId: "app", roomId: "r2") { user(userId: "u", from: "${at(0)}", to: "${at(60)}") { metricNames { unit } } }
    }`;
    expect(cost(query)).toBe(4);
  });

  it('follows named and inline fragments, however the fields are spread', () => {
    const query = `
      query Dashboard { room(appId: "app", roomId: "room") { ...Users } ...Wide }
      fragment Users on Room {
        a: user(userId: "a", from: "${at(0)}", to: "${at(60)}") { ...Data }
        ... on Room { b: user(userId: "b", from: "${at(60)}", to: "${at(120)}") { ... { streams { direction } } } }
      }
      fragment Data on UserCallQuality { streams { direction } }
      fragment Wide on Query { ... on Query { ${callQuality(userIds(21, 'w'), 0, 60)} } }
    `;
    // a and 20 of w share 10:00-11:00; the 21st of w needs another call; b is the next hour.
    expect(cost(query)).toBe(3);
  });

  it('honours @skip and @include, with literals and variables', () => {
    const query = `query ($withData: Boolean!, $skipB: Boolean!) {
      room(appId: "app", roomId: "room") {
        a: user(userId: "a", from: "${at(0)}", to: "${at(60)}") { streams @include(if: $withData) { direction } }
        b: user(userId: "b", from: "${at(60)}", to: "${at(120)}") @skip(if: $skipB) { streams { direction } }
        c: user(userId: "c", from: "${at(120)}", to: "${at(180)}") @include(if: false) { streams { direction } }
      }
    }`;
    expect(cost(query, { withData: true, skipB: false })).toBe(2);
    expect(cost(query, { withData: false, skipB: false })).toBe(1);
    expect(cost(query, { withData: false, skipB: true })).toBe(0);
  });

  it('coerces variables as execution does: ID lists, DateTime with offsets, directions', () => {
    const query = `query Q($app: ID!, $users: [ID!]!, $from: DateTime!, $to: DateTime!, $directions: [Direction!]!) {
      callQuality(appId: $app, roomId: "room", userIds: $users, from: $from, to: $to, directions: $directions) { streams { direction } }
    }`;
    const variables = {
      app: 'app',
      users: userIds(30),
      // 10:00Z and 11:00Z written in +08:00.
      from: '2024-01-01T18:00:00+08:00',
      to: '2024-01-01T19:00:00.000+08:00',
      directions: ['UP'],
    };
    expect(cost(query, variables)).toBe(2);
    // One number where a list is declared is coerced to a one-element list, as execution does.
    expect(cost(query, { ...variables, users: 7 })).toBe(1);
  });

  it('counts `last` ranges exactly like the from/to range they resolve to', () => {
    // NOW is 12:00; `at(n)` is n minutes after 10:00. The last hour is 11:00-12:00: one call per 20 users.
    const room = (range: string) =>
      `room(appId: "app", roomId: "room") { user(userId: "u", ${range}) { streams { direction } } }`;
    const last = (users: number, range: string) =>
      `callQuality(appId: "app", roomId: "room", userIds: ${list(userIds(users))}, ${range}) { streams { direction } }`;
    expect(cost(`{ ${last(45, 'last: 3600')} }`)).toBe(cost(`{ ${callQuality(userIds(45), 60, 120)} }`));
    expect(cost(`{ ${last(45, 'last: 3600')} }`)).toBe(3);
    // `last` with `to`: the seconds before `to`; off the slots too, one call per 20 users.
    expect(cost(`{ ${last(20, `last: 3600, to: "${at(62)}"`)} }`)).toBe(1);
    expect(cost(`{ ${room(`last: 10800, to: "${at(60)}"`)} }`)).toBe(3);
    // `from` without `to` runs to now; refused combinations cost nothing.
    expect(cost(`{ ${room(`from: "${at(0)}"`)} }`)).toBe(2);
    expect(cost(`{ ${room(`from: "${at(0)}", last: 60`)} }`)).toBe(0);
    expect(cost(`{ ${room('directions: [UP]')} }`)).toBe(0);
    expect(cost(`{ ${room('last: 0')} }`)).toBe(0);
    // Beyond the retention by less than the tolerance, the range is clamped and served, so it is counted.
    expect(cost(`{ ${last(1, 'last: 518400')} }`)).toBeGreaterThan(100);
    expect(cost(`{ ${last(1, 'last: 518461')} }`)).toBe(0);
  });

  it('costs nothing for fields execution refuses as bad input, and still counts the valid ones', () => {
    const valid = callQuality(userIds(5), 0, 60);
    const refused = [
      `callQuality(appId: "app", roomId: "room", userIds: [], from: "${at(0)}", to: "${at(60)}")`,
      `callQuality(appId: "app", roomId: "room", userIds: ["ok", "not ok"], from: "${at(0)}", to: "${at(60)}")`,
      `callQuality(appId: "app", roomId: "room", userIds: ["u"], from: "${at(60)}", to: "${at(60)}")`,
      `callQuality(appId: "app", roomId: "room", userIds: ["u"], from: "${at(130)}", to: "${at(190)}")`,
      `callQuality(appId: "app", roomId: "room", userIds: ["u"], from: "2023-12-20T00:00:00Z", to: "${at(0)}")`,
      `callQuality(appId: "app/../x", roomId: "room", userIds: ["u"], from: "${at(0)}", to: "${at(60)}")`,
      `callQuality(appId: "app", roomId: "room", userIds: ["u"], from: "${at(0)}", to: "${at(60)}", directions: [])`,
    ];
    for (const field of refused) {
      expect(cost(`{ ${field} { streams { direction } } }`), field).toBe(0);
      expect(cost(`{ ok: ${valid} bad: ${field} { streams { direction } } }`), field).toBe(1);
    }
    const badRoom = `{ room(appId: "app", roomId: "") { user(userId: "u", from: "${at(0)}", to: "${at(60)}") { streams { direction } } } }`;
    expect(cost(badRoom)).toBe(0);
  });

  it('costs nothing for an operation execution refuses as a whole', () => {
    const query = `query A($from: DateTime!) { callQuality(appId: "a", roomId: "r", userIds: ["u"], from: $from, to: "${at(60)}") { streams { direction } } }
      query B { ${callQuality(['u'], 0, 60)} }`;
    expect(cost(query, { from: '2024-01-01 10:00' }, { operationName: 'A' })).toBe(0);
    expect(cost(query, { from: at(0) }, { operationName: 'A' })).toBe(1);
    expect(cost(query, {}, { operationName: 'B' })).toBe(1);
    expect(cost(query, {}, { operationName: 'C' })).toBe(0);
    // Two operations and no name: execution cannot choose.
    expect(cost(query, { from: at(0) })).toBe(0);
  });

  it('is exact up to stopAbove and some count above it beyond', () => {
    const query = `{ ${callQuality(userIds(45), -120, 60)} }`;
    expect(cost(query, undefined, { stopAbove: 9 })).toBe(9);
    expect(cost(query, undefined, { stopAbove: 8 })).toBeGreaterThan(8);
    // Many small requests, each cheap alone, over one window: 100 x 20 users.
    const aliases = Array.from(
      { length: 100 },
      (_, i) => `a${i}: ${callQuality(userIds(20, `g${i}-`), 0, 60)}`,
    );
    expect(cost(`{ ${aliases.join(' ')} }`)).toBe(100);
    expect(cost(`{ ${aliases.join(' ')} }`, undefined, { stopAbove: 60 })).toBeGreaterThan(60);
  });

  it('refuses huge lists and ranges quickly, without expanding them', () => {
    const query = `query ($users: [ID!]!, $from: DateTime!) {
      callQuality(appId: "a", roomId: "r", userIds: $users, from: $from, to: "${at(120)}") { streams { direction } }
    }`;
    const users = userIds(100_000);
    const started = performance.now();
    // 100 000 users x 6 days: 5 000 calls per hour of it, over a hundred million slot needs.
    expect(cost(query, { users, from: '2023-12-26T12:00:00Z' }, { stopAbove: 60 })).toBeGreaterThan(60);
    // One aligned hour of them is exactly 5 000 calls, known without planning a single one.
    expect(cost(query, { users, from: at(60) }, { stopAbove: 60 })).toBe(5_000);
    // Generous for a busy 2-core machine: expanding the needs would take minutes and gigabytes.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('operationCost against the gateway', () => {
  it('equals the upstream calls the source makes for the operation with an empty cache', async () => {
    const next = seededRandom(2024);
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
    for (let round = 0; round < 40; round += 1) {
      const fields: string[] = [];
      for (let index = 0, count = 1 + Math.floor(next() * 6); index < count; index += 1) {
        const room = pick(['r1', 'r2']);
        const from = Math.floor(next() * 240) - 120;
        const to = from + 1 + Math.floor(next() * 150);
        const directions = pick([
          '',
          ', directions: [UP]',
          ', directions: [DOWN]',
          ', directions: [DOWN, UP]',
        ]);
        const end = Math.min(to, 120);
        // The same range spelt with `last` now and then: the cost must read it as execution does.
        const start = next() < 0.3 ? `last: ${(end - from) * 60}` : `from: "${at(from)}"`;
        const range = `${start}, to: "${at(end)}"${directions}`;
        if (next() < 0.5) {
          const users = userIds(50).filter(() => next() < 0.4);
          fields.push(
            `f${index}: callQuality(appId: "app", roomId: "${room}", userIds: ${list(users.length ? users : ['u0'])}, ${range}) { streams { direction } }`,
          );
        } else {
          const users = userIds(30).filter(() => next() < 0.1);
          const aliases = users.map(
            (user) => `${user}: user(userId: "${user}", ${range}) { streams { direction } }`,
          );
          fields.push(`f${index}: room(appId: "app", roomId: "${room}") { appId ${aliases.join(' ')} }`);
        }
      }
      const query = `{ ${fields.join('\n')} }`;
      const upstream = recordingUpstream();
      const result = await execute({ schema, document: parse(query), contextValue: upstream.context() });
      expect(result.errors, query).toBeUndefined();
      expect(cost(query), query).toBe(upstream.queries.length);
    }
  });

  it('equals them for one request of many users, whatever its range and directions', async () => {
    const next = seededRandom(77);
    for (let round = 0; round < 30; round += 1) {
      const users = userIds(1 + Math.floor(next() * 65));
      const from = Math.floor(next() * 600) - 480;
      const to = Math.min(120, from + 1 + Math.floor(next() * 400));
      const directions = ['', ', directions: [UP]', ', directions: [DOWN]'][Math.floor(next() * 3)];
      const query = `{ ${callQuality(users, from, to, directions)} }`;
      const upstream = recordingUpstream();
      const result = await execute({ schema, document: parse(query), contextValue: upstream.context() });
      expect(result.errors, query).toBeUndefined();
      expect(cost(query), query).toBe(upstream.queries.length);
    }
  });
});
