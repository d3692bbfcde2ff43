/**
 * Shutdown under the signals operators really send. Ctrl-C and systemd (KillMode=control-group) signal the
 * whole process group of `npm start`, and the wrappers in it pass the signal on, so the gateway can hear one
 * stop several times, and an impatient operator presses Ctrl-C again. A repeat must not cut the drain the
 * first signal started, and no wrapper may kill a gateway that is slow to react to the first.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../src/simulator/simulator.js';
import { type GatewayProcess, spawnNpmStart, startGatewayProcess } from '../../helpers/gateway-process.js';
import { pastRange, TEST_CREDENTIALS } from '../../helpers/test-gateway.js';

const IN_FLIGHT = 40;
const GRACE_MS = 10_000;
const QUERY = `query ($room: ID!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "a", roomId: $room, userIds: ["u1"], from: $from, to: $to) { userId streams { direction } }
}`;

interface Answer {
  readonly status: number;
  readonly body: { data?: { callQuality: Array<{ streams: unknown[] | null }> }; errors?: unknown[] };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Whether a process (a positive id) or any process of a group (a negative one) still runs. */
function isRunning(id: number): boolean {
  try {
    process.kill(id, 0);
    return true;
  } catch {
    return false;
  }
}

let simulator: Simulator | undefined;
let gateway: GatewayProcess | undefined;
afterEach(async () => {
  const pgid = gateway?.child.pid;
  if (pgid !== undefined && isRunning(-pgid)) process.kill(-pgid, 'SIGKILL');
  gateway = undefined;
  await simulator?.close();
  simulator = undefined;
});

/** `npm start` in its own process group in front of a slow simulator, with IN_FLIGHT requests waiting on it. */
async function startWithRequestsInFlight() {
  simulator = await startSimulator({ credentials: TEST_CREDENTIALS });
  // The gateway's limiter sends 10 calls per (1 s + upstream latency): at 500 ms, the 40 calls take about
  // 5 s, half the grace, and at the signal 30 of the requests are still queued in the gateway.
  simulator.injectFault({ kind: 'slow', delayMs: 500 });
  const started = await startGatewayProcess(
    {
      VOLC_ACCESSKEY: TEST_CREDENTIALS.accessKeyId,
      VOLC_SECRETKEY: TEST_CREDENTIALS.secretAccessKey,
      VOLC_ENDPOINT: simulator.url,
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      LOG_LEVEL: 'info',
    },
    spawnNpmStart,
  );
  gateway = started;
  const range = pastRange(1);
  // One room each, so that no two requests share an upstream call.
  const answers = Array.from({ length: IN_FLIGHT }, async (_, index): Promise<Answer> => {
    const response = await fetch(started.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { room: `room${index}`, ...range } }),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  });
  const upstream = simulator;
  // In flight means inside the gateway: 10 calls upstream (the limiter's first second), the rest queued
  // for a turn. A connection still in the listen backlog when the listener closes is reset, not drained.
  const metricsUrl = `${new URL(started.url).origin}/metrics`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const metrics = await (await fetch(metricsUrl)).text();
    const queued = Number(/^callq_rate_limiter_queue_length (\d+)$/m.exec(metrics)?.[1]);
    if (upstream.calls.length + queued === IN_FLIGHT) break;
    if (Date.now() > deadline)
      throw new Error(`only ${upstream.calls.length + queued} requests reached the gateway`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { gateway: started, simulator: upstream, settled: Promise.allSettled(answers) };
}

/** A fresh TCP connection's fate: fetch would reuse a pooled keep-alive one, which the drain still serves. */
function connectOutcome(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

/** Lines the gateway logged with this message. */
function logged(gatewayProcess: GatewayProcess, message: string): string[] {
  return gatewayProcess
    .output()
    .split('\n')
    .filter((line) => line.includes(`"msg":"${message}`));
}

describe('npm start, signalled as a process group', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s while busy, and again while draining: every in-flight request completes, the gateway exits cleanly',
    async (signal) => {
      const { gateway, simulator, settled } = await startWithRequestsInFlight();
      const pgid = gateway.child.pid as number;
      const pid = Number(/"pid":(\d+)/.exec(logged(gateway, 'callq listening on')[0] ?? '')?.[1]);
      const closed = once(gateway.child, 'close');

      // The gateway is busy when the signal arrives (a long GC pause, a large response): no wrapper in the
      // group may take 200 ms without an acknowledgement for a hung process and kill it.
      process.kill(pid, 'SIGSTOP');
      process.kill(-pgid, signal);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(isRunning(pid), 'the busy gateway was killed').toBe(true);
      process.kill(pid, 'SIGCONT');
      await waitFor(() => logged(gateway, `${signal}: shutting down`).length === 1, 5_000);
      // The repeat, whether a wrapper's relay or a second Ctrl-C, arrives while the drain runs.
      process.kill(-pgid, signal);
      expect(await connectOutcome(gateway.url)).toBe('ECONNREFUSED');

      const results = await settled;
      const cut = results.filter((result) => result.status === 'rejected').length;
      expect(cut, gateway.output()).toBe(0);
      for (const result of results) {
        if (result.status === 'rejected') continue;
        expect(result.value.status).toBe(200);
        expect(result.value.body.errors).toBeUndefined();
        expect(result.value.body.data?.callQuality[0]?.streams?.length).toBeGreaterThan(0);
      }
      expect(simulator.calls.filter((call) => call.httpStatus === 200)).toHaveLength(IN_FLIGHT);

      // Debian's sh reports npm as killed by the signal whatever the gateway's status, so the gateway's own
      // last line, written just before process.exit(0), tells a drained stop from a killed one. `close`: every
      // process of the group has let go of the output pipes, so all of it has been read.
      await waitFor(() => !isRunning(-pgid), GRACE_MS + 5_000);
      await closed;
      expect(logged(gateway, `${signal}: already shutting down`)).toHaveLength(1);
      expect(logged(gateway, 'shutdown complete')).toHaveLength(1);
    },
  );
});
