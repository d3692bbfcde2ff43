/**
 * Refuses oversize request bodies before anything reads them. GraphQL requests are small JSON; a client that
 * streams megabytes would otherwise be buffered whole by the body parser before any limit could apply.
 *
 * A body must declare its size (`Content-Length`): Node's HTTP parser then never delivers more than that, so
 * the declared size bounds what is read. Chunked bodies of unknown size get 411, which every GraphQL client
 * avoids anyway by sending its JSON in one piece.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

function refuse(response: ServerResponse, status: number, code: string, message: string): void {
  // The unread body is still on the socket: closing it is cheaper than draining an attacker's upload.
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  response.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

function hasBody(request: IncomingMessage): boolean {
  return (
    request.headers['transfer-encoding'] !== undefined || request.headers['content-length'] !== undefined
  );
}

/** Wraps a request listener so bodies over `maxBodyBytes`, or of undeclared size, never reach it. */
export function limitBodySize(listener: RequestListener, maxBodyBytes: number): RequestListener {
  return (request, response) => {
    if (hasBody(request)) {
      const declared = request.headers['content-length'];
      if (declared === undefined) {
        refuse(response, 411, 'LENGTH_REQUIRED', 'send the request body with a Content-Length header');
        return;
      }
      if (Number(declared) > maxBodyBytes) {
        refuse(
          response,
          413,
          'PAYLOAD_TOO_LARGE',
          `the request body is ${declared} bytes; at most ${maxBodyBytes} are accepted`,
        );
        return;
      }
    }
    listener(request, response);
  };
}
