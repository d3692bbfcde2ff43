/**
 * Refuses, before Yoga sees them, requests that would otherwise be read whole or fail inside the framework.
 *
 * - Bodies: GraphQL requests are small JSON; a client streaming megabytes would be buffered whole by the body
 *   parser before any limit could apply. A body must declare its size (`Content-Length`): Node's HTTP parser
 *   then never delivers more than that, so the declared size bounds what is read. Chunked bodies of unknown
 *   size get 411, which every GraphQL client avoids anyway by sending its JSON in one piece.
 * - Targets: the server adapter builds a URL from the Host header and the request target; one it cannot
 *   build (`Host: [[[`, `OPTIONS *`) makes it answer 500 with a stack trace as text.
 * - GET parameters: `variables` and `extensions` that are not JSON escape Yoga's GET parser as an unexpected
 *   error (500).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ClientErrorCode } from '../errors/codes.js';

function refuse(response: ServerResponse, status: number, code: ClientErrorCode, message: string): void {
  // An unread body may still be on the socket: closing it is cheaper than draining an attacker's upload.
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  response.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

function hasBody(request: IncomingMessage): boolean {
  return (
    request.headers['transfer-encoding'] !== undefined || request.headers['content-length'] !== undefined
  );
}

/**
 * The request's URL as the server adapter builds it (Host header and target concatenated), or null when it
 * cannot be built. Only origin-form targets (`/path`) are served; absolute-form and `*` are proxy and server-wide
 * forms this endpoint has no use for.
 */
function urlOf(request: IncomingMessage): URL | null {
  const target = request.url ?? '';
  if (!target.startsWith('/')) return null;
  try {
    return new URL(`http://${request.headers.host ?? 'localhost'}${target}`);
  } catch {
    return null;
  }
}

/** The first GET parameter that should hold JSON but does not. */
function badJsonParameter(url: URL): string | null {
  for (const name of ['variables', 'extensions']) {
    const value = url.searchParams.get(name);
    if (value === null) continue;
    try {
      JSON.parse(value);
    } catch {
      return name;
    }
  }
  return null;
}

/** Wraps a request listener so the requests described above never reach it. */
export function guardRequests(
  listener: RequestListener,
  limits: { readonly maxBodyBytes: number },
): RequestListener {
  return (request, response) => {
    if (hasBody(request)) {
      const declared = request.headers['content-length'];
      if (declared === undefined) {
        refuse(response, 411, 'LENGTH_REQUIRED', 'send the request body with a Content-Length header');
        return;
      }
      if (Number(declared) > limits.maxBodyBytes) {
        refuse(
          response,
          413,
          'PAYLOAD_TOO_LARGE',
          `the request body is ${declared} bytes; at most ${limits.maxBodyBytes} are accepted`,
        );
        return;
      }
    }
    const url = urlOf(request);
    if (url === null) {
      refuse(response, 400, 'BAD_REQUEST', 'the request target and Host header do not form a URL');
      return;
    }
    const parameter = request.method === 'GET' ? badJsonParameter(url) : null;
    if (parameter !== null) {
      refuse(response, 400, 'BAD_REQUEST', `the \`${parameter}\` parameter must be JSON`);
      return;
    }
    listener(request, response);
  };
}
