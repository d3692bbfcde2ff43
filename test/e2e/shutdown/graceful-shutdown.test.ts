/**
 * Graceful shutdown of a real gateway over loopback: the listener stops accepting, an in-flight request
 * finishes within the grace period, and one that would outlast it is cut at the bound, not waited for.
 */
import { describe, expect, it } from 'vitest';
import { pastRange, startTestGateway } from '../../helpers/test-gateway.js';

const QUERY = `query ($from: DateTime!, $to: DateTime!) {
  callQuality(appId: "a", roomId: "r", userIds: ["u1"], from: $from, to: $to) { userId streams { direction } }
}`;

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('graceful shutdown', () => {
  it('finishes an in-flight request, refuses new connections, then closes', async () => {
    const harness = await startTestGateway({ env: { SHUTDOWN_GRACE_MS: '5000' } });
    harness.simulator.injectFault({ kind: 'slow', delayMs: 800, times: 1 });
    const inFlight = harness.query<{ callQuality: Array<{ streams: unknown[] }> }>(QUERY, pastRange(1));
    await waitFor(() => harness.simulator.calls.length === 1);

    const closing = harness.gateway.close();
    await expect(fetch(`${new URL(harness.gateway.graphqlUrl).origin}/health`)).rejects.toThrow();
    const response = await inFlight;
    expect(response.errors).toBeUndefined();
    expect(response.data?.callQuality[0]?.streams.length).toBeGreaterThan(0);
    await closing;
    await harness.simulator.close();
  });

  it('cuts a request that outlasts SHUTDOWN_GRACE_MS at the bound', async () => {
    const harness = await startTestGateway({ env: { SHUTDOWN_GRACE_MS: '300' } });
    harness.simulator.injectFault({ kind: 'slow', delayMs: 20_000, times: 1 });
    const inFlight = harness.query(QUERY, pastRange(1)).then(
      () => 'answered',
      () => 'cut',
    );
    await waitFor(() => harness.simulator.calls.length === 1);

    const started = performance.now();
    await harness.gateway.close();
    const elapsedMs = performance.now() - started;
    expect(await inFlight).toBe('cut');
    // The grace period plus scheduling slack on a loaded machine; far below the 20 s the upstream would take.
    expect(elapsedMs).toBeLessThan(5_000);
    await harness.simulator.close();
  });
});
