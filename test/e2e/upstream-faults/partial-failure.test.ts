/**
 * A chunk that fails for good, where the socket or the signature matters: against the simulator over loopback.
 * What a failing chunk costs the rest of the answer: test/unit/schema/user-call-quality-partial-failure.test.ts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pastRange, startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

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
