/**
 * The response cache keeps JSON, so it answers only requests Yoga would answer in JSON; requests negotiated to
 * GraphQL over SSE or to multipart/mixed are executed and answered in their own format, end to end over loopback.
 */
import { fetch, request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMultipart, parseSse } from '../../helpers/streamed-bodies.js';
import { pastRange, startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const QUERY = `query ($app: ID!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: $app, roomId: "r", userIds: ["u1", "u2"], from: $from, to: $to) {
    userId final streams { direction peerId metrics(names: ["Rtt"]) { series { times values } } }
  }
}`;

let harness: TestGateway | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const stats = (gateway: TestGateway) => gateway.gateway.responseCache?.stats();
const settled = () => ({ app: 'app-a', ...pastRange(1) });

/** A POST with exactly the Accept header given (none when null), as the bytes came off the wire. */
async function post(gateway: TestGateway, accept: string | null, variables: Record<string, unknown>) {
  const response = await request(gateway.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept === null ? {} : { accept }) },
    body: JSON.stringify({ query: QUERY, variables }),
  });
  const bytes = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, headers: response.headers, bytes, text: bytes.toString('utf8') };
}

describe('response cache and content negotiation', () => {
  it('answers GraphQL over SSE in SSE every time, and keeps the result for JSON clients', async () => {
    harness = await startTestGateway();
    const variables = settled();
    const answers = [
      await post(harness, 'text/event-stream', variables),
      await post(harness, 'text/event-stream', variables),
    ];
    const streams = answers.map((answer) => {
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('text/event-stream');
      return parseSse(answer.text);
    });
    expect(streams[0]?.map((event) => event.event)).toEqual(['next', 'complete']);
    expect(streams[1]).toEqual(streams[0]);
    const result = JSON.parse(streams[0]?.[0]?.data ?? '');
    expect(result.errors).toBeUndefined();
    expect(result.data.callQuality.map((entry: { userId: string }) => entry.userId)).toEqual(['u1', 'u2']);

    const json = await post(harness, 'application/graphql-response+json', variables);
    expect(JSON.parse(json.text)).toEqual(result);
    expect(stats(harness)).toMatchObject({ hits: 1, misses: 0, entries: 1 });
    expect(harness.simulator.calls).toHaveLength(1);
  });

  it('answers multipart/mixed as multipart every time, never with both Transfer-Encoding and Content-Length', async () => {
    harness = await startTestGateway();
    const variables = settled();
    const bodies: unknown[] = [];
    for (let attempt = 0; attempt < 2; attempt += 1) {
      // fetch, as browsers and GraphQL clients read answers: it refuses a response framed both ways (RFC 9112 6.3).
      const response = await fetch(harness.gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'multipart/mixed' },
        body: JSON.stringify({ query: QUERY, variables }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.has('transfer-encoding') && response.headers.has('content-length')).toBe(false);
      const parts = parseMultipart(response.headers.get('content-type') ?? '', await response.text());
      expect(parts).toHaveLength(1);
      expect(parts[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
      bodies.push(JSON.parse(parts[0]?.body ?? ''));
    }
    expect(bodies[1]).toEqual(bodies[0]);
    expect((bodies[0] as { data: { callQuality: unknown[] } }).data.callQuality).toHaveLength(2);
  });

  it.each([
    [null, 'application/json; charset=utf-8'],
    ['*/*', 'application/json; charset=utf-8'],
    ['application/json', 'application/json; charset=utf-8'],
    ['application/graphql-response+json', 'application/graphql-response+json; charset=utf-8'],
  ])(
    'answers a repeated settled operation with Accept %s from the cache, as Yoga answered it',
    async (accept, type) => {
      harness = await startTestGateway();
      const variables = settled();
      const first = await post(harness, accept, variables);
      const second = await post(harness, accept, variables);
      expect(stats(harness)).toMatchObject({ hits: 1, misses: 1 });
      expect(harness.simulator.calls).toHaveLength(1);
      for (const answer of [first, second]) {
        expect(answer.status).toBe(200);
        expect(answer.headers['content-type']).toBe(type);
        expect(answer.headers['transfer-encoding']).toBeUndefined();
      }
      expect(second.headers['content-length']).toBe(String(first.bytes.length));
      expect(second.bytes.equals(first.bytes)).toBe(true);
    },
  );
});
