/**
 * The attempt deadline against an upstream that sends its headers and then a byte every 200 ms: undici's
 * headers and body timeouts never fire for it, so only the deadline ends the attempt and frees the socket.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallDetailQuery } from '../../../src/model/call-detail.js';
import { type CallDetailClient, createCallDetailClient } from '../../../src/upstream/call-detail-client.js';
import { UpstreamFailure, UpstreamUnavailableError } from '../../../src/upstream/upstream-error.js';
import { type DrippingUpstream, startDrippingUpstream } from '../../helpers/dripping-upstream.js';

const ATTEMPT_MS = 1_000;
// Inside the upstream's retention, which the client checks against the clock.
const startMs = Math.floor(Date.now() / 1000) * 1000 - 2 * 3_600_000;
const query: CallDetailQuery = {
  appId: 'app-1',
  roomId: 'dripping-room',
  userIds: ['viewer-1'],
  startMs,
  endMs: startMs + 60_000,
  direction: 0,
};

let upstream: DrippingUpstream;
let client: CallDetailClient;

beforeEach(async () => {
  upstream = await startDrippingUpstream({ drips: (roomId) => roomId === 'dripping-room' });
  client = createCallDetailClient({
    endpoint: upstream.url,
    credentials: { accessKeyId: 'AKDRIP', secretAccessKey: 'SKDRIP' },
    region: 'cn-north-1',
    // Far longer than the deadline, and longer than the 200 ms between two drips: neither may end the attempt.
    timeouts: { connectMs: 2_000, headersMs: 5_000, bodyMs: 5_000, attemptMs: ATTEMPT_MS },
  });
});
afterEach(async () => {
  await client.close();
  await upstream.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  );
}

describe('createCallDetailClient: attempt deadline', () => {
  it('fails a dripping answer at attemptMs as UPSTREAM_UNAVAILABLE and closes its socket', async () => {
    const startedAt = performance.now();
    const error = await rejection(client.listCallDetail(query));
    const elapsedMs = performance.now() - startedAt;

    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect((error as Error).message).toBe(
      `ListCallDetail attempt exceeded its deadline of ${ATTEMPT_MS} ms without a complete answer`,
    );
    // The body was under way (not a headers timeout), and the deadline is our own timer, so it is on time; the
    // upper bound only leaves room for a busy machine, far below the 5 s of the other timeouts.
    expect(upstream.drippedBytes()).toBeGreaterThanOrEqual(3);
    expect(elapsedMs).toBeGreaterThanOrEqual(ATTEMPT_MS - 5);
    expect(elapsedMs).toBeLessThan(ATTEMPT_MS + 1_500);
    // The socket is dropped, not kept in the pool: the rest of that answer will never be read.
    await vi.waitFor(() => expect(upstream.drippingSockets()).toBe(0), { timeout: 2_000 });
  }, 10_000);

  it("keeps the caller's abort during a dripping body as the caller's abort", async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    const pending = client.listCallDetail(query, controller.signal);
    setTimeout(() => controller.abort(reason), 300);

    const error = await rejection(pending);

    expect(error).toBe(reason);
    expect(error).not.toBeInstanceOf(UpstreamFailure);
    await vi.waitFor(() => expect(upstream.drippingSockets()).toBe(0), { timeout: 2_000 });
  });
});
