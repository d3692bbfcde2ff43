/**
 * Compresses GraphQL answers in JSON above the threshold, in the coding the request prefers (gzip or Brotli).
 * A dashboard's answer of five users over six hours is 4.15 MB of JSON and 0.87 MB gzipped: on a slow link the
 * transfer, not the gateway, is what the user waits for.
 *
 * Never touched: streams (SSE, multipart/mixed: not JSON, and compressing them would hold events back), any
 * response that already has a Content-Encoding (the GraphiQL page and response-cache hits, which carry the
 * coding they kept), and bodies below the threshold. Runs after the response cache's own onResponse.
 */
import type { Plugin } from 'graphql-yoga';
import type { Compression } from './compression.js';
import { stitchedBodyOf } from './stitched-body.js';

const JSON_TYPES = ['application/json', 'application/graphql-response+json'];

function isJson(contentType: string | null): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType !== undefined && JSON_TYPES.includes(mediaType);
}

export function useCompression(compression: Compression): Plugin {
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (response.body === null || response.headers.has('content-encoding')) return;
      if (!isJson(response.headers.get('content-type'))) return;
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      const declaredCoding = compression.codingFor(request, declared);
      if (declaredCoding === null) return;
      // Sent as it is: only the header changes, so the body (a live dashboard's megabyte) is not read and copied.
      if (declaredCoding === 'identity' && Number.isFinite(declared)) {
        response.headers.append('vary', 'Accept-Encoding');
        return;
      }
      // The stitched body itself when it is what the response holds: its codings are kept by its identity.
      const stitched = stitchedBodyOf(request);
      // (Buffer.allocUnsafe's memory is an ArrayBuffer, never a SharedArrayBuffer.)
      const bytes = (
        stitched !== undefined && stitched.length === declared
          ? stitched
          : new Uint8Array(await response.arrayBuffer())
      ) as Uint8Array<ArrayBuffer>;
      const coding = compression.codingFor(request, bytes.length);
      const headers = new fetchAPI.Headers(response.headers);
      // A body of known length is never chunked: fetch refuses a response framed both ways (RFC 9112 6.3).
      headers.delete('transfer-encoding');
      let body = bytes;
      if (coding !== null) {
        headers.append('vary', 'Accept-Encoding');
        if (coding !== 'identity') {
          body = await compression.compress(bytes, coding);
          headers.set('content-encoding', coding);
        }
      }
      headers.set('content-length', String(body.length));
      setResponse(
        new fetchAPI.Response(body, { status: response.status, statusText: response.statusText, headers }),
      );
    },
  };
}
