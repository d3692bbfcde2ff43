/**
 * With introspection off, misspelt names must not be answered with the schema's right ones; with it on (the
 * default, for GraphiQL), graphql-js's "Did you mean" hints stay. Through the whole app, in process.
 */
import { describe, expect, it } from 'vitest';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pastRange } from '../../helpers/test-gateway.js';

const { from, to } = pastRange(1);
const ARGS = `appId: "app1", roomId: "room1", userIds: ["alice"], from: "${from}", to: "${to}"`;

interface Case {
  readonly what: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  /** The message without its hint, as graphql-js words it when no name is similar. */
  readonly message: string;
  readonly hint: string;
  readonly code: string;
}

const CASES: readonly Case[] = [
  {
    what: 'a field',
    query: `{ callQualty(${ARGS}) { userId } }`,
    message: 'Cannot query field "callQualty" on type "Query".',
    hint: ' Did you mean "callQuality"?',
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    what: 'a field of a nested type',
    query: `{ room(appId: "app1", roomId: "room1") { rooomId } }`,
    message: 'Cannot query field "rooomId" on type "Room".',
    hint: ' Did you mean "roomId"?',
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    what: 'a field with three names like it',
    query: `{ callQuality(${ARGS}) { streams { metrics { summary { aan } } } } }`,
    message: 'Cannot query field "aan" on type "MetricSummary".',
    hint: ' Did you mean "avg", "max", or "min"?',
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    what: 'an argument',
    query: `{ callQuality(${ARGS}, direction: [UP]) { userId } }`,
    message: 'Unknown argument "direction" on field "Query.callQuality".',
    hint: ' Did you mean "directions"?',
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    what: 'a type',
    query: `{ room(appId: "app1", roomId: "room1") { ... on Rooom { appId } } }`,
    message: 'Unknown type "Rooom".',
    hint: ' Did you mean "Room"?',
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    what: 'an enum value in the document',
    query: `{ callQuality(${ARGS}, directions: [UPP]) { userId } }`,
    message: 'Value "UPP" does not exist in "Direction" enum.',
    hint: ' Did you mean the enum value "UP"?',
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    what: 'an enum value with two values like it',
    query: `{ callQuality(${ARGS}) { streams { metrics { points(aggregate: MIX) { value } } } } }`,
    message: 'Value "MIX" does not exist in "Aggregate" enum.',
    hint: ' Did you mean the enum value "MAX" or "MIN"?',
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    what: 'an enum value in the variables',
    query: `query ($d: [Direction!]!) { callQuality(${ARGS}, directions: $d) { userId } }`,
    variables: { d: ['DOWN', 'UPP'] },
    message:
      'Variable "$d" got invalid value "UPP" at "d[1]"; Value "UPP" does not exist in "Direction" enum.',
    hint: ' Did you mean the enum value "UP"?',
    code: 'BAD_USER_INPUT',
  },
];

/** The names the hint gives away, e.g. `callQuality` from ` Did you mean "callQuality"?`. */
const hidden = (hint: string) => [...hint.matchAll(/"(\w+)"/g)].map((match) => match[1] as string);

describe('suggestions in errors', () => {
  const closed = createInProcessGateway({ env: { INTROSPECTION: 'false' } });
  const open = createInProcessGateway();

  describe.each(CASES)('for $what', ({ query, variables, message, hint, code }) => {
    it('are dropped with INTROSPECTION=false, and the right name appears nowhere', async () => {
      const response = await closed.query(query, variables);
      expect(response.status).toBe(400);
      expect(response.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
        [message, code],
      ]);
      const text = JSON.stringify(response.errors);
      expect(text).not.toMatch(/did you mean/i);
      for (const name of hidden(hint)) expect(text).not.toMatch(new RegExp(`\\W${name}\\W`));
    });

    it('stay by default', async () => {
      const response = await open.query(query, variables);
      expect(response.errors?.map((error) => [error.message, error.extensions?.code])).toEqual([
        [message + hint, code],
      ]);
    });
  });

  it('cost no upstream call either way', () => {
    expect(closed.upstream.calls).toEqual([]);
    expect(open.upstream.calls).toEqual([]);
  });
});
