/**
 * A CLIENT span for every upstream attempt, retries included, with its limiter wait as a child span: made when
 * the attempt has settled, from the timings `onAttempt` reports (the upstream layer knows nothing of tracing),
 * under the span active where the attempt ran, which is the load that fetched it.
 *
 * Attributes: the attempt number, the users in the call, the HTTP status, the upstream's RequestId and codes
 * (what Volcengine support asks for), and the endpoint's host. Never the URL: its query names the app, room and
 * users a client asked for; never a header: they carry the signature and the session token.
 */
import { context, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { AttemptInfo } from '../upstream/call-detail-fetcher.js';
import { UpstreamFailure, UpstreamResponseError } from '../upstream/upstream-error.js';

export function traceUpstreamAttempts(tracer: Tracer, endpoint: string): (info: AttemptInfo) => void {
  const host = new URL(endpoint).host;
  return (info) => {
    const parent = context.active();
    // A live poll's fetch runs outside any request: a trace of one span per poll would only be noise.
    if (trace.getSpan(parent) === undefined) return;
    // Span times on the wall clock of the SDK, from the monotonic durations the fetcher measured.
    const endTime = performance.timeOrigin + performance.now();
    const startTime = endTime - info.waitMs - (info.durationMs ?? 0);
    const { error } = info;
    const response = error instanceof UpstreamResponseError ? error : undefined;
    const httpStatus = response?.httpStatus ?? info.httpStatus;
    const requestId = response?.requestId ?? info.requestId;
    const span = tracer.startSpan(
      'ListCallDetail',
      {
        kind: SpanKind.CLIENT,
        startTime,
        attributes: {
          'http.request.method': 'GET',
          'server.address': host,
          'http.request.resend_count': info.attempt - 1,
          'callq.upstream.attempt': info.attempt,
          'callq.upstream.users': info.users,
          'callq.upstream.limiter_wait_ms': Math.round(info.waitMs),
        },
      },
      parent,
    );
    if (httpStatus !== undefined) span.setAttribute('http.response.status_code', httpStatus);
    if (requestId) span.setAttribute('callq.upstream.request_id', requestId);
    if (error !== undefined) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', error instanceof UpstreamFailure ? error.code : 'UNEXPECTED');
      if (response !== undefined) span.setAttribute('callq.upstream.code', response.upstreamCode);
    }
    tracer
      .startSpan('rateLimiter.wait', { startTime }, trace.setSpan(parent, span))
      .end(startTime + info.waitMs);
    span.end(endTime);
  };
}
