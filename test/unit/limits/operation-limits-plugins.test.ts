import { getIntrospectionQuery } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { graphiqlExampleQuery } from '../../../src/http/graphiql-example.js';
import { operationLimitsPlugins } from '../../../src/limits/operation-limits-plugins.js';
import { schema } from '../../../src/schema/index.js';
import { at, NOW, recordingUpstream } from '../../helpers/recording-upstream.js';

/** The defaults of src/config.ts. */
const DEFAULTS = { maxAliases: 250, maxDepth: 12, maxTokens: 20_000 };

interface Response {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

function gateway(limits = DEFAULTS) {
  const upstream = recordingUpstream();
  const yoga = createYoga({ schema, context: upstream.context, plugins: operationLimitsPlugins(limits) });
  async function query(text: string, operationName?: string): Promise<Response> {
    const response = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: text, operationName }),
    });
    return { status: response.status, ...((await response.json()) as Omit<Response, 'status'>) };
  }
  return { upstream, query };
}

const userField = (alias: string) =>
  `${alias}: user(userId: "${alias}", from: "${at(0)}", to: "${at(60)}") { userId final streams { direction peerId metrics { name unit summary { avg p95 } series(step: 60) { times values } } } }`;

describe('operationLimitsPlugins', () => {
  it('lets a whole room of 200 aliased users through the default limits', async () => {
    const { upstream, query } = gateway();
    const aliases = Array.from({ length: 200 }, (_, i) => userField(`u${i}`));
    const response = await query(`{ room(appId: "app", roomId: "room") { ${aliases.join('\n')} } }`);
    expect(response.errors).toBeUndefined();
    expect(Object.keys(response.data?.room as object)).toHaveLength(200);
    expect(upstream.queries).toHaveLength(10);
  });

  it("lets GraphiQL's example and its introspection query through", async () => {
    const { query } = gateway();
    // The example's query; its subscription runs over SSE in GraphiQL's browser test.
    const example = await query(graphiqlExampleQuery(NOW), 'RoomQuality');
    expect(example.errors).toBeUndefined();
    const introspection = await query(getIntrospectionQuery());
    expect(introspection.errors).toBeUndefined();
    expect(introspection.data?.__schema).toMatchObject({ queryType: { name: 'Query' } });
  });

  it('refuses an alias flood as an invalid document, naming the limit and the count', async () => {
    const { upstream, query } = gateway();
    const aliases = Array.from(
      { length: 251 },
      (_, i) => `r${i}: room(appId: "app", roomId: "room") { appId }`,
    );
    const response = await query(`{ ${aliases.join(' ')} }`);
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      {
        message: 'Aliases limit of 250 exceeded, found 251.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ]);
    expect(upstream.loads()).toBe(0);
  });

  it('counts aliases inside fragments once per spread', async () => {
    const { query } = gateway({ ...DEFAULTS, maxAliases: 3 });
    const fragment = 'fragment Two on Room { a: appId b: roomId }';
    const ok = await query(`{ x: room(appId: "a", roomId: "r") { ...Two } } ${fragment}`);
    expect(ok.errors).toBeUndefined();
    const tooMany = await query(
      `{ room(appId: "a", roomId: "r") { ...Two } r2: room(appId: "a", roomId: "r") { ...Two } } ${fragment}`,
    );
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a query deeper than the limit, and does not count fragments as levels', async () => {
    // room > user > streams > metrics > points > time: the deepest data this schema has, 6 levels.
    const plain = `{ room(appId: "a", roomId: "r") { user(userId: "u", from: "${at(0)}", to: "${at(60)}") { streams { metrics { points { time } } } } } }`;
    const refused = await gateway({ ...DEFAULTS, maxDepth: 5 }).query(plain);
    expect(refused.status).toBe(400);
    expect(refused.errors).toEqual([
      {
        message: 'Query depth limit of 5 exceeded, found 6.',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      },
    ]);
    const throughFragments = `{ room(appId: "a", roomId: "r") { ...U } }
      fragment U on Room { user(userId: "u", from: "${at(0)}", to: "${at(60)}") { ...S } }
      fragment S on UserCallQuality { streams { ... on Stream { metrics { points { time } } } } }`;
    expect((await gateway({ ...DEFAULTS, maxDepth: 6 }).query(throughFragments)).errors).toBeUndefined();
  });

  it('refuses a query deeper than the default limit', async () => {
    const { query } = gateway();
    const ofTypes = 'ofType { '.repeat(11);
    const response = await query(
      `{ __type(name: "Query") { fields { type { ${ofTypes} name ${'} '.repeat(11)} } } } }`,
    );
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.[0]?.message).toBe('Query depth limit of 12 exceeded, found 15.');
  });

  it('still refuses deeply nested introspection, which the depth limit leaves to graphql-js', async () => {
    const { query } = gateway();
    const response = await query(
      '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }',
    );
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses a token flood while parsing, without echoing the document', async () => {
    const { upstream, query } = gateway();
    const response = await query(`{ ${'__typename '.repeat(25_000)} }`);
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      {
        message: 'Syntax Error: Token limit of 20000 exceeded.',
        extensions: { code: 'GRAPHQL_PARSE_FAILED' },
      },
    ]);
    expect(upstream.loads()).toBe(0);
  });
});
