/**
 * The gateway as `npm start` builds it (startGateway), in front of a simulator on loopback, for the benchmarks
 * that count calls or time queries. Their own, not the tests' harness: a benchmark measures the gateway as it
 * ships, and the tests are free to change theirs.
 */
import { loadConfig } from '../src/config/config.js';
import { type RunningGateway, startGateway } from '../src/gateway.js';
import { type Simulator, type SimulatorOptions, startSimulator } from '../src/simulator/simulator.js';

const CREDENTIALS = { accessKeyId: 'AKBENCHGATEWAY', secretAccessKey: 'SKBENCHGATEWAY' } as const;
const MINUTE_MS = 60_000;
const SLOT_MS = 5 * MINUTE_MS;

export interface BenchGateway {
  readonly simulator: Simulator;
  readonly gateway: RunningGateway;
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ readonly data?: T | null; readonly errors?: readonly unknown[] }>;
  close(): Promise<void>;
}

export async function startBenchGateway(
  options: { readonly simulator?: Partial<SimulatorOptions>; readonly env?: Record<string, string> } = {},
): Promise<BenchGateway> {
  const simulator = await startSimulator({ credentials: CREDENTIALS, ...options.simulator });
  const gateway = await startGateway(
    loadConfig({
      PORT: '0',
      VOLC_ACCESSKEY: CREDENTIALS.accessKeyId,
      VOLC_SECRETKEY: CREDENTIALS.secretAccessKey,
      VOLC_ENDPOINT: simulator.url,
      // A log line per request would be measured along with the gateway.
      LOG_LEVEL: 'silent',
      ARCHIVE_URL: 'off',
      ...options.env,
    }),
  );
  return {
    simulator,
    gateway,
    async query(query, variables) {
      const response = await fetch(gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query, variables }),
      });
      return response.json();
    },
    async close() {
      await gateway.close();
      await simulator.close();
    },
  };
}

/**
 * A past range on the gateway's 5-minute slots (so an hour costs exactly one call per 20 users), ending at least
 * `endMinutesAgo` ago: old enough to be final (the upstream lags ~100 s).
 */
export function pastRange(hours: number, endMinutesAgo: number) {
  const toMs = Math.floor((Date.now() - endMinutesAgo * MINUTE_MS) / SLOT_MS) * SLOT_MS;
  const fromMs = toMs - hours * 60 * MINUTE_MS;
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
}

export function userIds(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `user${index + 1}`);
}
