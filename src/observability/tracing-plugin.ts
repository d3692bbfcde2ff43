/**
 * Spans for what the HTTP edge and GraphQL see: one SERVER span per request, continuing the client's W3C
 * `traceparent`, and one each for parse, validate and execute under it. Ours rather than @envelop/opentelemetry,
 * which is built on the 1.x SDK and records the document (and, when asked, variables and results), where
 * values a client sent would land in attributes. Here attributes are chosen one by one: method, path, status,
 * operation name and type, error codes; never a header, the query string, the document or a variable.
 *
 * Yoga's `instrumentation` wraps each phase, so the span is active (through the context manager) while the
 * phase runs, and every span made inside it (resolvers, loads, upstream attempts) is its descendant.
 */
import {
  context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { errorCodesOf } from './result-error-codes.js';

const propagator = new W3CTraceContextPropagator();

/**
 * The paths the gateway serves, which name a request's span; any other path is named by its method alone, so a
 * client probing random paths cannot mint span names without bound.
 */
const ROUTES = new Set(['/graphql', '/health', '/ready', '/metrics', '/']);

const headerGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

/** Runs `wrapped` with `span` active and ends the span when it settles, marking a throw as an error. */
function within<T>(span: Span, wrapped: () => T, parent = context.active()): T {
  const end = (failed: boolean) => {
    if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  try {
    const result = context.with(trace.setSpan(parent, span), wrapped);
    if (result instanceof Promise) {
      return result.then(
        (value) => {
          end(false);
          return value;
        },
        (error: unknown) => {
          end(true);
          throw error;
        },
      ) as T;
    }
    end(false);
    return result;
  } catch (error) {
    end(true);
    throw error;
  }
}

export function useTracing(tracer: Tracer): Plugin {
  const phase =
    (name: string) =>
    <T>(_payload: unknown, wrapped: () => T): T =>
      within(tracer.startSpan(name), wrapped);
  return {
    instrumentation: {
      request({ request }, wrapped) {
        const parent = propagator.extract(ROOT_CONTEXT, request.headers, headerGetter);
        const { pathname } = new URL(request.url);
        const route = ROUTES.has(pathname) ? pathname : undefined;
        const span = tracer.startSpan(
          route === undefined ? request.method : `${request.method} ${route}`,
          {
            kind: SpanKind.SERVER,
            attributes: {
              'http.request.method': request.method,
              'url.path': pathname,
              ...(route === undefined ? {} : { 'http.route': route }),
            },
          },
          parent,
        );
        return within(span, wrapped, parent);
      },
      parse: phase('graphql.parse'),
      validate: phase('graphql.validate'),
      execute: phase('graphql.execute'),
    },
    onExecute({ args }) {
      // The active span is the execute span: its hooks run inside the phase.
      const span = trace.getActiveSpan();
      const operation = getOperationAST(args.document, args.operationName);
      span?.setAttribute('graphql.operation.type', operation?.operation ?? 'query');
      if (operation?.name) span?.setAttribute('graphql.operation.name', operation.name.value);
    },
    onResultProcess({ result }) {
      const codes = errorCodesOf(result);
      if (codes.length > 0) trace.getActiveSpan()?.setAttribute('graphql.error.codes', codes);
    },
    onResponse({ response }) {
      const span = trace.getActiveSpan();
      span?.setAttribute('http.response.status_code', response.status);
      if (response.status >= 500) span?.setStatus({ code: SpanStatusCode.ERROR });
    },
  };
}
