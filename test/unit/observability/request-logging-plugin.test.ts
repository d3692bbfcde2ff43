import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../../src/observability/logger.js';
import {
  requestIdOf,
  requestLogger,
  useRequestLogging,
  yogaLogger,
} from '../../../src/observability/request-logging-plugin.js';

interface Context {
  readonly log: Logger;
  readonly reqId: string | undefined;
}

const schema = createSchema<Context>({
  typeDefs: /* GraphQL */ `
    type Query {
      hello(name: String): String!
      reqId: String
      failing: String
      broken: String
    }
  `,
  resolvers: {
    Query: {
      hello: (_root, args: { name?: string }, context) => {
        context.log.info('resolving hello');
        return `hello ${args.name ?? 'world'}`;
      },
      reqId: (_root, _args, context) => context.reqId,
      failing: () => {
        throw new GraphQLError('bad input', { extensions: { code: 'BAD_USER_INPUT' } });
      },
      broken: () => {
        throw new Error('internal detail kaboom');
      },
    },
  },
});

const SECRET = 'Bearer sk-live-7f3a9c0e5d2b4a61';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const BASE_URL = 'http://in-process.test';

/** A Yoga app logging through useRequestLogging into `lines`, answered in process. */
function loggedYoga(lines: string[]) {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  return createYoga({
    schema,
    plugins: [useRequestLogging(logger)],
    context: ({ request }) => ({ log: requestLogger(request, logger), reqId: requestIdOf(request) }),
    logging: yogaLogger(logger),
  });
}

let lines: string[];
let yoga: ReturnType<typeof loggedYoga>;

beforeEach(() => {
  lines = [];
  yoga = loggedYoga(lines);
});

function post(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return yoga.fetch(`${BASE_URL}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

function logged(): Array<Record<string, unknown>> {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

function requestLines() {
  return logged().filter((line) => line.msg === 'request');
}

describe('useRequestLogging: request ids', () => {
  it('echoes a valid client request id and binds it to the request line and the context logger', async () => {
    const response = await post(
      { query: 'query Greeting { hello reqId }' },
      { 'x-request-id': 'client-42.a:b_c', authorization: SECRET },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('client-42.a:b_c');
    expect(await response.json()).toEqual({ data: { hello: 'hello world', reqId: 'client-42.a:b_c' } });
    const entries = logged();
    expect(entries.map((line) => [line.msg, line.reqId])).toEqual([
      ['resolving hello', 'client-42.a:b_c'],
      ['request', 'client-42.a:b_c'],
    ]);
  });

  it.each([
    ['200 characters', 'x'.repeat(200)],
    ['spaces', 'id with spaces'],
    ['quotes and angle brackets', '"<script>"'],
    ['an empty value', ''],
  ])('replaces a client request id with %s by a fresh UUID', async (_case, clientId) => {
    const response = await post({ query: '{ reqId }' }, { 'x-request-id': clientId });
    const reqId = response.headers.get('x-request-id');
    expect(reqId).toMatch(UUID);
    expect(await response.json()).toEqual({ data: { reqId } });
    expect(requestLines().map((line) => line.reqId)).toEqual([reqId]);
  });

  it('gives every request its own id when the client sends none', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await post({ query: '{ hello }' })).headers.get('x-request-id'));
    expect(new Set(ids).size).toBe(3);
    expect(requestLines().map((line) => line.reqId)).toEqual(ids);
  });
});

describe('useRequestLogging: the request line', () => {
  it('logs one line per request: method, path, status, duration, operation name, error codes', async () => {
    await post({ query: 'query Greeting { hello }' });
    await post({ query: '{ a: failing b: failing }', operationName: null });
    await post({ query: '{ nope }' });
    const longName = `Op${'N'.repeat(150)}`;
    await post({ query: `query ${longName} { hello }`, operationName: longName });
    const health = await yoga.fetch(`${BASE_URL}/health`);

    const entries = requestLines();
    expect(entries).toHaveLength(5);
    for (const entry of entries) {
      expect(entry).toMatchObject({
        level: 'info',
        reqId: expect.any(String),
        durationMs: expect.any(Number),
      });
    }
    expect(
      entries.map(({ method, path, status, operationName, errorCodes }) => ({
        method,
        path,
        status,
        operationName,
        errorCodes,
      })),
    ).toEqual([
      { method: 'POST', path: '/graphql', status: 200, operationName: 'Greeting', errorCodes: [] },
      {
        method: 'POST',
        path: '/graphql',
        status: 200,
        operationName: undefined,
        errorCodes: ['BAD_USER_INPUT'],
      },
      {
        method: 'POST',
        path: '/graphql',
        status: 200,
        operationName: undefined,
        errorCodes: ['GRAPHQL_VALIDATION_FAILED'],
      },
      {
        method: 'POST',
        path: '/graphql',
        status: 200,
        operationName: longName.slice(0, 100),
        errorCodes: [],
      },
      // Yoga's health check ends the request before any user plugin's onRequest: it is logged all the same.
      { method: 'GET', path: '/health', status: health.status, operationName: undefined, errorCodes: [] },
    ]);
  });

  it('never logs the Authorization header, variables, the query or the query string', async () => {
    await post(
      {
        query: 'query Greeting($name: String) { hello(name: $name) }',
        variables: { name: 'VARIABLE-SECRET' },
      },
      { authorization: SECRET, cookie: `session=${SECRET}` },
    );
    const query = encodeURIComponent('{ hello(name: "QUERY-STRING-SECRET") }');
    const response = await yoga.fetch(`${BASE_URL}/graphql?query=${query}`, {
      headers: { accept: 'application/json', authorization: SECRET },
    });
    expect(response.status).toBe(200);
    expect(requestLines().map((line) => line.path)).toEqual(['/graphql', '/graphql']);
    const text = lines.join('\n');
    for (const secret of [SECRET, 'sk-live', 'VARIABLE-SECRET', 'QUERY-STRING-SECRET', 'hello(']) {
      expect(text).not.toContain(secret);
    }
  });

  it("sends Yoga's masked unexpected errors to the log with the request line's codes", async () => {
    const response = await post({ query: '{ broken }' });
    const body = await response.json();
    expect(body.errors[0]).toMatchObject({ message: 'Unexpected error.' });
    expect(JSON.stringify(body)).not.toContain('kaboom');
    const entries = logged();
    const failure = entries.find((line) => line.level === 'error');
    expect(failure).toMatchObject({ err: { message: 'internal detail kaboom' } });
    expect(requestLines()).toMatchObject([{ errorCodes: ['INTERNAL_SERVER_ERROR'] }]);
  });
});
