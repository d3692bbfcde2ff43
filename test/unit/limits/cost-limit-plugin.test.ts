import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useClientErrors } from '../../../src/errors/client-error-plugin.js';
import { useCostLimit } from '../../../src/limits/cost-limit-plugin.js';
import { schema } from '../../../src/schema/index.js';
import { at, recordingUpstream, SLOT_MS, userIds } from '../../helpers/recording-upstream.js';

interface Response {
  data?: { callQuality?: Array<{ userId: string; streams: unknown[] }> } | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

function gateway(maxUpstreamCalls: number, maxUserEntries = 2_000) {
  const upstream = recordingUpstream();
  const yoga = createYoga({
    schema,
    context: upstream.context,
    // useClientErrors as in the app, so what execution refuses comes back coded.
    plugins: [useCostLimit({ maxUpstreamCalls, maxUserEntries, slotMs: SLOT_MS }), useClientErrors()],
  });
  async function query(body: { query: string; variables?: Record<string, unknown>; operationName?: string }) {
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify(body),
    });
    return (await response.json()) as Response;
  }
  return { upstream, query };
}

const QUERY = `query Users($users: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "app", roomId: "room", userIds: $users, from: $from, to: $to) { userId streams { direction } }
}`;

describe('useCostLimit', () => {
  it('refuses an operation over the limit with COST_LIMIT_EXCEEDED, its cost and the limit, calling nothing', async () => {
    const { upstream, query } = gateway(2);
    // 45 users over one aligned hour: 3 calls of at most 20 users.
    const response = await query({
      query: QUERY,
      variables: { users: userIds(45), from: at(0), to: at(60) },
      operationName: 'Users',
    });
    expect(response.data).toBeUndefined();
    expect(response.errors).toEqual([
      {
        message:
          'this operation could need at least 3 upstream calls; the limit is 2 ' +
          '(ask for fewer users or a shorter range, or split the operation)',
        extensions: { code: 'COST_LIMIT_EXCEEDED', cost: 3, limit: 2 },
      },
    ]);
    expect(upstream.loads()).toBe(0);
    expect(upstream.queries).toHaveLength(0);
  });

  it('executes an operation at the limit, which then makes exactly that many calls', async () => {
    const { upstream, query } = gateway(2);
    const response = await query({
      query: QUERY,
      variables: { users: userIds(40), from: at(0), to: at(60) },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data?.callQuality).toHaveLength(40);
    expect(upstream.queries.map((call) => call.userIds.length)).toEqual([20, 20]);
  });

  it('refuses three hours of one user at a limit of 2 and serves the first two hours', async () => {
    const { upstream, query } = gateway(2);
    const whole = await query({ query: QUERY, variables: { users: ['alice'], from: at(-120), to: at(60) } });
    expect(whole.errors?.[0]?.extensions).toEqual({ code: 'COST_LIMIT_EXCEEDED', cost: 3, limit: 2 });
    const first = await query({ query: QUERY, variables: { users: ['alice'], from: at(-120), to: at(0) } });
    expect(first.errors).toBeUndefined();
    expect(upstream.queries).toHaveLength(2);
  });

  it('refuses an operation naming more user entries than allowed, aliases sharing one list included', async () => {
    const { upstream, query } = gateway(60, 100);
    const aliases = Array.from(
      { length: 5 },
      (_, index) =>
        `a${index}: callQuality(appId: "app", roomId: "room", userIds: $users, from: $from, to: $to) { userId }`,
    ).join('\n');
    const response = await query({
      query: `query ($users: [ID!]!, $from: DateTime!, $to: DateTime!) { ${aliases} }`,
      // 5 x 21 = 105 entries, although the upstream cost is only 2 calls.
      variables: { users: userIds(21), from: at(0), to: at(60) },
    });
    expect(response.errors).toEqual([
      {
        message:
          'this operation names 105 users (counting every field and alias); the limit is 100 ' +
          '(ask for fewer users, or split the operation)',
        extensions: { code: 'COST_LIMIT_EXCEEDED', users: 105, limit: 100 },
      },
    ]);
    expect(upstream.loads()).toBe(0);
    const within = await query({
      query: `query ($users: [ID!]!, $from: DateTime!, $to: DateTime!) { ${aliases} }`,
      variables: { users: userIds(20), from: at(0), to: at(60) },
    });
    expect(within.errors).toBeUndefined();
  });

  it('leaves bad input to execution, which refuses it with BAD_USER_INPUT', async () => {
    const { upstream, query } = gateway(2);
    const response = await query({
      query: QUERY,
      variables: { users: userIds(45), from: at(60), to: at(0) },
    });
    expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(upstream.queries).toHaveLength(0);
  });
});
