/**
 * No secret ever leaves the gateway: run as a real process with canary credentials (upstream key pair and STS
 * token, a client API key, a JWT secret) at LOG_LEVEL=debug, drive it through every kind of answer it gives
 * (data, each upstream failure, bad input, refused credentials, forbidden AppIds, metrics, health, GraphiQL,
 * shutdown), then search everything it printed and every response it sent for the canaries in any usual form.
 */
import { once } from 'node:events';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultKind } from '../../src/simulator/fault-book.js';
import { type Simulator, startSimulator } from '../../src/simulator/simulator.js';
import { type GatewayProcess, startGatewayProcess } from '../helpers/gateway-process.js';
import { pastRange } from '../helpers/test-gateway.js';

const ACCESS_KEY = 'AKLEAKCANARY0001';
const SECRET_KEY = 'SKLEAKCANARY-secret-0001';
const SESSION_TOKEN = 'STSLEAKCANARY0001';
const API_KEY = 'APIKEYLEAKCANARY-0001';
const JWT_SECRET = 'JWTSECRETLEAKCANARY-0001-at-least-32-bytes';
const CANARIES = [ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, API_KEY, JWT_SECRET];
/**
 * What the upstream's Authorization header is made of; none of it may show anywhere. `Signature=` must be a
 * value's start (GraphiQL's bundle holds `this._fragmentSignature=null`) followed by hex.
 */
const SIGNATURE_PARTS = [/(?<![\w$])Signature=[0-9a-fA-F]{8}/, /Credential=AK/, /HMAC-SHA256\s+Credential/];

/**
 * The runs of `text`'s base64 that do not depend on what precedes or follows it, at each of the three byte
 * alignments it can have inside a longer encoded value.
 */
function base64Cores(text: string, alphabet: 'base64' | 'base64url'): string[] {
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), Buffer.from(text)]).toString(alphabet);
    const firstWholeGroup = offset === 0 ? 0 : 4;
    const lastWholeGroup = Math.floor((offset + Buffer.byteLength(text)) / 3) * 4;
    return encoded.slice(firstWholeGroup, lastWholeGroup);
  });
}

/** Every form a secret could take in a log line or a response: raw, URL-encoded, hex, base64(url). */
function formsOf(secret: string): string[] {
  const hex = Buffer.from(secret).toString('hex');
  return [
    secret,
    encodeURIComponent(secret),
    hex,
    hex.toUpperCase(),
    ...base64Cores(secret, 'base64'),
    ...base64Cores(secret, 'base64url'),
  ];
}

/** What of `secrets` (by index and form) or of the signature's parts shows in `text`. */
function leaksIn(text: string, secrets: readonly string[]): string[] {
  const found: string[] = [];
  secrets.forEach((secret, index) => {
    for (const form of formsOf(secret)) if (text.includes(form)) found.push(`secret #${index} as ${form}`);
  });
  for (const part of SIGNATURE_PARTS) if (part.test(text)) found.push(`upstream signature part ${part}`);
  return found;
}

function hs256(claims: Record<string, unknown>, secret: string): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('leak-test')
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret));
}

interface Exchange {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

let simulator: Simulator;
let gateway: GatewayProcess;
let origin: string;
const exchanges: Exchange[] = [];
/** Every Authorization value sent: a credential, so none may be echoed anywhere either. */
const authorizations: string[] = [];

async function send(path: string, init: RequestInit = {}): Promise<Exchange> {
  const authorization = new Headers(init.headers).get('authorization');
  if (authorization !== null) authorizations.push(authorization);
  const response = await fetch(`${origin}${path}`, init);
  const exchange = { status: response.status, headers: response.headers, body: await response.text() };
  exchanges.push(exchange);
  return exchange;
}

interface GraphQLBody {
  data?: Record<string, Array<{ streams: unknown[] | null }>> | null;
  errors?: Array<{ message: string; extensions?: { code?: string; upstream?: { code?: string } } }>;
}

async function graphql(query: string, variables: Record<string, unknown>, authorization?: string) {
  const exchange = await send('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: exchange.status, ...(JSON.parse(exchange.body) as GraphQLBody) };
}

const CALL_QUALITY = `query Leak($app: ID!, $user: ID!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: $app, roomId: "vault", userIds: [$user], from: $from, to: $to) { userId streams { direction } }
}`;

beforeAll(async () => {
  simulator = await startSimulator({
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN },
  });
  gateway = await startGatewayProcess({
    VOLC_ACCESSKEY: ACCESS_KEY,
    VOLC_SECRETKEY: SECRET_KEY,
    VOLC_SESSION_TOKEN: SESSION_TOKEN,
    VOLC_ENDPOINT: simulator.url,
    AUTH_API_KEYS: JSON.stringify([{ name: 'leak-test', key: API_KEY, appIds: ['app-key'] }]),
    AUTH_JWT_SECRET: JWT_SECRET,
    LOG_LEVEL: 'debug',
    // Every failure is one attempt that reaches the simulator: no retries, and a breaker that never opens.
    UPSTREAM_RETRY_MAX_ATTEMPTS: '1',
    BREAKER_FAILURE_THRESHOLD: '1000',
    // The slow fault must outlast this, quickly.
    UPSTREAM_HEADERS_TIMEOUT_MS: '300',
  });
  origin = new URL(gateway.url).origin;
}, 60_000);

afterAll(async () => {
  if (gateway?.child.exitCode === null) gateway.child.kill('SIGKILL');
  await simulator?.close();
});

describe('a gateway run with canary secrets', () => {
  it('finds a canary in every form it searches for (the search itself works)', () => {
    const secret = 'canary-under-test';
    for (const form of formsOf(secret)) expect(leaksIn(`x${form}y`, [secret])).not.toEqual([]);
    // Inside a longer base64 value, at any alignment.
    for (const prefix of ['', 'a', 'ab']) {
      expect(leaksIn(Buffer.from(`${prefix}${secret}!`).toString('base64'), [secret])).not.toEqual([]);
    }
    const upstreamAuthorization = `HMAC-SHA256 Credential=AKX/20260101/cn-north-1/rtc/request, SignedHeaders=x-date, Signature=${'0a'.repeat(32)}`;
    expect(leaksIn(upstreamAuthorization, [])).toHaveLength(3);
    expect(leaksIn('this._fragmentSignature=null', [])).toEqual([]);
  });

  it('serves, fails and refuses without showing a secret, logs JSON with request ids, and stops on SIGTERM', async () => {
    const range = pastRange(1);
    const jwt = await hs256({ appIds: ['app-jwt'] }, JWT_SECRET);
    const forged = await hs256({ appIds: ['*'] }, `${JWT_SECRET}-but-not-quite`);

    // Data, with both kinds of credential: the simulator checked the signature and the STS token.
    for (const [app, authorization] of [
      ['app-key', `Bearer ${API_KEY}`],
      ['app-jwt', `Bearer ${jwt}`],
    ] as const) {
      const ok = await graphql(CALL_QUALITY, { app, user: 'alice', ...range }, authorization);
      expect(ok.errors, app).toBeUndefined();
      expect(ok.data?.callQuality?.[0]?.streams?.length, app).toBeGreaterThan(0);
    }
    expect(simulator.calls.map((call) => [call.appId, call.httpStatus])).toEqual([
      ['app-key', 200],
      ['app-jwt', 200],
    ]);

    // Each upstream failure, for a user of its own so that nothing is served from the cache.
    const faults: ReadonlyArray<readonly [FaultKind, string]> = [
      ['http500', 'UPSTREAM_ERROR'],
      ['http429', 'UPSTREAM_ERROR'],
      ['malformed', 'UPSTREAM_ERROR'],
      ['truncated', 'UPSTREAM_UNAVAILABLE'],
      ['reset', 'UPSTREAM_UNAVAILABLE'],
      ['slow', 'UPSTREAM_UNAVAILABLE'],
    ];
    for (const [kind, code] of faults) {
      const user = `victim-${kind}`;
      simulator.injectFault({ kind, times: 1, delayMs: 3_000, match: (call) => call.userIds.includes(user) });
      const failed = await graphql(CALL_QUALITY, { app: 'app-key', user, ...range }, `Bearer ${API_KEY}`);
      expect(failed.data?.callQuality?.[0]?.streams, kind).toBeNull();
      expect(
        failed.errors?.map((error) => error.extensions?.code),
        kind,
      ).toEqual([code]);
    }
    expect(simulator.calls.slice(2).map((call) => call.fault)).toEqual(faults.map(([kind]) => kind));

    // Bad input, in the document and in the body.
    const bad = await graphql(
      CALL_QUALITY,
      { app: 'app-key', user: 'alice', from: range.to, to: range.to },
      `Bearer ${API_KEY}`,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const notJson = await send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: `{"query": "${API_KEY}`,
    });
    expect(notJson.status).toBe(400);

    // Credentials that do not verify, the canary key among them in places it does not belong.
    for (const authorization of [
      undefined,
      `Basic ${Buffer.from(`leak-test:${API_KEY}`).toString('base64')}`,
      `Token ${API_KEY}`,
      `Bearer ${API_KEY}-wrong`,
      `Bearer ${forged}`,
    ]) {
      const refused = await graphql(CALL_QUALITY, { app: 'app-key', user: 'alice', ...range }, authorization);
      expect(refused.status, authorization).toBe(401);
      expect(
        refused.errors?.map((error) => error.extensions?.code),
        authorization,
      ).toEqual(['UNAUTHENTICATED']);
    }

    // AppIds the credential may not read.
    for (const authorization of [`Bearer ${API_KEY}`, `Bearer ${jwt}`]) {
      const forbidden = await graphql(
        CALL_QUALITY,
        { app: 'app-other', user: 'alice', ...range },
        authorization,
      );
      expect(forbidden.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    expect(simulator.calls).toHaveLength(2 + faults.length);

    // The operator's and the browser's surface.
    expect((await send('/metrics')).status).toBe(200);
    expect((await send('/health')).status).toBe(200);
    expect((await send('/ready')).status).toBe(200);
    const graphiql = await send('/graphql', { headers: { accept: 'text/html' } });
    expect(graphiql.status).toBe(200);
    expect(graphiql.body).toContain('RoomQuality');

    const closed = once(gateway.child, 'close');
    expect(await gateway.stop()).toBe(0);
    await closed;
    const output = gateway.output();
    expect(output).toContain('SIGTERM: shutting down');

    // Everything the process printed, and everything it answered.
    const secrets = [
      ...CANARIES,
      ...authorizations,
      ...authorizations.map((value) => value.split(/[ .]/).at(-1) ?? value),
    ];
    expect(leaksIn(output, secrets)).toEqual([]);
    exchanges.forEach((exchange, index) => {
      expect(leaksIn(exchange.body, secrets), `body of response ${index}`).toEqual([]);
      expect(leaksIn(JSON.stringify([...exchange.headers]), secrets), `headers of response ${index}`).toEqual(
        [],
      );
    });

    // JSON lines, each request's tied to the id its response carried.
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level?: string; reqId?: string; msg?: string; status?: number });
    // The most verbose level was on, so whatever the gateway logs at all was searched.
    expect(lines.some((line) => line.level === 'debug')).toBe(true);
    const requestLines = lines.filter((line) => line.msg === 'request');
    expect(requestLines.length).toBeGreaterThanOrEqual(exchanges.length);
    const loggedIds = new Set(requestLines.map((line) => line.reqId));
    for (const exchange of exchanges) {
      const reqId = exchange.headers.get('x-request-id');
      expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
      expect(loggedIds.has(reqId ?? '')).toBe(true);
    }
  });
});
