/**
 * The child process of bench/live-subscribers.ts: the bench gateway and its simulator, plus a loopback probe the
 * parent asks for this process's heap (after a full GC) and the simulator's call count, so that the heap
 * measured per subscriber is the gateway's alone, not the 1,000 clients'.
 *
 * Run by the parent: node --expose-gc --import tsx bench/live-subscribers-gateway.ts (env: the gateway's)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startBenchGateway } from './bench-gateway.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const collect = gc;

const env = Object.fromEntries(
  Object.entries(process.env).filter(
    (entry): entry is [string, string] =>
      /^(LIVE_|CACHE_|RATE_LIMIT_)/.test(entry[0]) && entry[1] !== undefined,
  ),
);
const harness = await startBenchGateway({ simulator: { sampleIntervalMs: 1_000 }, env });

const probe = createServer((request, response) => {
  if (request.url === '/reset-calls') harness.simulator.resetCalls();
  if (request.url === '/heap') collect();
  const { heapUsed, rss } = process.memoryUsage();
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ heapUsed, rss, calls: harness.simulator.calls.length }));
});
probe.listen(0, '127.0.0.1', () => {
  const { port } = probe.address() as AddressInfo;
  console.log(`ready ${harness.gateway.graphqlUrl} http://127.0.0.1:${port}`);
});
process.once('SIGTERM', () => {
  probe.close();
  void harness.close().then(() => process.exit(0));
});
