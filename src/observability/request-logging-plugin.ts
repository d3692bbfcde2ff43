/**
 * One log line per HTTP request, and a request id that ties it to every other line of that request and to the
 * client's own logs (echoed in `x-request-id`).
 *
 * The line holds what an operator needs to find a request and judge it (method, path, status, duration,
 * operation name, error codes) and nothing a client sent as content: no headers (credentials), no bodies or
 * variables (they may hold ids a tenant considers private), no query string (GET requests carry the query
 * there).
 */
import { randomUUID } from 'node:crypto';
import { getOperationAST } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import type { Logger } from './logger.js';
import { errorCodesOf } from './result-error-codes.js';

/** What a client may choose as its request id: enough for UUIDs and trace ids, nothing that breaks a line. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const MAX_OPERATION_NAME = 100;

interface RequestState {
  readonly reqId: string;
  readonly logger: Logger;
  readonly startedAt: number;
  operationName: string | undefined;
  readonly errorCodes: Set<string>;
}

// Keyed by the Request object: entries go away with their request, and no two gateways in one process (tests)
// can ever see each other's requests.
const states = new WeakMap<Request, RequestState>();

/**
 * The child logger of a request, with its `reqId` bound, for the context factory and resolvers; `base` for a
 * Request that never passed through the plugin (a plugin replaced it, or the plugin is not installed).
 */
export function requestLogger(request: Request, base: Logger): Logger {
  return states.get(request)?.logger ?? base;
}

/** The id given to a request, or undefined for a Request that did not pass through the plugin. */
export function requestIdOf(request: Request): string | undefined {
  return states.get(request)?.reqId;
}

/** A client sends `operationName` as any JSON value; only a non-empty string names the operation. */
function truncate(name: unknown): string | undefined {
  return typeof name === 'string' && name !== '' ? name.slice(0, MAX_OPERATION_NAME) : undefined;
}

export function useRequestLogging(logger: Logger): Plugin {
  return {
    instrumentation: {
      // The request instrument wraps the whole pipeline, Yoga's own plugins included (health check, CORS
      // preflights, GraphiQL), which end some requests before any onRequest hook of ours would run.
      request({ request }, wrapped) {
        const clientId = request.headers.get('x-request-id');
        const reqId = clientId !== null && CLIENT_REQUEST_ID.test(clientId) ? clientId : randomUUID();
        states.set(request, {
          reqId,
          logger: logger.child({ reqId }),
          startedAt: performance.now(),
          operationName: undefined,
          errorCodes: new Set(),
        });
        return wrapped();
      },
    },
    onParams({ request, params }) {
      const state = states.get(request);
      if (state) state.operationName ??= truncate(params.operationName);
    },
    onExecute({ args }) {
      // Without an explicit operationName, the document's single operation names the request.
      const state = states.get(args.contextValue.request);
      if (state)
        state.operationName ??= truncate(getOperationAST(args.document, args.operationName)?.name?.value);
    },
    onResultProcess({ request, result }) {
      const state = states.get(request);
      if (state) for (const code of errorCodesOf(result)) state.errorCodes.add(code);
    },
    onResponse({ request, response, setResponse, fetchAPI }) {
      const state = states.get(request);
      // The state stays until the Request is collected: work that outlives the response still logs its reqId.
      if (!state) return;
      try {
        response.headers.set('x-request-id', state.reqId);
      } catch {
        // Immutable headers (a Response from fetch or Response.error): copy it, the body stream moves along.
        const headers = new fetchAPI.Headers(response.headers);
        headers.set('x-request-id', state.reqId);
        setResponse(new fetchAPI.Response(response.body, { status: response.status, headers }));
      }
      state.logger.info(
        {
          method: request.method,
          path: new URL(request.url).pathname,
          status: response.status,
          durationMs: Math.round((performance.now() - state.startedAt) * 10) / 10,
          operationName: state.operationName,
          errorCodes: [...state.errorCodes],
        },
        'request',
      );
    },
  };
}

/**
 * Yoga's own messages through pino: it logs strings, and Errors (the unexpected errors it masks for clients).
 * Any other argument is dropped rather than serialised: it could be a request with its headers.
 */
export function yogaLogger(logger: Logger): YogaLogger {
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const err = args.find((arg): arg is Error => arg instanceof Error);
      const message = args.filter((arg) => typeof arg === 'string' || typeof arg === 'number').join(' ');
      if (err) logger[level]({ err }, message || err.message);
      else logger[level](message);
    };
  return { debug: forward('debug'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}
