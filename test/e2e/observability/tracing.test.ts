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
import { describe, expect, it } from 'vitest';
import { pastRange, startTestGateway } from '../../helpers/test-gateway.js';

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
