/**
 * HTTP caching of a settled answer end to end (real gateway and simulator over loopback), read with node:http,
 * which hands over the bytes as they travelled: an ETag per coding, each revalidated by a 304 without a body,
 * and no upstream call for any of it after the first answer.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../../helpers/raw-http.js';
import { pastRange, startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const QUERY = `query ($from: DateTime!, $to: DateTime!) {
  callQuality(appId: "a", roomId: "http-cache", userIds: ["u1", "u2"], from: $from, to: $to) {
    userId final streams { direction peerId metrics(names: ["Rtt"]) { series { times values } } }
  }
}`;

const get = (url: string, headers: Record<string, string>) =>
  rawRequest(url, { headers: { 'x-graphql-yoga-csrf': '1', ...headers } });

let harness: TestGateway;
let url: string;

beforeAll(async () => {
  harness = await startTestGateway();
  const target = new URL(harness.gateway.graphqlUrl);
  target.searchParams.set('query', QUERY);
  target.searchParams.set('variables', JSON.stringify(pastRange(1, 10)));
  url = target.toString();
});

afterAll(async () => {
  await harness?.close();
});

describe('HTTP caching over loopback', () => {
  it('revalidates a settled GET answer with 304s, one ETag per coding, at one upstream call', async () => {
    const etags: string[] = [];
    for (const acceptEncoding of ['identity', 'gzip', 'br']) {
      const headers = { accept: 'application/json', 'accept-encoding': acceptEncoding };
      const answer = await get(url, headers);
      expect(answer.status).toBe(200);
      const etag = String(answer.headers.etag);
      // The ETag is that of the bytes as sent, compressed or not.
      expect(etag).toBe(`"${createHash('sha256').update(answer.body).digest('base64url')}"`);
      expect(answer.headers['cache-control']).toBe('public, max-age=86400');
      expect(answer.headers.vary).toContain('Accept-Encoding');
      etags.push(etag);

      const revalidated = await get(url, { ...headers, 'if-none-match': etag });
      expect(revalidated.status).toBe(304);
      expect(revalidated.body.length).toBe(0);
      expect([revalidated.headers.etag, revalidated.headers['cache-control']]).toEqual([
        etag,
        'public, max-age=86400',
      ]);
    }
    expect(new Set(etags).size).toBe(3);
    // Two users, one hour: one call, then the response cache and the 304s.
    expect(harness.simulator.calls).toHaveLength(1);
  });
});
