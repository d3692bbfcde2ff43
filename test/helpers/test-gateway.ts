/**
 * A real gateway (startGateway, as `npm start` runs it) in front of a real simulator, both on loopback ports:
 * end-to-end tests send GraphQL over HTTP and count the calls the simulator served.
 */
import type { Tracer } from '@opentelemetry/api';
import { loadConfig } from '../../src/config/config.js';
import { type RunningGateway, startGateway } from '../../src/gateway.js';
import type { Logger } from '../../src/observability/logger.js';
import { type Simulator, type SimulatorOptions, startSimulator } from '../../src/simulator/simulator.js';

export const TEST_CREDENTIALS = { accessKeyId: 'AKTESTGATEWAY', secretAccessKey: 'SKTESTGATEWAY' } as const;

export interface GraphQLResponse<T = Record<string, unknown>> {
  readonly status: number;
  readonly data?: T | null;
  readonly errors?: ReadonlyArray<{
    message: string;
    path?: ReadonlyArray<string | number>;
    extensions?: Record<string, unknown>;
  }>;
  /** The response's own extensions (`warnings`). */
  readonly extensions?: Record<string, unknown>;
}

export interface TestGateway {
  readonly simulator: Simulator;
  readonly gateway: RunningGateway;
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/** The harnesses' `query`: one GraphQL POST to `url` through `send` (over loopback, or into the app in process). */
export function graphqlQuery(
  url: string,
  send: (request: Request) => Promise<Response>,
): TestGateway['query'] {
  return async <T>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => {
    const response = await send(
      new Request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      }),
    );
    const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
    return { status: response.status, ...body };
  };
}

export interface GatewayOnlyOptions {
  /** The access key pair the gateway signs with (and of the simulator started for it); default TEST_CREDENTIALS. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly env?: Record<string, string>;
  readonly now?: () => number;
  /** Where the gateway logs; default none (LOG_LEVEL=silent). */
  readonly logger?: Logger;
  /** Where the gateway's spans go; default as the OTEL_ variables of `env` say. */
  readonly tracer?: Tracer;
}

export type TestGatewayAt = Omit<TestGateway, 'simulator'>;

/** A real gateway in front of the upstream at `endpoint` (a simulator, or a fake that models a quirk). */
export async function startGatewayAt(
  endpoint: string,
  options: GatewayOnlyOptions = {},
): Promise<TestGatewayAt> {
  const gateway = await startGateway(
    loadConfig({
      PORT: '0',
      VOLC_ACCESSKEY: (options.credentials ?? TEST_CREDENTIALS).accessKeyId,
      VOLC_SECRETKEY: (options.credentials ?? TEST_CREDENTIALS).secretAccessKey,
      VOLC_ENDPOINT: endpoint,
      // Request logs would bury the test report; a test about logs passes its own level or logger.
      LOG_LEVEL: 'silent',
      // An archive is a test's own choice, in its own temp dir: never ./data.
      ARCHIVE_URL: 'off',
      ...options.env,
    }),
    { now: options.now, logger: options.logger, tracer: options.tracer },
  );
  return {
    gateway,
    query: graphqlQuery(gateway.graphqlUrl, (request) => fetch(request)),
    close: () => gateway.close(),
  };
}

export async function startTestGateway(
  options: GatewayOnlyOptions & {
    simulator?: Partial<SimulatorOptions>;
    /**
     * An upstream simulator already running (another gateway's), instead of a new one; the caller closes it.
     * The gateway then signs with `credentials`.
     */
    upstream?: Simulator;
  } = {},
): Promise<TestGateway> {
  const credentials = options.credentials ?? TEST_CREDENTIALS;
  const ownSimulator = options.upstream === undefined;
  const simulator =
    options.upstream ?? (await startSimulator({ credentials, now: options.now, ...options.simulator }));
  const harness = await startGatewayAt(simulator.url, options);
  return {
    ...harness,
    simulator,
    async close() {
      await harness.close();
      if (ownSimulator) await simulator.close();
    },
  };
}

const MINUTE_MS = 60_000;
const SLOT_MS = 5 * MINUTE_MS;

/**
 * A past range on the gateway's 5-minute slots (so an hour costs exactly one call per 20 users), ending at least
 * `endMinutesAgo` ago: old enough to be final (the upstream lags ~100 s).
 */
export function pastRange(hours = 1, endMinutesAgo = 10, nowMs = Date.now()) {
  const toMs = Math.floor((nowMs - endMinutesAgo * MINUTE_MS) / SLOT_MS) * SLOT_MS;
  const fromMs = toMs - hours * 60 * MINUTE_MS;
  return { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), fromMs, toMs };
}

export function userIds(count: number, prefix = 'user'): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}${index + 1}`);
}
