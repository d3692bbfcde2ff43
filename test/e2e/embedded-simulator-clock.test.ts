/**
 * The gateway's injectable clock is the one its embedded simulator runs on: the client signs X-Date with it,
 * so a simulator on another clock would refuse every call once a test moves time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { type RunningGateway, startGateway } from '../../src/gateway.js';
import { pastRange } from '../helpers/test-gateway.js';

const DAY_MS = 86_400_000;
// Two days behind the wall clock: far beyond the 5 minutes of X-Date skew the upstream accepts.
const clock = () => Date.now() - 2 * DAY_MS;

const QUERY = `query ($app: ID!, $room: ID!, $users: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: $app, roomId: $room, userIds: $users, from: $from, to: $to) { userId streams { direction } }
}`;

describe('a gateway on the embedded simulator, on a clock of its own', () => {
  let gateway: RunningGateway;
  beforeAll(async () => {
    gateway = await startGateway(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }), { now: clock });
  }, 30_000);
  afterAll(() => gateway?.close());

  it('signs X-Date with the clock its simulator checks it against', async () => {
    const { from, to } = pastRange(1, 10, clock());
    const response = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: QUERY,
        variables: { app: 'app-1', room: 'room-1', users: ['alice'], from, to },
      }),
    });
    const body = (await response.json()) as {
      data?: { callQuality: Array<{ userId: string; streams: unknown[] | null }> };
      errors?: unknown;
    };

    expect(body.errors).toBeUndefined();
    expect(body.data?.callQuality).toEqual([{ userId: 'alice', streams: expect.any(Array) }]);
    const calls = gateway.simulator?.calls ?? [];
    expect(calls.map((call) => [call.httpStatus, call.errorCode])).toEqual([[200, null]]);
    // Recorded on the simulator's clock, which is the gateway's.
    expect(Math.abs((calls[0]?.atMs ?? 0) - clock())).toBeLessThan(60_000);
  });
});
