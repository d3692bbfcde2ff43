import { createServer } from 'node:net';
import { Pool } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallDetailQuery } from '../../../src/model/call-detail.js';
import { type Simulator, startSimulator } from '../../../src/simulator/simulator.js';
import { generateUserCallDetail } from '../../../src/simulator/synthetic-data.js';
import {
  type CallDetailClient,
  type CallDetailClientOptions,
  createCallDetailClient,
} from '../../../src/upstream/call-detail-client.js';
import {
  UpstreamFailure,
  UpstreamResponseError,
  UpstreamUnavailableError,
} from '../../../src/upstream/upstream-error.js';

const credentials = { accessKeyId: 'AKCLIENTTEST', secretAccessKey: 'SKCLIENTTEST' };
// Both sides run on a clock pinned near a fixed instant, so the synthetic data of the queried window (which
// ended hours before "now", beyond the upstream's ~100 s latency) is the same on every run.
const clockOffsetMs = Date.parse('2026-11-25T12:00:00Z') - Date.now();
const clock = () => Date.now() + clockOffsetMs;
const startMs = Date.parse('2026-11-25T09:00:00Z');
const query: CallDetailQuery = {
  appId: 'app-1',
  roomId: 'room-1',
  userIds: ['viewer-1', 'host'],
  startMs,
  endMs: startMs + 10 * 60 * 1000,
  direction: 0,
};

let simulator: Simulator;
const clients: CallDetailClient[] = [];

beforeEach(async () => {
  simulator = await startSimulator({ credentials, now: clock });
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await simulator.close();
});

function client(overrides: Partial<CallDetailClientOptions> = {}): CallDetailClient {
  const created = createCallDetailClient({
    endpoint: simulator.url,
    credentials,
    region: 'cn-north-1',
    now: clock,
    timeouts: { connectMs: 2_000, headersMs: 5_000, bodyMs: 5_000, attemptMs: 10_000 },
    ...overrides,
  });
  clients.push(created);
  return created;
}

async function failure(promise: Promise<unknown>): Promise<UpstreamFailure> {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UpstreamFailure);
  return error as UpstreamFailure;
}

describe('createCallDetailClient: success', () => {
  it('sends a signed query and parses the answer into typed data', async () => {
    const result = await client().listCallDetail(query);

    expect(simulator.calls).toHaveLength(1);
    expect(simulator.calls[0]).toMatchObject({
      appId: 'app-1',
      roomId: 'room-1',
      userIds: ['viewer-1', 'host'],
      startTime: new Date(query.startMs).toISOString().replace('.000Z', 'Z'),
      endTime: new Date(query.endMs).toISOString().replace('.000Z', 'Z'),
      direction: '0',
      httpStatus: 200,
      errorCode: null,
    });
    expect(result.requestId).not.toBe('');

    const expected = generateUserCallDetail({
      appId: query.appId,
      roomId: query.roomId,
      userId: 'viewer-1',
      startMs: query.startMs,
      endMs: query.endMs,
      direction: 0,
      sampleIntervalMs: 10_000,
      nowMs: clock(),
    });
    const viewer = result.streams.filter((stream) => stream.userId === 'viewer-1');
    // One up stream and one down stream per publisher the viewer receives.
    expect(viewer.map((stream) => stream.direction)).toEqual(['up', 'down', 'down']);
    expect(viewer.length).toBe(expected.length);
    // The upstream sends both ends of the range; 10 minutes at 10 s is 61 points.
    expect(Array.from(viewer[0]?.metrics[0]?.times ?? [])).toHaveLength(61);
    expect(viewer[0]?.metrics[0]?.times[0]).toBe(query.startMs);
    expect(viewer[0]?.metrics[0]?.times[60]).toBe(query.endMs);
    for (const [index, entry] of expected.entries()) {
      const stream = viewer[index];
      expect(stream?.direction).toBe(entry.Direction);
      expect(stream?.peerId).toBe(entry.Direction === 'down' ? entry.PeerId : null);
      expect(stream?.metrics.map((metric) => metric.name)).toEqual(
        entry.CallDetail.map((detail) => detail.Name),
      );
      for (const [m, detail] of entry.CallDetail.entries()) {
        const metric = stream?.metrics[m];
        expect(metric?.unit).toBe(detail.Unit);
        expect(Array.from(metric?.times ?? [])).toEqual(detail.Data.map((point) => point.Time));
        expect(Array.from(metric?.values ?? [])).toEqual(detail.Data.map((point) => point.Value));
      }
    }
  });

  it('sends the direction filter and only up streams come back for Direction=1', async () => {
    const result = await client().listCallDetail({ ...query, direction: 1 });
    expect(simulator.calls[0]?.direction).toBe('1');
    expect(result.streams.map((stream) => [stream.userId, stream.direction, stream.peerId])).toEqual([
      ['viewer-1', 'up', null],
      ['host', 'up', null],
    ]);
  });

  it('signs the STS session token when the credentials carry one', async () => {
    const sts = { ...credentials, accessKeyId: 'AKSTS', sessionToken: 'session-token-1' };
    const stsSimulator = await startSimulator({ credentials: sts, now: clock });
    try {
      const stsClient = client({ endpoint: stsSimulator.url, credentials: sts });
      const result = await stsClient.listCallDetail(query);
      expect(result.streams).toHaveLength(5);
      expect(stsSimulator.calls[0]?.httpStatus).toBe(200);
    } finally {
      await stsSimulator.close();
    }
  });
});

describe('createCallDetailClient: upstream errors', () => {
  it('maps a wrong secret to a non-retryable SignatureDoesNotMatch 401 without leaking secrets', async () => {
    const secret = 'SK-WRONG-SECRET';
    const error = await failure(
      client({ credentials: { ...credentials, secretAccessKey: secret } }).listCallDetail(query),
    );
    expect(error).toBeInstanceOf(UpstreamResponseError);
    expect(error).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstreamCode: 'SignatureDoesNotMatch',
      httpStatus: 401,
      retryable: false,
    });
    expect((error as UpstreamResponseError).requestId).toEqual(expect.any(String));
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('Signature=');
    expect(error.message).not.toContain('Credential=');
  });

  it('maps an unknown access key to InvalidAccessKey', async () => {
    const error = await failure(
      client({ credentials: { accessKeyId: 'AKUNKNOWN', secretAccessKey: 'x' } }).listCallDetail(query),
    );
    expect(error).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstreamCode: 'InvalidAccessKey',
      retryable: false,
    });
  });

  it('maps 21 users to InvalidParameter 400', async () => {
    const userIds = Array.from({ length: 21 }, (_, i) => `user-${i}`);
    const error = await failure(client().listCallDetail({ ...query, userIds }));
    expect(error).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstreamCode: 'InvalidParameter',
      httpStatus: 400,
      retryable: false,
    });
  });

  it('maps an HTTP 500 InternalError to a retryable error', async () => {
    simulator.injectFault({ kind: 'http500', times: 1 });
    const error = await failure(client().listCallDetail(query));
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamCode: 'InternalError', httpStatus: 500 });
    expect(error.retryable).toBe(true);
  });

  it('maps a 429 to a retryable FlowLimitExceeded', async () => {
    simulator.injectFault({ kind: 'http429', times: 1 });
    const error = await failure(client().listCallDetail(query));
    expect(error).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstreamCode: 'FlowLimitExceeded',
      httpStatus: 429,
    });
    expect(error.retryable).toBe(true);
  });

  it('maps a body that is not JSON to InvalidResponse', async () => {
    simulator.injectFault({ kind: 'malformed', times: 1 });
    const error = await failure(client().listCallDetail(query));
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamCode: 'InvalidResponse', httpStatus: 200 });
  });

  it('refuses a body larger than maxBodyBytes', async () => {
    const error = await failure(client({ maxBodyBytes: 1024 }).listCallDetail(query));
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', upstreamCode: 'InvalidResponse', httpStatus: 200 });
    expect(error.message).toContain('1024 bytes');
  });
});

describe('createCallDetailClient: no answer', () => {
  it('maps a truncated body to UPSTREAM_UNAVAILABLE', async () => {
    simulator.injectFault({ kind: 'truncated', times: 1 });
    const error = await failure(client().listCallDetail(query));
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('maps a reset connection to UPSTREAM_UNAVAILABLE', async () => {
    simulator.injectFault({ kind: 'reset', times: 1 });
    const error = await failure(client().listCallDetail(query));
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
  });

  it('maps a refused connection to UPSTREAM_UNAVAILABLE', async () => {
    const error = await failure(
      client({ endpoint: `http://127.0.0.1:${await closedPort()}` }).listCallDetail(query),
    );
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect((error.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('gives up on a slow upstream after headersMs', async () => {
    simulator.injectFault({ kind: 'slow', delayMs: 3_000, times: 1 });
    const startedAt = Date.now();
    const error = await failure(
      client({
        timeouts: { connectMs: 2_000, headersMs: 300, bodyMs: 5_000, attemptMs: 10_000 },
      }).listCallDetail(query),
    );
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect((error.cause as { code?: string }).code).toBe('UND_ERR_HEADERS_TIMEOUT');
    // undici checks headers/body timeouts on a ~500 ms tick, so 300 ms fires within ~1 s; 2 s leaves room for a
    // busy machine and still fails if the client waited for the upstream's 3 s.
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it("rethrows the caller's abort as is, not as an upstream failure", async () => {
    simulator.injectFault({ kind: 'slow', delayMs: 3_000, times: 1 });
    const controller = new AbortController();
    const startedAt = Date.now();
    const pending = client().listCallDetail(query, controller.signal);
    setTimeout(() => controller.abort(), 100);
    const error = await pending.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('AbortError');
    expect(error).not.toBeInstanceOf(UpstreamFailure);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });
});

describe('createCallDetailClient: dispatcher ownership', () => {
  it('uses an injected dispatcher and leaves it open on close', async () => {
    const pool = new Pool(simulator.url, { connections: 1 });
    try {
      const injected = client({ dispatcher: pool });
      await injected.listCallDetail(query);
      await injected.close();
      expect(pool.closed).toBe(false);
      expect(simulator.calls).toHaveLength(1);
    } finally {
      await pool.close();
    }
  });
});

/** A loopback port that nothing listens on: bound once to reserve a free number, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
