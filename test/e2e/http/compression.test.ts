/**
 * Compression of answers end to end (real gateway and simulator over loopback), read with node:http, which,
 * unlike fetch, hands over the bytes as they travelled: the coding chosen, Vary, and what decoding gives.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RawResponse, rawRequest } from '../../helpers/raw-http.js';
import { pastRange, startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const QUERY = `query ($from: DateTime!, $to: DateTime!) {
  callQuality(appId: "a", roomId: "r", userIds: ["u1", "u2"], from: $from, to: $to) {
    userId final streams { direction peerId metrics(names: ["Rtt"]) { series { times values } } }
  }
}`;

const post = (url: string, body: unknown, headers: Record<string, string>) =>
  rawRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

function decode(response: RawResponse): string {
  const coding = response.headers['content-encoding'];
  if (coding === 'br') return brotliDecompressSync(response.body).toString('utf8');
  if (coding === 'gzip') return gunzipSync(response.body).toString('utf8');
  expect(coding).toBeUndefined();
  return response.body.toString('utf8');
}

let harness: TestGateway;
const range = pastRange(1, 10);
const ask = (headers: Record<string, string>, gateway = harness) =>
  post(
    gateway.gateway.graphqlUrl,
    { query: QUERY, variables: range },
    { accept: 'application/json', ...headers },
  );

beforeAll(async () => {
  // Without the response cache, so every request below is executed and compressed by the plugin.
  harness = await startTestGateway({ env: { RESPONSE_CACHE_MAX_MB: '0' } });
});
afterAll(async () => {
  await harness?.close();
});

describe('compression of answers', () => {
  it('sends br and gzip that decode to exactly the uncompressed answer, varying by Accept-Encoding', async () => {
    const identity = await ask({ 'accept-encoding': 'identity' });
    expect(identity.status).toBe(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body.length).toBeGreaterThan(1024);
    const text = identity.body.toString('utf8');
    expect(JSON.parse(text).errors).toBeUndefined();
    for (const coding of ['br', 'gzip']) {
      const compressed = await ask({ 'accept-encoding': coding });
      expect(compressed.headers['content-encoding']).toBe(coding);
      expect(compressed.headers.vary).toMatch(/accept-encoding/i);
      expect(Number(compressed.headers['content-length'])).toBe(compressed.body.length);
      expect(compressed.body.length).toBeLessThan(identity.body.length / 2);
      expect(decode(compressed)).toBe(text);
    }
    expect(identity.headers.vary).toMatch(/accept-encoding/i);
  });

  it('honours q-values: br refused with q=0 gives gzip, a higher q for gzip wins over br', async () => {
    expect((await ask({ 'accept-encoding': 'br;q=0, gzip' })).headers['content-encoding']).toBe('gzip');
    expect((await ask({ 'accept-encoding': 'br;q=0.5, gzip;q=0.9' })).headers['content-encoding']).toBe(
      'gzip',
    );
    expect((await ask({ 'accept-encoding': 'gzip, br' })).headers['content-encoding']).toBe('br');
    expect((await ask({})).headers['content-encoding']).toBeUndefined();
  });

  it('leaves small answers uncompressed', async () => {
    const small = await post(
      harness.gateway.graphqlUrl,
      { query: '{ __typename }' },
      { accept: 'application/json', 'accept-encoding': 'br, gzip' },
    );
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toEqual({ data: { __typename: 'Query' } });
  });

  it('never compresses a GraphQL-over-SSE stream', async () => {
    const stream = await ask({ accept: 'text/event-stream', 'accept-encoding': 'br, gzip' });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    // Yoga marks its streams `Content-Encoding: none` (for proxies that would buffer them); the events read plain.
    expect(stream.headers['content-encoding']).toBe('none');
    expect(stream.body.toString('utf8')).toContain('"callQuality"');
  });

  it('serves response-cache hits compressed, compressing each coding once and counting it in the bound', async () => {
    const cached = await startTestGateway();
    const cacheStats = () => cached.gateway.responseCache?.stats();
    const miss = await ask({ 'accept-encoding': 'br' }, cached);
    expect(miss.headers['content-encoding']).toBe('br');
    const text = decode(miss);
    expect(cacheStats()).toMatchObject({ misses: 1, hits: 0, compressions: 0 });
    const keptIdentityOnly = cacheStats()?.bytes ?? 0;

    const hits = await Promise.all([1, 2, 3].map(() => ask({ 'accept-encoding': 'br' }, cached)));
    const gzipHit = await ask({ 'accept-encoding': 'gzip' }, cached);
    const identityHit = await ask({}, cached);
    await cached.close();
    expect(cacheStats()).toMatchObject({ hits: 5, compressions: 2 });
    for (const hit of hits) {
      expect(hit.headers['content-encoding']).toBe('br');
      expect(hit.headers.vary).toMatch(/accept-encoding/i);
      expect(decode(hit)).toBe(text);
    }
    expect(gzipHit.headers['content-encoding']).toBe('gzip');
    expect(decode(gzipHit)).toBe(text);
    expect(decode(identityHit)).toBe(text);
    const brBytes = hits[0]?.body.length ?? 0;
    expect(cacheStats()?.bytes).toBe(keptIdentityOnly + brBytes + gzipHit.body.length);
  });
});
