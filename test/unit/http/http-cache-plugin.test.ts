/**
 * HTTP caching of settled answers through the real app: what a browser or a CDN is told about a GET's answer
 * (ETag, Cache-Control, Vary), the 304 a revalidation gets, and `no-store` for everything that may change.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LIST_CALL_DETAIL_LIMITS } from '../../../src/model/call-detail.js';
import { createInProcessGateway, IN_PROCESS_GRAPHQL_URL } from '../../helpers/in-process-gateway.js';
import { manualClock } from '../../helpers/manual-clock.js';

const MINUTE_MS = 60_000;
// On a slot boundary, so the ranges below start and end on slots.
const NOW_MS = Math.floor(Date.now() / (5 * MINUTE_MS)) * 5 * MINUTE_MS;
const KEY = 'http-cache-key-0123456789';

const RTT = `query ($from: DateTime, $to: DateTime, $last: Int) {
  callQuality(appId: "demo-app", roomId: "http-cache", userIds: ["alice"], from: $from, to: $to, last: $last) {
    userId final streams { direction metric(name: "Rtt") { summary { count avg } } }
  }
}`;

const iso = (ms: number) => new Date(ms).toISOString();
/** An hour that ended 10 minutes before NOW_MS: settled. */
const SETTLED = { from: iso(NOW_MS - 70 * MINUTE_MS), to: iso(NOW_MS - 10 * MINUTE_MS) };

function gateway(env: Record<string, string> = {}) {
  return createInProcessGateway({ now: manualClock(NOW_MS).now, env });
}

type Harness = ReturnType<typeof gateway>;

async function get(harness: Harness, variables: object, headers: Record<string, string> = {}) {
  const url = new URL(IN_PROCESS_GRAPHQL_URL);
  url.searchParams.set('query', RTT);
  url.searchParams.set('variables', JSON.stringify(variables));
  const response = await harness.fetch(
    new Request(url, { headers: { accept: 'application/json', 'x-graphql-yoga-csrf': '1', ...headers } }),
  );
  const bytes = new Uint8Array(await response.arrayBuffer());
  const header = (name: string) => response.headers.get(name);
  return { status: response.status, bytes, header, body: () => JSON.parse(new TextDecoder().decode(bytes)) };
}

describe('HTTP caching of settled answers', () => {
  it('gives a settled GET answer a strong ETag of its bytes, public max-age, Vary: Accept', async () => {
    const harness = gateway();
    const answer = await get(harness, SETTLED);
    expect(answer.status).toBe(200);
    expect(answer.body().data.callQuality[0].final).toBe(true);
    const etag = `"${createHash('sha256').update(answer.bytes).digest('base64url')}"`;
    expect(answer.header('etag')).toBe(etag);
    // The cap (a day) is nearer than the retention edge of a range that started 70 minutes ago.
    expect(answer.header('cache-control')).toBe('public, max-age=86400');
    expect(answer.header('vary')).toBe('Origin, Accept');
  });

  it('answers If-None-Match with the ETag by a 304 without a body, the same headers and no upstream call', async () => {
    const harness = gateway();
    const first = await get(harness, SETTLED);
    const calls = harness.upstream.calls.length;
    const etag = first.header('etag') ?? '';
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const revalidated = await get(harness, SETTLED, { 'if-none-match': ifNoneMatch });
      expect(revalidated.status).toBe(304);
      expect(revalidated.bytes.length).toBe(0);
      expect(revalidated.header('etag')).toBe(etag);
      expect(revalidated.header('cache-control')).toBe('public, max-age=86400');
      expect(revalidated.header('vary')).toBe('Origin, Accept');
    }
    expect(harness.upstream.calls.length).toBe(calls);
    const changed = await get(harness, SETTLED, { 'if-none-match': '"other"' });
    expect([changed.status, changed.header('etag')]).toEqual([200, etag]);
  });

  it('gives the same ETag to an executed answer and a response-cache hit', async () => {
    const cached = gateway();
    const executed = await get(cached, SETTLED);
    const hit = await get(cached, SETTLED);
    const uncached = await get(gateway({ RESPONSE_CACHE_MAX_MB: '0' }), SETTLED);
    expect(hit.header('etag')).toBe(executed.header('etag'));
    expect(uncached.header('etag')).toBe(executed.header('etag'));
    expect(hit.header('cache-control')).toBe('public, max-age=86400');
  });

  it('keeps max-age within the time the range stays in the retention', async () => {
    const harness = gateway();
    const fromMs = NOW_MS - LIST_CALL_DETAIL_LIMITS.retentionMs + 30 * MINUTE_MS;
    const answer = await get(harness, { from: iso(fromMs), to: iso(fromMs + 60 * MINUTE_MS) });
    expect(answer.status).toBe(200);
    expect(answer.header('cache-control')).toBe('public, max-age=1800');
    // A second GET is a response-cache hit: its max-age comes from the kept answer's range, the same.
    expect(
      (await get(harness, { from: iso(fromMs), to: iso(fromMs + 60 * MINUTE_MS) })).header('cache-control'),
    ).toBe('public, max-age=1800');
  });

  it('says private and Vary: Authorization when clients authenticate', async () => {
    const harness = gateway({ AUTH_API_KEYS: JSON.stringify([{ name: 'dash', key: KEY, appIds: ['*'] }]) });
    const answer = await get(harness, SETTLED, { authorization: `Bearer ${KEY}` });
    expect(answer.status).toBe(200);
    expect(answer.header('cache-control')).toBe('private, max-age=86400');
    expect(answer.header('vary')).toBe('Origin, Accept, Authorization');
  });

  it('sends no-store for answers that may change or carry errors, for streams, and when the cap is 0', async () => {
    const harness = gateway();
    const moving = await get(harness, { last: 600 });
    expect(moving.body().data.callQuality[0].final).toBe(false);
    const refused = await get(harness, {
      from: iso(NOW_MS + 60 * MINUTE_MS),
      to: iso(NOW_MS + 120 * MINUTE_MS),
    });
    expect(refused.body().errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const capped = await get(gateway({ HTTP_CACHE_MAX_AGE_SECONDS: '0' }), SETTLED);
    expect(capped.status).toBe(200);
    const streamed = await get(harness, SETTLED, { accept: 'text/event-stream' });
    expect([streamed.status, streamed.header('content-type')]).toEqual([200, 'text/event-stream']);
    for (const answer of [moving, refused, capped, streamed]) {
      expect([answer.header('cache-control'), answer.header('etag')]).toEqual(['no-store', null]);
    }
  });

  it('sends no-store for a GET refused before execution, and leaves other addresses alone', async () => {
    const harness = gateway();
    const url = new URL(IN_PROCESS_GRAPHQL_URL);
    url.searchParams.set('query', RTT);
    const refused = await harness.fetch(new Request(url, { headers: { accept: 'application/json' } }));
    expect([refused.status, refused.headers.get('cache-control')]).toEqual([403, 'no-store']);
    const health = await harness.fetch(new Request(new URL('/health', IN_PROCESS_GRAPHQL_URL)));
    expect([health.status, health.headers.get('cache-control')]).toEqual([200, null]);
  });

  it('leaves POSTs alone: browsers and CDNs do not cache them', async () => {
    const harness = gateway();
    const response = await harness.fetch(
      new Request(IN_PROCESS_GRAPHQL_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: RTT, variables: SETTLED }),
      }),
    );
    await response.arrayBuffer();
    expect([response.status, response.headers.get('cache-control'), response.headers.get('etag')]).toEqual([
      200,
      null,
      null,
    ]);
  });
});
