/**
 * The spans one operation makes, through the SDK's in-memory exporter: which span is whose child, and what
 * their attributes say (and never say). Export over OTLP and a client's traceparent over real HTTP are in
 * test/e2e/observability/tracing.test.ts.
 */
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { beforeEach, describe, expect, it } from 'vitest';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pastRange } from '../../helpers/test-gateway.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const harness = createInProcessGateway({
  tracer: provider.getTracer('test'),
  // Every operation executed, so a repeated one shows the window cache's hits rather than the response cache's.
  env: { RESPONSE_CACHE_MAX_MB: '0' },
});

beforeEach(() => {
  exporter.reset();
  harness.upstream.resetCalls();
});

const QUERY = `query Quality($app: ID!, $room: ID!, $user: ID!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: $app, roomId: $room, userIds: [$user], from: $from, to: $to, directions: [UP]) {
    userId
    streams { direction metrics { name } }
  }
}`;

/** The spans as an indented outline, children in start order: what a trace viewer would show. */
function outline(spans: readonly ReadableSpan[]): string[] {
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  const childrenOf = (parentId: string | undefined) =>
    spans
      .filter((span) => {
        const parent = span.parentSpanContext?.spanId;
        return parentId === undefined ? parent === undefined || !ids.has(parent) : parent === parentId;
      })
      .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
  const lines: string[] = [];
  const visit = (span: ReadableSpan, depth: number) => {
    lines.push(`${'  '.repeat(depth)}${span.name}`);
    for (const child of childrenOf(span.spanContext().spanId)) visit(child, depth + 1);
  };
  for (const root of childrenOf(undefined)) visit(root, 0);
  return lines;
}

const named = (name: string) => exporter.getFinishedSpans().find((span) => span.name === name);

describe('tracing one operation', () => {
  it('gives a cold query its tree: request, GraphQL phases, the resolver, its load, the upstream attempt', async () => {
    const range = pastRange(1);
    const response = await harness.query(QUERY, {
      app: 'app1',
      room: 'room1',
      user: 'user1',
      from: range.from,
      to: range.to,
    });
    expect(response.errors).toBeUndefined();
    expect(harness.upstream.calls).toHaveLength(1);

    expect(outline(exporter.getFinishedSpans())).toEqual([
      'POST /graphql',
      '  graphql.parse',
      '  graphql.validate',
      '  graphql.execute',
      '    UserCallQuality.streams',
      '      callDetail.load',
      '        ListCallDetail',
      '          rateLimiter.wait',
    ]);
    expect(named('POST /graphql')?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/graphql',
      'http.route': '/graphql',
      'http.response.status_code': 200,
    });
    expect(named('graphql.execute')?.attributes).toMatchObject({
      'graphql.operation.type': 'query',
      'graphql.operation.name': 'Quality',
    });
    expect(named('UserCallQuality.streams')?.attributes).toMatchObject({
      'graphql.field.path': 'callQuality.0.streams',
    });
    // One hour of 5-minute slots, UP only: twelve misses, fetched by one call.
    expect(named('callDetail.load')?.attributes).toMatchObject({
      'callq.load.keys': 1,
      'callq.window_cache.hits': 0,
      'callq.window_cache.misses': 12,
      'callq.load.failed_keys': 0,
    });
    expect(named('ListCallDetail')?.attributes).toMatchObject({
      'callq.upstream.attempt': 1,
      'http.request.resend_count': 0,
      'callq.upstream.users': 1,
      'http.response.status_code': 200,
      'callq.upstream.request_id': expect.stringMatching(/\S/),
    });
  });

  it('shows a repeated query served by the window cache: hits, and no upstream attempt', async () => {
    const variables = { app: 'app1', room: 'room2', user: 'user1', ...pastRange(1) };
    await harness.query(QUERY, variables);
    exporter.reset();
    await harness.query(QUERY, variables);
    expect(harness.upstream.calls).toHaveLength(1);
    expect(named('ListCallDetail')).toBeUndefined();
    expect(named('callDetail.load')?.attributes).toMatchObject({
      'callq.window_cache.hits': 12,
      'callq.window_cache.misses': 0,
    });
  });

  it('marks a retried attempt with its number and status, and the failed one with its RequestId', async () => {
    harness.upstream.injectFault({ kind: 'http500', times: 1 });
    await harness.query(QUERY, { app: 'app1', room: 'room3', user: 'user1', ...pastRange(1) });
    const attempts = exporter.getFinishedSpans().filter((span) => span.name === 'ListCallDetail');
    expect(attempts.map((span) => span.attributes)).toEqual([
      expect.objectContaining({
        'callq.upstream.attempt': 1,
        'http.response.status_code': 500,
        'error.type': 'UPSTREAM_ERROR',
        'callq.upstream.code': 'InternalError',
        'callq.upstream.request_id': expect.stringMatching(/\S/),
      }),
      expect.objectContaining({ 'callq.upstream.attempt': 2, 'http.response.status_code': 200 }),
    ]);
  });

  it('names a request to a path it does not serve by its method alone', async () => {
    const response = await harness.fetch(new Request('http://in-process.test/probe-7c1e'));
    expect(response.status).toBe(404);
    expect(exporter.getFinishedSpans().map((span) => [span.name, span.attributes])).toEqual([
      ['GET', { 'http.request.method': 'GET', 'url.path': '/probe-7c1e', 'http.response.status_code': 404 }],
    ]);
  });

  it('puts no variable value in any attribute of any span', async () => {
    const range = pastRange(1);
    const values = ['app-7f3e9c', 'room-5b1d2a', 'user-9c4e8f'];
    const [app, room, user] = values;
    await harness.query(QUERY, { app, room, user, from: range.from, to: range.to });
    const spans = exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThanOrEqual(8);
    const written = JSON.stringify(spans.map((span) => [span.name, span.attributes, span.events]));
    for (const value of [...values, range.from, range.to]) expect(written).not.toContain(value);
  });
});
