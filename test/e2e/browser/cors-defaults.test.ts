/**
 * What a browser developer meets first, over loopback: a preflight is answered as CORS (never as a CSRF
 * refusal), a refused origin is told about CORS_ORIGINS (and the operator once per origin), a CSRF refusal says
 * how to pass it, and the simulator lets a local dev server in while a credentialed gateway does not.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { type RunningGateway, startGateway } from '../../../src/gateway.js';
import { createLogger } from '../../../src/observability/logger.js';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const DEV_SERVER = 'http://localhost:5173';
const STRANGER = 'https://evil.example';

function preflight(url: string, origin: string) {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });
}

function postFrom(url: string, origin: string) {
  return fetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
}

async function firstError(response: Response): Promise<{ message: string; code: unknown }> {
  const body = (await response.json()) as {
    errors: Array<{ message: string; extensions: { code: unknown } }>;
  };
  const [error] = body.errors;
  if (!error) throw new Error('no error in the response');
  return { message: error.message, code: error.extensions.code };
}

describe('a credentialed gateway with an allow-list', () => {
  let harness: TestGateway;
  const warnings: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    const destination = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) warnings.push(JSON.parse(line));
        done();
      },
    });
    harness = await startTestGateway({
      env: { CORS_ORIGINS: 'https://dash.example' },
      logger: createLogger({ level: 'warn', destination }),
    });
  });
  afterAll(() => harness.close());

  it('answers a preflight from a listed origin 204 with the CORS headers', async () => {
    const response = await preflight(harness.gateway.graphqlUrl, 'https://dash.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('content-type');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses a preflight from another origin naming CORS_ORIGINS, and logs it once per origin', async () => {
    for (let round = 0; round < 3; round++) {
      const response = await preflight(harness.gateway.graphqlUrl, STRANGER);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const error = await firstError(response);
      expect(error.code).toBe('CORS_ORIGIN_NOT_ALLOWED');
      expect(error.message).toContain(STRANGER);
      expect(error.message).toContain('CORS_ORIGINS=');
    }
    const refused = await postFrom(harness.gateway.graphqlUrl, STRANGER);
    expect(refused.status).toBe(403);
    expect((await firstError(refused)).code).toBe('CORS_ORIGIN_NOT_ALLOWED');
    await preflight(harness.gateway.graphqlUrl, 'https://other.example');

    const logged = warnings.filter((line) => line.code === 'CORS_ORIGIN_NOT_ALLOWED');
    expect(logged.map((line) => line.origin)).toEqual([STRANGER, 'https://other.example']);
    expect(String(logged[0]?.msg)).toContain('CORS_ORIGINS');
  });

  it('does not let a local dev server in: with credentials only the list counts', async () => {
    const response = await preflight(harness.gateway.graphqlUrl, DEV_SERVER);
    expect(response.status).toBe(403);
    expect((await firstError(response)).code).toBe('CORS_ORIGIN_NOT_ALLOWED');
  });

  it('names the CSRF header and the content type that needs none', async () => {
    // What `curl -d '{...}'` sends: a form content type, which a cross-site form could send too.
    const curl = await fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    const get = await fetch(`${harness.gateway.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'application/json' },
    });
    for (const response of [curl, get]) {
      expect(response.status).toBe(403);
      const error = await firstError(response);
      expect(error.code).toBe('CSRF_HEADER_REQUIRED');
      expect(error.message).toContain('x-graphql-yoga-csrf');
      expect(error.message).toContain('application/json');
    }
  });
});

describe('a credentialed gateway without CORS_ORIGINS', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway();
  });
  afterAll(() => harness.close());

  it('refuses a cross-origin request with a code naming CORS_ORIGINS, and serves its own origin', async () => {
    const refused = await postFrom(harness.gateway.graphqlUrl, DEV_SERVER);
    expect(refused.status).toBe(403);
    const error = await firstError(refused);
    expect(error.code).toBe('CORS_ORIGIN_NOT_ALLOWED');
    expect(error.message).toContain('CORS_ORIGINS');

    const own = await postFrom(harness.gateway.graphqlUrl, new URL(harness.gateway.graphqlUrl).origin);
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('the embedded simulator with default settings', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startGateway(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }));
  }, 30_000);
  afterAll(() => gateway?.close());

  it('lets local dev servers in, and no one else', async () => {
    for (const origin of [DEV_SERVER, 'http://127.0.0.1:3000', 'http://[::1]:8080']) {
      const response = await preflight(gateway.graphqlUrl, origin);
      expect(response.status, origin).toBe(204);
      expect(response.headers.get('access-control-allow-origin'), origin).toBe(origin);
    }
    const served = await postFrom(gateway.graphqlUrl, DEV_SERVER);
    expect(served.headers.get('access-control-allow-origin')).toBe(DEV_SERVER);
    expect(await served.json()).toEqual({ data: { __typename: 'Query' } });

    for (const origin of [STRANGER, 'https://localhost:5173', 'http://localhost.evil.example']) {
      const response = await preflight(gateway.graphqlUrl, origin);
      expect(response.status, origin).toBe(403);
      expect((await firstError(response)).code, origin).toBe('CORS_ORIGIN_NOT_ALLOWED');
    }
  });
});
