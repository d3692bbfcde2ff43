/**
 * GraphiQL's page over loopback HTTP: built once, sent in the coding the client accepts, revalidated by its entity
 * tag; served on exactly the requests Yoga's own GraphiQL plugin answered, and on no other.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphiqlExampleQueryScript } from '../../../src/http/graphiql-example.js';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

// What Chromium sends when it navigates to a page.
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

interface Exchange {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** A request whose body comes back as sent: undici's request() decodes no content coding. */
async function send(
  url: string,
  init: { method?: 'GET' | 'HEAD' | 'POST'; headers?: Record<string, string>; body?: string } = {},
): Promise<Exchange> {
  const response = await request(url, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body,
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: Buffer.from(await response.body.arrayBuffer()),
  };
}

function page(url: string, headers: Record<string, string> = {}): Promise<Exchange> {
  return send(url, { headers: { accept: BROWSER_ACCEPT, ...headers } });
}

let harness: TestGateway;
let graphqlUrl: string;
let origin: string;
beforeAll(async () => {
  harness = await startTestGateway();
  graphqlUrl = harness.gateway.graphqlUrl;
  origin = new URL(graphqlUrl).origin;
});
afterAll(() => harness.close());

describe('the GraphiQL page', () => {
  it('is sent in br, gzip or identity as accepted, each decoding to the same HTML', async () => {
    const identity = await page(graphqlUrl, { 'accept-encoding': 'identity' });
    const gzip = await page(graphqlUrl, { 'accept-encoding': 'gzip, deflate' });
    const br = await page(graphqlUrl, { 'accept-encoding': 'gzip, deflate, br, zstd' });

    expect(identity.status).toBe(200);
    expect(identity.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(identity.headers['content-encoding']).toBeUndefined();
    // Booleans, not toContain: a failure would otherwise print the whole 9 MB page.
    const html = identity.body.toString('utf8');
    expect(html.includes('<title>callq</title>')).toBe(true);
    expect(html.includes('query RoomQuality')).toBe(true);

    expect(gzip.status).toBe(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(identity.body)).toBe(true);
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(identity.body)).toBe(true);
    // The ~9 MB page travels as a fraction of itself.
    expect(br.body.length).toBeLessThan(identity.body.length / 3);
    expect(gzip.body.length).toBeLessThan(identity.body.length / 3);
    for (const exchange of [identity, gzip, br]) {
      expect(exchange.headers['content-length']).toBe(String(exchange.body.length));
      expect(exchange.headers.vary).toBe('Accept, Accept-Encoding, Origin');
      expect(exchange.headers['cache-control']).toBe('no-cache');
    }
  });

  it('keeps one entity tag per coding across requests', async () => {
    const tags = async () =>
      Promise.all(
        ['identity', 'gzip', 'br'].map(
          async (coding) => (await page(graphqlUrl, { 'accept-encoding': coding })).headers.etag,
        ),
      );
    const first = await tags();
    expect(await tags()).toEqual(first);
    expect(new Set(first).size).toBe(3);
    for (const tag of first) expect(tag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });

  it('answers a matching If-None-Match with 304 and no body, and another tag with the page', async () => {
    for (const coding of ['identity', 'gzip', 'br']) {
      const { headers } = await page(graphqlUrl, { 'accept-encoding': coding });
      const etag = String(headers.etag);
      for (const ifNoneMatch of [etag, `W/${etag}`, `"older", ${etag}`, '*']) {
        const revalidated = await page(graphqlUrl, {
          'accept-encoding': coding,
          'if-none-match': ifNoneMatch,
        });
        expect(revalidated.status, `${coding}, If-None-Match: ${ifNoneMatch}`).toBe(304);
        expect(revalidated.body.length).toBe(0);
        expect(revalidated.headers.etag).toBe(etag);
        expect(revalidated.headers.vary).toBe('Accept, Accept-Encoding, Origin');
        expect(revalidated.headers['cache-control']).toBe('no-cache');
      }
      const changed = await page(graphqlUrl, {
        'accept-encoding': coding,
        'if-none-match': '"an-older-page"',
      });
      expect(changed.status).toBe(200);
      expect(changed.headers.etag).toBe(etag);
    }
  });

  it('opens with the example whose range the browser computes, not one fixed when the page was built', async () => {
    const html = (await page(graphqlUrl)).body.toString('utf8');
    expect(html.includes(`"defaultQuery":${graphiqlExampleQueryScript()}`)).toBe(true);
    expect(/from: \\?"\d{4}-/.test(html)).toBe(false);
  });

  it("is served on Yoga's rule: a GET accepting text/html at the endpoint, query string or not", async () => {
    for (const target of ['/graphql', '/graphql/', '/graphql?query=%7B__typename%7D', '/graphql#editor']) {
      const served = await page(`${origin}${target}`, { 'accept-encoding': 'identity' });
      expect(served.status, target).toBe(200);
      expect(served.headers['content-type'], target).toMatch(/^text\/html/);
      // Still one request in the logs like any other, with its id.
      expect(served.headers['x-request-id'], target).toBeDefined();
    }
    const plainAccept = await page(graphqlUrl, { accept: 'text/html' });
    expect(plainAccept.headers['content-type']).toMatch(/^text\/html/);
  });

  it('leaves every other request to Yoga', async () => {
    const json = await send(`${graphqlUrl}?query=%7B__typename%7D`, {
      headers: { accept: 'application/graphql-response+json', 'x-graphql-yoga-csrf': '1' },
    });
    expect(JSON.parse(json.body.toString())).toEqual({ data: { __typename: 'Query' } });
    const post = await send(graphqlUrl, {
      method: 'POST',
      headers: { accept: BROWSER_ACCEPT, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(JSON.parse(post.body.toString())).toEqual({ data: { __typename: 'Query' } });
    for (const exchange of [
      await send(graphqlUrl, { method: 'HEAD', headers: { accept: BROWSER_ACCEPT } }),
      await page(`${origin}/graphql/more`),
      await page(`${origin}/GRAPHQL`),
    ]) {
      expect(exchange.status).not.toBe(200);
      expect(String(exchange.headers['content-type'])).not.toMatch(/text\/html/);
      expect(exchange.body.toString().includes('RoomQuality')).toBe(false);
    }
  });
});

describe('GRAPHIQL=false', () => {
  it('serves no page', async () => {
    const off = await startTestGateway({ env: { GRAPHIQL: 'false' } });
    try {
      const response = await page(off.gateway.graphqlUrl);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(String(response.headers['content-type'])).not.toMatch(/text\/html/);
      expect(response.body.toString().includes('RoomQuality')).toBe(false);
    } finally {
      await off.close();
    }
  });
});
