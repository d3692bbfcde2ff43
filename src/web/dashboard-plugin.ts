/**
 * Serves the call-quality dashboard: its page at `/` and its assets under `/dashboard/<version>/`.
 *
 * Like GraphiQL's page, everything here is static and public (the same bytes for everyone, no data in them), so
 * it is answered before authentication; the page asks for a credential itself when the API refuses it, and
 * sends it on its GraphQL requests like any other client.
 */
import type { Plugin } from 'graphql-yoga';
import { preferredCoding } from '../http/content-coding.js';
import { ifNoneMatchHolds } from '../http/if-none-match.js';
import { ASSETS_PREFIX, type DashboardAsset, type DashboardAssets } from './dashboard-assets.js';

// Scripts, styles and requests of the page's own origin only: no inline script or style element, no other host.
// uPlot styles its elements through the CSSOM (element.style), which style-src does not govern.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  // The page names the asset version, which a deployment changes: revalidated on every load (an empty 304).
  'cache-control': 'no-cache',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  vary: 'Accept-Encoding',
} as const;

const ASSET_HEADERS = {
  // The version in the URL hashes every asset: a changed file is a new URL, so this one never changes.
  'cache-control': 'public, max-age=31536000, immutable',
  'x-content-type-options': 'nosniff',
  vary: 'Accept-Encoding',
} as const;

function assetAt(pathname: string, assets: DashboardAssets): DashboardAsset | undefined {
  if (pathname === '/') return assets.page;
  const versioned = `${ASSETS_PREFIX}${assets.version}/`;
  return pathname.startsWith(versioned) ? assets.asset(pathname.slice(versioned.length)) : undefined;
}

export function useDashboard(assets: DashboardAssets): Plugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const asset = assetAt(url.pathname, assets);
      if (asset === undefined) {
        if (url.pathname.startsWith(ASSETS_PREFIX)) {
          // An older page's asset after a deployment: gone, and not to be kept as if it were.
          endResponse(
            new fetchAPI.Response('not found', { status: 404, headers: { 'cache-control': 'no-store' } }),
          );
        }
        return;
      }
      const baseHeaders = asset === assets.page ? PAGE_HEADERS : ASSET_HEADERS;
      const coding = preferredCoding(request.headers.get('accept-encoding'));
      const etag = asset.etag(coding);
      if (ifNoneMatchHolds(request.headers.get('if-none-match'), etag)) {
        endResponse(new fetchAPI.Response(null, { status: 304, headers: { ...baseHeaders, etag } }));
        return;
      }
      const body = await asset.body(coding);
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : body, {
          status: 200,
          headers: {
            ...baseHeaders,
            etag,
            'content-type': asset.contentType,
            'content-length': String(body.length),
            ...(coding === 'identity' ? {} : { 'content-encoding': coding }),
          },
        }),
      );
    },
  };
}
