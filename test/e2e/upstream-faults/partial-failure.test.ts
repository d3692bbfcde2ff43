import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pastRange, startTestGateway, type TestGateway, userIds } from '../../helpers/test-gateway.js';

let harness: TestGateway;
beforeAll(async () => {
  // Few, fast retries: the point is what a failure that outlasts them looks like.
  harness = await startTestGateway({
    env: {
      UPSTREAM_RETRY_MAX_ATTEMPTS: '2',
      UPSTREAM_RETRY_BASE_DELAY_MS: '10',
      UPSTREAM_RETRY_MAX_DELAY_MS: '20',
    },
  });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.simulator.resetCalls();
  harness.simulator.clearFaults();
});

const QUERY = `query ($users: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "app1", roomId: "room1", userIds: $users, from: $from, to: $to) {
    userId streams { direction }
  }
}`;

type Entries = { callQuality: Array<{ userId: string; streams: unknown[] | null }> };

describe('one failing chunk', () => {
  it('serves the other chunk and errors, with codes, for the failed users only', async () => {
    const users = userIds(25);
    harness.simulator.injectFault({ kind: 'http500', match: (call) => call.userIds.includes('user21') });
    const response = await harness.query<Entries>(QUERY, { users, ...pastRange(1) });

    const entries = response.data?.callQuality ?? [];
    expect(entries).toHaveLength(25);
    for (const entry of entries.slice(0, 20)) expect(entry.streams?.length).toBeGreaterThan(0);
    for (const entry of entries.slice(20)) expect(entry.streams).toBeNull();
    expect(response.errors?.map((error) => error.path)).toEqual(
      users.slice(20).map((_, index) => ['callQuality', 20 + index, 'streams']),
    );
    for (const error of response.errors ?? []) {
      expect(error.extensions).toMatchObject({
        code: 'UPSTREAM_ERROR',
        upstream: { code: 'InternalError', httpStatus: 500 },
      });
      expect(error.extensions?.upstream).toHaveProperty('requestId', expect.any(String));
    }
    // One good chunk, two attempts at the failing one.
    expect(harness.simulator.calls).toHaveLength(3);
  });

  it('reports a connection reset as UPSTREAM_UNAVAILABLE', async () => {
    harness.simulator.injectFault({ kind: 'reset' });
    const response = await harness.query<Entries>(QUERY, { users: ['alice'], ...pastRange(1) });

    expect(response.data?.callQuality[0]).toEqual({ userId: 'alice', streams: null });
    expect(response.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it('never shows credentials or signatures in an upstream error', async () => {
    harness.simulator.injectFault({ kind: 'http429' });
    const response = await harness.query<Entries>(QUERY, { users: ['alice'], ...pastRange(1) });
    const text = JSON.stringify(response);

    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstream: { code: 'FlowLimitExceeded' },
    });
    expect(text).not.toContain('AKTESTGATEWAY');
    expect(text).not.toContain('SKTESTGATEWAY');
    expect(text).not.toMatch(/Signature=|HMAC-SHA256/);
  });
});
