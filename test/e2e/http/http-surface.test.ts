/**
 * The HTTP surface browsers and operators see, end to end over loopback: body limits, CSRF, CORS,
 * introspection, liveness and readiness.
 */
import { request as httpRequest } from 'node:http';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

let harness: TestGateway;
let origin: string;
beforeAll(async () => {
  harness = await startTestGateway({
    env: { CORS_ORIGINS: 'https://dash.example,http://localhost:3000', LIMIT_MAX_BODY_BYTES: '2048' },
  });
  origin = new URL(harness.gateway.graphqlUrl).origin;
});
afterAll(() => harness.close());

function post(body: string, headers: Record<string, string> = {}) {
  return fetch(harness.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}

/** A POST with a chunked body of unknown size, which fetch() cannot send from a string. */
function postChunked(): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      harness.gateway.graphqlUrl,
      { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.write('{"query":"{ __typename }"}');
    req.end();
  });
}

describe('request bodies', () => {
  it('refuses a body over LIMIT_MAX_BODY_BYTES with 413 and a code, before reading it', async () => {
    const response = await post(JSON.stringify({ query: `{ __typename } #${'x'.repeat(4096)}` }));
    expect(response.status).toBe(413);
    expect((await response.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a body of undeclared size with 411', async () => {
    const { status, body } = await postChunked();
    expect(status).toBe(411);
    expect(JSON.parse(body).errors[0].extensions.code).toBe('LENGTH_REQUIRED');
  });

  it('answers a body that is not JSON with BAD_REQUEST, without quoting it back', async () => {
    const response = await post('{"query": "{ __typename }", SECRET-LOOKING-INPUT');
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(text).not.toContain('SECRET-LOOKING-INPUT');
  });

  it('codes variables that do not fit their type as BAD_USER_INPUT', async () => {
    const response = await post(
      JSON.stringify({
        query: 'query ($a: ID!) { room(appId: $a, roomId: "r") { appId } }',
        variables: { a: { nested: true } },
      }),
    );
    expect((await response.json()).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('CSRF and CORS', () => {
  it('refuses a GET query without a CSRF header, and serves it with one', async () => {
    const url = `${harness.gateway.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`;
    const bare = await fetch(url, { headers: { accept: 'application/json' } });
    expect(bare.status).toBe(403);
    expect((await bare.json()).errors[0].extensions.code).toBe('CSRF_HEADER_REQUIRED');
    const withHeader = await fetch(url, {
      headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1' },
    });
    expect(await withHeader.json()).toEqual({ data: { __typename: 'Query' } });
  });

  it('refuses a form-encoded POST, which a cross-site page could send without a preflight', async () => {
    const response = await fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=%7B__typename%7D',
    });
    expect(response.status).toBe(403);
  });

  it('allows the listed origins only, without credentials', async () => {
    const preflight = (from: string) =>
      fetch(harness.gateway.graphqlUrl, {
        method: 'OPTIONS',
        headers: {
          origin: from,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
    const allowed = await preflight('http://localhost:3000');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await preflight('https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });

  it('sends no CORS headers at all without CORS_ORIGINS', async () => {
    const closed = await startTestGateway();
    try {
      const response = await fetch(closed.gateway.graphqlUrl, {
        method: 'OPTIONS',
        headers: { origin: 'https://dash.example', 'access-control-request-method': 'POST' },
      });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await closed.close();
    }
  });
});

describe('introspection', () => {
  it('is on by default (GraphiQL needs it) and off with INTROSPECTION=false', async () => {
    const on = await post(JSON.stringify({ query: getIntrospectionQuery() }));
    expect((await on.json()).data.__schema.queryType.name).toBe('Query');

    const closed = await startTestGateway({ env: { INTROSPECTION: 'false' } });
    try {
      const off = await closed.query(getIntrospectionQuery());
      expect(off.data ?? null).toBeNull();
      expect(off.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      const plain = await closed.query('{ __typename }');
      expect(plain.data).toEqual({ __typename: 'Query' });
    } finally {
      await closed.close();
    }
  });
});

describe('health', () => {
  it('answers liveness at /health and readiness at /ready', async () => {
    expect((await fetch(`${origin}/health`)).status).toBe(200);
    expect((await fetch(`${origin}/ready`)).status).toBe(200);
  });
});
