/**
 * Serves GraphiQL's prebuilt page in place of Yoga's own GraphiQL plugin, which renders the page into a new string
 * for every request and Node then encodes it into a new Buffer per response.
 *
 * When: exactly Yoga's rule (graphql-yoga `plugins/use-graphiql.js`): a GET whose Accept header contains
 * `text/html`, at the GraphQL endpoint, with or without a query string (GraphiQL then opens with the `query`
 * parameter). Everything else goes on to Yoga untouched.
 *
 * Credentials: none are needed or read. The page is static and public (the same bytes for everyone, with no data
 * in it), so it is answered before authentication; a user adds a credential in GraphiQL's Headers tab, and the
 * requests GraphiQL then sends are authenticated like any other.
 */
import { type Plugin, shouldRenderGraphiQL } from 'graphql-yoga';
import { preferredCoding } from './content-coding.js';
import type { GraphiQLPage } from './graphiql-page.js';
import { ifNoneMatchHolds } from './if-none-match.js';

// The page is the same for every request, so a client may keep it; it revalidates each time (an empty 304) because
// a new deployment brings a new page under the same URL. The URL also answers GraphQL, so caches key on Accept too.
const CACHING_HEADERS = { 'cache-control': 'no-cache', vary: 'Accept, Accept-Encoding' } as const;

/** Yoga's endpoint test: the URL ends with the endpoint, or its path is the endpoint, with or without a slash. */
function atEndpoint(requestUrl: string, url: URL, endpoint: string): boolean {
  return (
    requestUrl.endsWith(endpoint) ||
    requestUrl.endsWith(`${endpoint}/`) ||
    url.pathname === endpoint ||
    url.pathname === `${endpoint}/`
  );
}

export function useGraphiQLPage(page: GraphiQLPage): Plugin {
  let endpointOf = () => '/graphql';
  return {
    onYogaInit({ yoga }) {
      endpointOf = () => yoga.graphqlEndpoint;
    },
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (!shouldRenderGraphiQL(request) || !atEndpoint(request.url, url, endpointOf())) return;
      const coding = preferredCoding(request.headers.get('accept-encoding'));
      const etag = page.etag(coding);
      if (ifNoneMatchHolds(request.headers.get('if-none-match'), etag)) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers: { ...CACHING_HEADERS, etag } }));
        return;
      }
      const body = await page.body(coding);
      // A Buffer body is written to the socket as it is (@whatwg-node/server), so every response shares it.
      endResponse(
        new fetchAPI.Response(body, {
          status: 200,
          headers: {
            ...CACHING_HEADERS,
            etag,
            'content-type': 'text/html; charset=utf-8',
            'content-length': String(body.length),
            ...(coding === 'identity' ? {} : { 'content-encoding': coding }),
          },
        }),
      );
    },
  };
}
