/**
 * One upstream call failing for good costs only the fields that needed it. Faults a socket is needed for
 * (a reset connection) and what a signed request must never leak are in test/e2e/upstream-faults.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pastRange, userIds } from '../../helpers/test-gateway.js';

// Few, fast retries: the point is what a failure that outlasts them looks like.
const harness = createInProcessGateway({
  env: {
    UPSTREAM_RETRY_MAX_ATTEMPTS: '2',
    UPSTREAM_RETRY_BASE_DELAY_MS: '10',
    UPSTREAM_RETRY_MAX_DELAY_MS: '20',
  },
});
beforeEach(() => {
  harness.upstream.resetCalls();
  harness.upstream.clearFaults();
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
    harness.upstream.injectFault({ kind: 'http500', match: (call) => call.userIds.includes('user21') });
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
    expect(harness.upstream.calls).toHaveLength(3);
  });
});
