/**
 * GraphiQL's page, built once for the process and kept as bytes in each content coding.
 *
 * The page inlines every GraphiQL asset (about 9 MB, so no CDN is needed). Rendered per request, each response
 * held its own copy until the client had read it: forty clients that never read took the process past a
 * gigabyte. Built once, every response writes the same Buffer, and a slow reader costs its socket, not a page.
 * Nothing in it varies by request or by time: the example query's range is computed by the browser.
 */
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { ContentCoding } from './content-coding.js';
import { graphiqlExampleQueryScript } from './graphiql-example.js';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

export interface GraphiQLPage {
  /** The entity tag of the page in a coding, distinct per coding (RFC 9110 §8.8.3); the same in every replica. */
  etag(coding: ContentCoding): string;
  /** The page's bytes in a coding: one shared Buffer per coding, compressed on first need, off the event loop. */
  body(coding: ContentCoding): Promise<Page>;
}

/** Bytes on a plain ArrayBuffer, the only kind fetch's Response accepts as a body. */
type Page = Buffer<ArrayBuffer>;

// A string no page contains, rendered where the options are embedded and then replaced by the script.
const QUERY_PLACEHOLDER = 'callq:example-query';

function renderPage(): Page {
  const html = renderGraphiQL({
    title: 'callq',
    defaultQuery: QUERY_PLACEHOLDER,
    // GraphiQL sends subscriptions as GET (GraphQL over SSE), which the CSRF check refuses without this header;
    // only a script of the page's own origin (or one CORS lets in) can set it, which is what the check asks.
    additionalHeaders: { 'x-graphql-yoga-csrf': 'graphiql' },
  });
  // render-graphiql embeds its options as a JSON object literal in the script that mounts GraphiQL; a JSON string
  // there can be swapped for any JavaScript expression, evaluated just before GraphiQL mounts.
  const literal = JSON.stringify(QUERY_PLACEHOLDER);
  if (html.split(literal).length !== 2) {
    throw new Error(
      '@graphql-yoga/render-graphiql no longer embeds its options as JSON: the example query is lost',
    );
  }
  return Buffer.from(html.replace(literal, () => graphiqlExampleQueryScript()));
}

export function createGraphiQLPage(): GraphiQLPage {
  // Built on the first request, not at start: most processes (tests, API-only deployments) never serve it.
  let identity: { readonly bytes: Page; readonly tag: string } | undefined;
  const compressed = new Map<ContentCoding, Promise<Page>>();
  const built = () => {
    if (identity === undefined) {
      const bytes = renderPage();
      identity = { bytes, tag: createHash('sha256').update(bytes).digest('base64url').slice(0, 22) };
    }
    return identity;
  };
  const compress = (coding: Exclude<ContentCoding, 'identity'>, bytes: Page): Promise<Page> =>
    // zlib allocates its output on a plain ArrayBuffer; its typings only promise ArrayBufferLike.
    (coding === 'gzip'
      ? gzipped(bytes)
      : brotli(bytes, {
          params: {
            // Quality 5 keeps most of what 11 gains over gzip for a fraction of the CPU; the first browser waits for it.
            [constants.BROTLI_PARAM_QUALITY]: 5,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          },
        })) as Promise<Page>;
  return {
    etag(coding) {
      const { tag } = built();
      return coding === 'identity' ? `"${tag}"` : `"${tag}-${coding}"`;
    },
    body(coding) {
      const { bytes } = built();
      if (coding === 'identity') return Promise.resolve(bytes);
      let body = compressed.get(coding);
      if (body === undefined) {
        body = compress(coding, bytes);
        compressed.set(coding, body);
      }
      return body;
    },
  };
}
