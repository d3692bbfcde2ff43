/**
 * Authentication and AppId authorization end to end: a real gateway configured as an operator would (two API
 * keys and an HS256 secret), in front of a real simulator that counts every call. A refused request or field
 * must cost no upstream call at all.
 */
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import {
  expectedStreams,
  SERIES_STREAMS_SELECTION,
  type SeriesStream,
} from '../../helpers/expected-streams.js';
import { pastRange, startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const KEY_A = 'e2e-key-a-0123456789abcdef';
const KEY_B = 'e2e-key-b-0123456789abcdef';
const JWT_SECRET = 'e2e-hs256-shared-secret-of-at-least-32-bytes';
const API_KEYS = JSON.stringify([
  { name: 'dashboard-a', key: KEY_A, appIds: ['app-a'] },
  { name: 'dashboard-b', key: KEY_B, appIds: ['app-b', 'app-c'] },
]);
const APP_IDS = ['app-a', 'app-b', 'app-c'] as const;

function hs256(claims: Record<string, unknown>, expiresAt: number | string, secret = JWT_SECRET) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('grafana')
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));
}

let harness: TestGateway;
let jwt: string;
beforeAll(async () => {
  harness = await startTestGateway({ env: { AUTH_API_KEYS: API_KEYS, AUTH_JWT_SECRET: JWT_SECRET } });
  jwt = await hs256({ appIds: ['app-c'] }, '10m');
});
afterAll(() => harness.close());
beforeEach(() => harness.simulator.resetCalls());

const CALL_QUALITY = `query ($app: ID!, $room: ID!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: $app, roomId: $room, userIds: ["alice"], from: $from, to: $to) {
    userId ${SERIES_STREAMS_SELECTION}
  }
}`;
const ROOM_USER = `query ($app: ID!, $room: ID!, $from: DateTime!, $to: DateTime!) {
  room(appId: $app, roomId: $room) { user(userId: "alice", from: $from, to: $to) { userId ${SERIES_STREAMS_SELECTION} } }
}`;

type Entry = { userId: string; streams: SeriesStream[] | null };
type Data = { callQuality?: Entry[]; room?: { user: Entry } };

interface Case {
  readonly principal: string;
  /** For room ids, which allow no colon. */
  readonly slug: string;
  readonly authorization: () => string;
  readonly readable: readonly string[];
}

const CASES: readonly Case[] = [
  { principal: 'dashboard-a', slug: 'key-a', authorization: () => `Bearer ${KEY_A}`, readable: ['app-a'] },
  {
    principal: 'dashboard-b',
    slug: 'key-b',
    authorization: () => `Bearer ${KEY_B}`,
    readable: ['app-b', 'app-c'],
  },
  { principal: 'jwt:grafana', slug: 'jwt', authorization: () => `Bearer ${jwt}`, readable: ['app-c'] },
];

describe.each(CASES)('$principal', ({ principal, slug, authorization, readable }) => {
  for (const [field, query] of [
    ['callQuality', CALL_QUALITY],
    ['room', ROOM_USER],
  ] as const) {
    it(`reads exactly its AppIds through ${field}, and no refused one reaches the upstream`, async () => {
      const range = pastRange(1);
      for (const appId of APP_IDS) {
        harness.simulator.resetCalls();
        // A room of its own per step, so the answer is never a cache hit of an earlier step.
        const room = `${slug}-${field}-${appId}`;
        const response = await harness.query<Data>(
          query,
          { app: appId, room, from: range.from, to: range.to },
          { authorization: authorization() },
        );

        expect(response.status, appId).toBe(200);
        if (readable.includes(appId)) {
          expect(response.errors, appId).toBeUndefined();
          const entry = field === 'callQuality' ? response.data?.callQuality?.[0] : response.data?.room?.user;
          expect(entry?.streams, appId).toEqual(
            expectedStreams({ appId, roomId: room, userId: 'alice', ...range }),
          );
          expect(entry?.streams?.length, appId).toBeGreaterThan(0);
          expect(
            harness.simulator.calls.map((call) => [call.appId, call.roomId]),
            appId,
          ).toEqual([[appId, room]]);
        } else {
          // The entry itself needs no upstream data; its `streams` is refused, where a failure stays local.
          const streamsPath = field === 'callQuality' ? [field, 0, 'streams'] : [field, 'user', 'streams'];
          const entry = field === 'callQuality' ? response.data?.callQuality?.[0] : response.data?.room?.user;
          expect(entry, appId).toEqual({ userId: 'alice', streams: null });
          expect(response.errors, appId).toEqual([
            {
              message: `\`appId\` "${appId}" is not readable by "${principal}"`,
              locations: expect.any(Array),
              path: streamsPath,
              extensions: { code: 'FORBIDDEN', argument: 'appId' },
            },
          ]);
          expect(harness.simulator.calls, appId).toHaveLength(0);
        }
      }
    });
  }
});

describe('an operation mixing a permitted and a forbidden root field', () => {
  async function mixedOperation(room: string) {
    const range = pastRange(1);
    const response = await harness.query<{ mine?: Entry[]; theirs?: Entry[] }>(
      `query ($room: ID!, $from: DateTime!, $to: DateTime!) {
        mine: callQuality(appId: "app-a", roomId: $room, userIds: ["alice"], from: $from, to: $to) {
          userId ${SERIES_STREAMS_SELECTION}
        }
        theirs: callQuality(appId: "app-b", roomId: $room, userIds: ["alice"], from: $from, to: $to) {
          userId ${SERIES_STREAMS_SELECTION}
        }
      }`,
      { room, ...range },
      { authorization: `Bearer ${KEY_A}` },
    );
    return { response, range };
  }

  it('answers FORBIDDEN at the forbidden alias’s path and never calls the upstream for it', async () => {
    const { response } = await mixedOperation('mixed-1');

    expect(response.status).toBe(200);
    expect(response.errors).toEqual([
      {
        message: '`appId` "app-b" is not readable by "dashboard-a"',
        locations: expect.any(Array),
        path: ['theirs', 0, 'streams'],
        extensions: { code: 'FORBIDDEN', argument: 'appId' },
      },
    ]);
    expect(harness.simulator.calls.map((call) => call.appId)).toEqual(['app-a']);
  });

  it('serves the permitted alias its data alongside the refusal', async () => {
    const { response, range } = await mixedOperation('mixed-2');

    expect(response.data?.mine?.[0]?.streams).toEqual(
      expectedStreams({ appId: 'app-a', roomId: 'mixed-2', userId: 'alice', ...range }),
    );
    expect(response.data?.theirs).toEqual([{ userId: 'alice', streams: null }]);
  });
});

describe('requests without a valid credential', () => {
  const expiredAt = () => Math.floor(Date.now() / 1000) - 60;
  const cases: ReadonlyArray<readonly [string, () => Promise<Record<string, string>>, string]> = [
    ['no Authorization header', async () => ({}), 'missing credential'],
    [
      'an unknown API key',
      async () => ({ authorization: 'Bearer e2e-key-z-0123456789abcdef' }),
      'invalid API key',
    ],
    [
      'an expired JWT',
      async () => ({ authorization: `Bearer ${await hs256({ appIds: ['app-c'] }, expiredAt())}` }),
      'invalid token: expired',
    ],
    [
      'a JWT signed with another secret',
      async () => ({
        authorization: `Bearer ${await hs256({ appIds: ['app-c'] }, '10m', 'another-secret-of-at-least-32-bytes!!')}`,
      }),
      'invalid token: bad signature',
    ],
    ['a valid key in another scheme', async () => ({ authorization: `Basic ${KEY_A}` }), 'unsupported'],
  ];

  it.each(cases)('are refused with HTTP 401 and UNAUTHENTICATED: %s', async (_name, headers, reason) => {
    const response = await harness.query(
      CALL_QUALITY,
      { app: 'app-a', room: 'unauthenticated', ...pastRange(1) },
      await headers(),
    );

    expect(response.status).toBe(401);
    expect(response.data).toBeUndefined();
    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED' });
    expect(response.errors?.[0]?.message).toContain(reason);
    expect(harness.simulator.calls).toHaveLength(0);
  });

  it('are told which scheme to use in WWW-Authenticate', async () => {
    const response = await fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    await response.body?.cancel();
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });
});

describe('a gateway with no authentication configured', () => {
  it('serves every AppId to anyone, and says so in a warning at start', async () => {
    const lines: Array<{ level: string; msg: string }> = [];
    const logger = createLogger({
      level: 'warn',
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    const open = await startTestGateway({ logger });
    try {
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 'warn',
          msg: expect.stringMatching(/^no client authentication is configured .*anyone .* every AppId/),
        }),
      );
      const range = pastRange(1);
      for (const appId of APP_IDS) {
        const body = await open.query<Data>(CALL_QUALITY, { app: appId, room: 'open', ...range });
        expect(body.errors, appId).toBeUndefined();
        expect(body.data?.callQuality?.[0]?.streams, appId).toEqual(
          expectedStreams({ appId, roomId: 'open', userId: 'alice', ...range }),
        );
      }
      expect(open.simulator.calls.map((call) => call.appId)).toEqual([...APP_IDS]);
    } finally {
      await open.close();
    }
  });
});
