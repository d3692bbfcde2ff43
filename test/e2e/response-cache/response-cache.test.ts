/**
 * The response cache end to end (real gateway, real simulator over loopback): settled operations are answered
 * with the same bytes without being executed again; nothing is shared across principals, nothing that may
 * still change and nothing with errors is kept.
 */
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../helpers/manual-clock.js';
import { pastRange, startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const KEY_A = 'key-a-0123456789abcdef';
const KEY_B = 'key-b-0123456789abcdef';
const API_KEYS = JSON.stringify([
  { name: 'a', key: KEY_A, appIds: ['app-a', 'shared'] },
  { name: 'b', key: KEY_B, appIds: ['app-b'] },
]);
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

async function rawQuery(gateway: TestGateway, variables: Record<string, unknown>, key?: string) {
  const response = await fetch(gateway.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query: QUERY, variables }),
  });
  return { status: response.status, text: await response.text() };
}

const stats = (gateway: TestGateway) => gateway.gateway.responseCache?.stats();
const digest = (text: string) => createHash('sha256').update(text).digest('hex');

describe('response cache', () => {
  it('answers a repeated settled operation with the same bytes, without executing it', async () => {
    harness = await startTestGateway({ env: { AUTH_API_KEYS: API_KEYS } });
    const variables = { app: 'app-a', ...pastRange(1) };
    const first = await rawQuery(harness, variables, KEY_A);
    expect(JSON.parse(first.text).errors).toBeUndefined();
    expect(stats(harness)).toMatchObject({ hits: 0, misses: 1, entries: 1 });
    const windowLookups = harness.gateway.cache.stats();

    const second = await rawQuery(harness, variables, KEY_A);
    expect(digest(second.text)).toBe(digest(first.text));
    expect(stats(harness)).toMatchObject({ hits: 1, misses: 1 });
    // Not executed: the window cache was not even asked.
    expect(harness.gateway.cache.stats()).toEqual(windowLookups);
    expect(harness.simulator.calls).toHaveLength(1);
  });

  it('never serves one principal what was kept for another', async () => {
    harness = await startTestGateway({ env: { AUTH_API_KEYS: API_KEYS } });
    const variables = { app: 'app-a', ...pastRange(1) };
    await rawQuery(harness, variables, KEY_A);
    const asB = JSON.parse((await rawQuery(harness, variables, KEY_B)).text);
    expect(asB.data.callQuality.map((entry: { streams: unknown }) => entry.streams)).toEqual([null, null]);
    expect(asB.errors[0].extensions).toEqual({ code: 'FORBIDDEN', argument: 'appId' });
    const unauthenticated = await rawQuery(harness, variables);
    expect(unauthenticated.status).toBe(401);
    expect(stats(harness)?.hits).toBe(0);
  });

  it('keys by everything a principal may read: two tokens of one subject with different grants share nothing', async () => {
    const secret = 'response-cache-test-secret-0123456789';
    harness = await startTestGateway({ env: { AUTH_JWT_SECRET: secret } });
    const token = (appIds: string[]) =>
      new SignJWT({ appIds })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('alice')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret));
    const variables = { app: 'app-a', ...pastRange(1) };
    const granted = JSON.parse((await rawQuery(harness, variables, await token(['app-a']))).text);
    expect(granted.errors).toBeUndefined();
    const other = JSON.parse((await rawQuery(harness, variables, await token(['app-b']))).text);
    expect(other.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(stats(harness)?.hits).toBe(0);
  });

  const SLOT_MS = 300_000;
  it.each([
    ['reaches into the last ~100 s', Date.now(), 0],
    // Past the settle time, but its 5-minute slot ends 2 minutes later: held by the window cache only as a tail.
    [
      'ended 170 s ago inside a slot that has not settled',
      Math.floor(Date.now() / SLOT_MS) * SLOT_MS + 50_000,
      170_000,
    ],
  ])('does not keep an answer whose range %s', async (_case, nowMs, endedMsAgo) => {
    harness = await startTestGateway({ now: () => nowMs });
    const toMs = nowMs - endedMsAgo;
    const variables = {
      app: 'app-a',
      from: new Date(toMs - 600_000).toISOString(),
      to: new Date(toMs).toISOString(),
    };
    const first = JSON.parse((await rawQuery(harness, variables)).text);
    expect(first.data.callQuality[0].final).toBe(false);
    await rawQuery(harness, variables);
    expect(stats(harness)).toMatchObject({ hits: 0, misses: 2, entries: 0 });
  });

  it('does not keep an answer with errors', async () => {
    harness = await startTestGateway({
      env: { UPSTREAM_RETRY_MAX_ATTEMPTS: '1' },
    });
    harness.simulator.injectFault({ kind: 'http500', times: 1 });
    const variables = { app: 'app-a', ...pastRange(1) };
    const failed = JSON.parse((await rawQuery(harness, variables)).text);
    expect(failed.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
    const retried = JSON.parse((await rawQuery(harness, variables)).text);
    expect(retried.errors).toBeUndefined();
    expect(retried.data.callQuality[0].streams.length).toBeGreaterThan(0);
    expect(stats(harness)).toMatchObject({ hits: 0, misses: 2, entries: 1 });
  });

  it('is off with RESPONSE_CACHE_MAX_MB=0', async () => {
    harness = await startTestGateway({ env: { RESPONSE_CACHE_MAX_MB: '0' } });
    expect(harness.gateway.responseCache).toBeNull();
    const variables = { app: 'app-a', ...pastRange(1) };
    const first = await rawQuery(harness, variables);
    const second = await rawQuery(harness, variables);
    expect(second.text).toBe(first.text);
  });

  it('keeps an answer no longer than its range stays inside the retention', async () => {
    const clock = manualClock(Date.now());
    harness = await startTestGateway({ now: clock.now });
    const fromMs = clock.now() - 6 * 24 * 3_600_000 + 10 * 60_000;
    const variables = {
      app: 'app-a',
      from: new Date(fromMs).toISOString(),
      to: new Date(fromMs + 3_600_000).toISOString(),
    };
    expect(JSON.parse((await rawQuery(harness, variables)).text).errors).toBeUndefined();
    clock.advance(9 * 60_000);
    expect(JSON.parse((await rawQuery(harness, variables)).text).errors).toBeUndefined();
    expect(stats(harness)).toMatchObject({ hits: 1, misses: 1 });

    // `from` has left the retention: never answered from the cache. Just past the edge the range is clamped,
    // and the answer says so; further back it is refused like any other spelling of that range.
    clock.advance(90_000);
    const clamped = JSON.parse((await rawQuery(harness, variables)).text);
    expect(clamped.extensions.warnings.map((warning: { code: string }) => warning.code)).toEqual([
      'RANGE_CLAMPED',
    ]);
    expect(stats(harness)).toMatchObject({ hits: 1, misses: 2 });
    clock.advance(2 * 60_000);
    const late = JSON.parse((await rawQuery(harness, variables)).text);
    expect(late.data).toBeNull();
    expect(late.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'from' });
  });
});
