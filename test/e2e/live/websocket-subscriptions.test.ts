/**
 * Live subscriptions over WebSocket (graphql-ws), end to end with graphql-ws's own client on loopback: the same
 * events as over SSE, the same refusals, and a clean end at shutdown.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Client, createClient } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { presenceOf } from '../../../src/simulator/episodes.js';
import { expectedStreams, type SeriesStream } from '../../helpers/expected-streams.js';
import { type ManualClock, manualClock } from '../../helpers/manual-clock.js';
import { nextEvent } from '../../helpers/next-event.js';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

/**
 * A fixed instant, so the simulated data does not depend on when the test runs: alice is in the room from the
 * window before it to five minutes after (checked below); while she is away an update rightly has no new points.
 */
const START_MS = Date.UTC(2026, 0, 1, 12, 0, 0);

const LIVE = `subscription ($users: [ID!]!, $app: ID! = "app-ws") {
  liveCallQuality(appId: $app, roomId: "room-ws", userIds: $users, last: 600) {
    initial from to
    users { userId streams { direction peerId metrics { name series { times values } } } }
  }
}`;

interface LiveResult {
  data?: {
    liveCallQuality: {
      initial: boolean;
      from: string;
      to: string;
      users: Array<{ userId: string; streams: SeriesStream[] | null }>;
    };
  } | null;
  errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
}

let harness: TestGateway;
let clock: ManualClock;
const clients: Client[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.dispose();
  await harness?.close();
});

async function start(env: Record<string, string> = {}) {
  clock = manualClock(START_MS);
  harness = await startTestGateway({ now: clock.now, env: { LIVE_POLL_INTERVAL_MS: '20', ...env } });
}

function client(connectionParams?: Record<string, unknown>) {
  const one = createClient({
    url: harness.gateway.graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams,
  });
  clients.push(one);
  return one;
}

it('runs at an instant where alice is in the room throughout', () => {
  const present = presenceOf('app-ws', 'room-ws', 'alice');
  for (let timeMs = START_MS - 600_000; timeMs <= START_MS + 300_000; timeMs += 10_000) {
    expect(present(timeMs)).toBe(true);
  }
});

describe('liveCallQuality over WebSocket', () => {
  it('sends the whole window, then the new points as the tail moves', async () => {
    await start();
    const t0 = clock.now();
    const events = client().iterate({
      query: LIVE,
      variables: { users: ['alice'] },
    }) as AsyncIterableIterator<LiveResult>;
    const first = await nextEvent(events);
    expect(first.errors).toBeUndefined();
    expect(first.data?.liveCallQuality).toMatchObject({ initial: true, to: new Date(t0).toISOString() });
    const t1 = clock.advance(60_000);
    const update = await nextEvent(events);
    expect(update.data?.liveCallQuality).toMatchObject({ initial: false, to: new Date(t1).toISOString() });
    const held = first.data?.liveCallQuality.users[0]?.streams ?? [];
    const added = update.data?.liveCallQuality.users[0]?.streams ?? [];
    const joined = held.map((stream) => ({
      ...stream,
      metrics: stream.metrics.map((metric) => {
        const more = added
          .find((one) => one.direction === stream.direction && one.peerId === stream.peerId)
          ?.metrics.find((one) => one.name === metric.name)?.series;
        return {
          name: metric.name,
          series: {
            times: [...metric.series.times, ...(more?.times ?? [])],
            values: [...metric.series.values, ...(more?.values ?? [])],
          },
        };
      }),
    }));
    expect(joined).toEqual(
      expectedStreams({
        appId: 'app-ws',
        roomId: 'room-ws',
        userId: 'alice',
        fromMs: t0 - 600_000,
        toMs: t1 - 100_000 + 1,
      }),
    );
    // Over both transports one poller serves the room: one call for the window, one for the moved tail.
    expect(harness.simulator.calls).toHaveLength(2);
  });

  it('refuses a connection without a valid credential, and an AppId the credential may not read', async () => {
    const key = 'live-ws-key-0123456789abcdef';
    await start({ AUTH_API_KEYS: JSON.stringify([{ name: 'wall', key, appIds: ['app-ws'] }]) });
    const anonymous = client().iterate({ query: LIVE, variables: { users: ['alice'] } });
    await expect(anonymous.next()).rejects.toMatchObject({ code: 4403 });
    const keyed = client({ authorization: `Bearer ${key}` });
    const refused = await nextEvent(
      keyed.iterate({
        query: LIVE,
        variables: { users: ['alice'], app: 'app-other' },
      }) as AsyncIterableIterator<LiveResult>,
    );
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(harness.simulator.calls).toHaveLength(0);
  });

  it('runs only trusted documents, sent by hash, with TRUSTED_DOCUMENTS_MODE=require', async () => {
    const sha256Hash = createHash('sha256').update(LIVE).digest('hex');
    const list = join(mkdtempSync(join(tmpdir(), 'callq-ws-trusted-')), 'persisted-documents.json');
    writeFileSync(list, JSON.stringify({ [sha256Hash]: LIVE }));
    await start({ TRUSTED_DOCUMENTS: list, TRUSTED_DOCUMENTS_MODE: 'require' });
    const variables = { users: ['alice'] };
    // Yoga's HTTP hooks do not run for WebSocket messages: the text would otherwise bypass the list.
    await expect(client().iterate({ query: LIVE, variables }).next()).rejects.toEqual([
      expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED' } }),
    ]);
    expect(harness.simulator.calls).toHaveLength(0);
    const byHash = client().iterate({
      query: '',
      variables,
      extensions: { persistedQuery: { version: 1, sha256Hash } },
    }) as AsyncIterableIterator<LiveResult>;
    expect((await nextEvent(byHash)).data?.liveCallQuality.initial).toBe(true);
  });

  it('refuses the upgrade of a browser page from an origin CORS_ORIGINS does not list', async () => {
    await start({ CORS_ORIGINS: 'https://dash.example' });
    const url = harness.gateway.graphqlUrl.replace(/^http/, 'ws');
    const statusOf = (origin: string) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(url, 'graphql-transport-ws', { origin });
        socket.once('open', () => {
          socket.close();
          resolve(101);
        });
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        socket.once('error', reject);
      });
    expect(await statusOf('https://evil.example')).toBe(401);
    expect(await statusOf('https://dash.example')).toBe(101);
  });

  it('completes subscriptions at shutdown before closing the socket', async () => {
    await start();
    const events = client().iterate({
      query: LIVE,
      variables: { users: ['alice'] },
    }) as AsyncIterableIterator<LiveResult>;
    expect((await nextEvent(events)).data?.liveCallQuality.initial).toBe(true);
    const ended = events.next();
    await harness.close();
    await expect(ended).resolves.toEqual({ done: true, value: undefined });
  });
});
