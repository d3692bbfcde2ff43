/**
 * Traces of a real gateway over loopback: a client's W3C traceparent continued, what the upstream attempt span
 * says, nothing secret or sent by the client in any attribute, and spans really exported over OTLP/HTTP to a
 * collector (a loopback fake that counts what it receives).
 */
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisAvailable, startTestRedis } from '../../helpers/redis-server.js';
import { pastRange, startGatewayAt, startTestGateway } from '../../helpers/test-gateway.js';

const CREDENTIALS = { accessKeyId: 'AKTRACECANARY01', secretAccessKey: 'SKTRACECANARY-secret-01' };
const SESSION_TOKEN = 'STSTRACECANARY01';
const API_KEY = 'APIKEYTRACECANARY-0001';
const AUTHORIZATION = `Bearer ${API_KEY}`;

const QUERY = `query Traced($app: ID!, $room: ID!, $user: ID!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: $app, roomId: $room, userIds: [$user], from: $from, to: $to, directions: [UP]) {
    streams { direction }
  }
}`;

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN_ID = '00f067aa0ba902b7';

/** Everything a span says, as text to search. */
const spanText = (spans: readonly ReadableSpan[]) =>
  JSON.stringify(spans.map((span) => [span.name, span.attributes, span.events, span.links, span.status]));

describe('tracing over loopback', () => {
  it('continues the client’s traceparent; the attempt carries status and RequestId; no secret in any span', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const harness = await startTestGateway({
      credentials: CREDENTIALS,
      simulator: { credentials: { ...CREDENTIALS, sessionToken: SESSION_TOKEN } },
      env: {
        VOLC_SESSION_TOKEN: SESSION_TOKEN,
        AUTH_API_KEYS: JSON.stringify([{ name: 'tracing', key: API_KEY, appIds: ['*'] }]),
        UPSTREAM_RETRY_MAX_ATTEMPTS: '1',
      },
      tracer: provider.getTracer('test'),
    });
    try {
      const range = pastRange(1);
      const variables = { app: 'app-d41c7e', room: 'room-83b2f0', user: 'user-6ea915', ...range };
      const headers = { authorization: AUTHORIZATION, traceparent: `00-${TRACE_ID}-${CLIENT_SPAN_ID}-01` };
      const answered = await harness.query(QUERY, variables, headers);
      expect(answered.errors).toBeUndefined();
      // A failed attempt, whose RequestId the client also sees in the error.
      harness.simulator.injectFault({ kind: 'http500', times: 1 });
      const failed = await harness.query(QUERY, { ...variables, room: 'room-19fa4c' }, headers);
      const upstream = failed.errors?.[0]?.extensions?.upstream as { requestId: string };
      expect(harness.simulator.calls.map((call) => call.httpStatus)).toEqual([200, 500]);

      const spans = exporter.getFinishedSpans();
      // The failure is the resolver's, by its code, and the request's, among the response's codes.
      const failedStreams = spans.filter((span) => span.name === 'UserCallQuality.streams')[1];
      expect(failedStreams?.attributes['error.type']).toBe('UPSTREAM_ERROR');
      expect(spans.filter((span) => span.name === 'POST /graphql')[1]?.attributes).toMatchObject({
        'graphql.error.codes': ['UPSTREAM_ERROR'],
      });
      const roots = spans.filter((span) => span.name === 'POST /graphql');
      expect(roots).toHaveLength(2);
      for (const root of roots) {
        expect(root.spanContext().traceId).toBe(TRACE_ID);
        expect(root.parentSpanContext?.spanId).toBe(CLIENT_SPAN_ID);
      }
      expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([TRACE_ID]));
      const attempts = spans.filter((span) => span.name === 'ListCallDetail').map((span) => span.attributes);
      expect(attempts).toEqual([
        expect.objectContaining({
          'http.response.status_code': 200,
          'callq.upstream.request_id': expect.stringMatching(/^\d{14}[0-9A-F]{18}$/),
          'server.address': new URL(harness.simulator.url).host,
        }),
        expect.objectContaining({
          'http.response.status_code': 500,
          'callq.upstream.request_id': upstream.requestId,
          'callq.upstream.code': 'InternalError',
        }),
      ]);

      const text = spanText(spans);
      const forbidden = [
        CREDENTIALS.secretAccessKey,
        CREDENTIALS.accessKeyId,
        SESSION_TOKEN,
        API_KEY,
        AUTHORIZATION,
        variables.app,
        variables.room,
        'room-19fa4c',
        variables.user,
        range.from,
        range.to,
      ];
      for (const value of forbidden) expect(text).not.toContain(value);
    } finally {
      await harness.close();
    }
  });

  it('exports every span of a request over OTLP/HTTP to the configured collector', async () => {
    const received: Array<{ headers: IncomingHttpHeaders; url: string | undefined; body: string }> = [];
    const collector = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, url: request.url, body: Buffer.concat(chunks).toString() });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    collector.listen(0, '127.0.0.1');
    await once(collector, 'listening');
    const { port } = collector.address() as AddressInfo;
    const harness = await startTestGateway({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=collector-secret',
        OTEL_SERVICE_NAME: 'callq-e2e',
      },
    });
    try {
      const response = await harness.query(QUERY, { app: 'a', room: 'r', user: 'u1', ...pastRange(1) });
      expect(response.errors).toBeUndefined();
    } finally {
      // Shutdown exports what the batch processor still holds.
      await harness.close();
      collector.close();
    }

    expect(received.length).toBeGreaterThan(0);
    for (const request of received) {
      expect(request.url).toBe('/v1/traces');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-collector-key']).toBe('collector-secret');
    }
    type Export = {
      resourceSpans: Array<{
        resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
        scopeSpans: Array<{ spans: Array<{ name: string }> }>;
      }>;
    };
    const exports = received.map((request) => JSON.parse(request.body) as Export);
    const resources = exports.flatMap((body) => body.resourceSpans);
    const names = resources.flatMap((resource) =>
      resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => span.name)),
    );
    expect(names.sort()).toEqual(
      [
        'POST /graphql',
        'graphql.parse',
        'graphql.validate',
        'graphql.execute',
        'UserCallQuality.streams',
        'callDetail.load',
        'ListCallDetail',
        'rateLimiter.wait',
      ].sort(),
    );
    for (const resource of resources) {
      expect(resource.resource.attributes).toContainEqual({
        key: 'service.name',
        value: { stringValue: 'callq-e2e' },
      });
    }
  });
});

describe.skipIf(!redisAvailable())('tracing with Redis', () => {
  it('shows a slot another replica fetched as a shared-store lookup, with no upstream attempt', async () => {
    const redis = await startTestRedis();
    const raw = new Redis(redis.url);
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const env = { REDIS_URL: redis.url, REDIS_TIMEOUT_MS: '2000' };
    const clients = async () =>
      String(await raw.call('CLIENT', 'LIST'))
        .trim()
        .split('\n').length;
    const sleep = () => new Promise((resolve) => setTimeout(resolve, 50));
    /** Starts a replica and waits for its Redis connection: until then it shares nothing, and looks nothing up. */
    const connected = async <T>(start: () => Promise<T>) => {
      const before = await clients();
      const replica = await start();
      for (let waited = 0; waited < 2_000 && (await clients()) === before; waited += 50) await sleep();
      await sleep();
      return replica;
    };
    const a = await connected(() => startTestGateway({ env }));
    let b: Awaited<ReturnType<typeof startGatewayAt>> | undefined;
    try {
      // Ask through A, in a new room each time (a connection just made may still be checking it is ready), until
      // one room's twelve slots (an hour of 5-minute slots, UP) land in Redis.
      const range = pastRange(1);
      let variables = { app: 'a', room: '', user: 'u1', ...range };
      for (let attempt = 1; variables.room === '' && attempt <= 5; attempt += 1) {
        const room = `shared-${attempt}`;
        expect((await a.query(QUERY, { ...variables, room })).errors).toBeUndefined();
        for (let waited = 0; waited < 2_000 && variables.room === ''; waited += 50) {
          if ((await raw.keys(`*"${room}"*`)).length >= 12) variables = { ...variables, room };
          else await sleep();
        }
      }
      b = await connected(() => startGatewayAt(a.simulator.url, { env, tracer: provider.getTracer('test') }));
      a.simulator.resetCalls();
      expect((await b.query(QUERY, variables)).errors).toBeUndefined();
      expect(a.simulator.calls).toHaveLength(0);

      const spans = exporter.getFinishedSpans();
      const lookup = spans.find((span) => span.name === 'sharedStore.getMany');
      const load = spans.find((span) => span.name === 'callDetail.load');
      expect(lookup?.parentSpanContext?.spanId).toBe(load?.spanContext().spanId);
      expect(lookup?.attributes).toMatchObject({
        'callq.shared_store.keys': 12,
        'callq.shared_store.found': 12,
      });
      expect(load?.attributes).toMatchObject({ 'callq.window_cache.misses': 12 });
      expect(spans.filter((span) => span.name === 'ListCallDetail')).toEqual([]);
    } finally {
      await b?.close();
      await a.close();
      raw.disconnect();
      await redis.stop();
    }
  });
});
