/**
 * Cross-origin browser calls, answered before any other check so a preflight is never mistaken for a GraphQL
 * request (Yoga's own CORS answers preflights only when an allow-list is set; without one they reached the CSRF
 * check and came back "CSRF header required", which said nothing about CORS_ORIGINS).
 *
 * An origin is allowed when listed in CORS_ORIGINS or, with `allowLocalOrigins` (the embedded simulator and no
 * list), when it is a local dev server (`http://localhost:*`, `http://127.0.0.1:*`, `http://[::1]:*`). Any
 * other origin is refused, preflight or not, with CORS_ORIGIN_NOT_ALLOWED naming the variable, and one warning
 * per origin tells the operator the same.
 */
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ClientErrorCode } from '../errors/codes.js';
import type { Logger } from '../observability/logger.js';

export interface CorsPolicy {
  readonly origins: readonly string[];
  readonly allowLocalOrigins: boolean;
}

const CODE: ClientErrorCode = 'CORS_ORIGIN_NOT_ALLOWED';
/** Headers a browser client may send: the credential, a request id to correlate logs, and the CSRF header. */
const ALLOWED_HEADERS = 'authorization, content-type, x-request-id, x-graphql-yoga-csrf';
const LOCAL_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Warned-about origins are remembered so a busy page logs once, and bounded so a flood of made-up ones cannot grow it. */
const MAX_WARNED_ORIGINS = 100;
/** An Origin header is the client's text: quoted this far at most, so a message stays within 240 characters. */
const MAX_QUOTED_ORIGIN = 60;

function isLocalOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && LOCAL_HOSTNAMES.has(url.hostname) && url.origin === origin;
  } catch {
    return false;
  }
}

/**
 * The Origin of a cross-origin request, or null for a same-origin or non-browser one. Behind a proxy that
 * rewrites Host the URL's origin differs from the page's, so the browser's own Sec-Fetch-Site (which no page
 * script can set) is believed too.
 */
function crossOrigin(request: Request): string | null {
  const origin = request.headers.get('origin');
  if (origin === null || request.headers.get('sec-fetch-site') === 'same-origin') return null;
  return origin === new URL(request.url).origin ? null : origin;
}

function refusalMessage(origin: string): string {
  const quoted = origin.length <= MAX_QUOTED_ORIGIN ? origin : `${origin.slice(0, MAX_QUOTED_ORIGIN)}...`;
  return (
    `Origin ${quoted} may not call this gateway from a browser: list it in the gateway's CORS_ORIGINS ` +
    '(comma-separated origins, e.g. CORS_ORIGINS=https://dash.example) and restart it.'
  );
}

/** Whether a browser page of `origin` may call: the one rule of CORS requests and WebSocket upgrades alike. */
export function originCheck(policy: CorsPolicy): (origin: string) => boolean {
  const listed = new Set(policy.origins);
  return (origin) => listed.has(origin) || (policy.allowLocalOrigins && isLocalOrigin(origin));
}

export function useCors(policy: CorsPolicy, logger: Logger): Plugin {
  const warned = new Set<string>();
  const allows = originCheck(policy);
  const warnOnce = (header: string) => {
    const origin = header.slice(0, 200);
    if (warned.has(origin) || warned.size >= MAX_WARNED_ORIGINS) return;
    warned.add(origin);
    logger.warn(
      { origin, code: CODE },
      'cross-origin browser calls refused: add the origin to CORS_ORIGINS (comma-separated) to allow them',
    );
  };

  return {
    onRequest({ request, fetchAPI, endResponse }) {
      const origin = crossOrigin(request);
      const preflight = request.method === 'OPTIONS' && request.headers.has('access-control-request-method');
      if (origin === null || !preflight) return;
      if (allows(origin)) {
        endResponse(
          new fetchAPI.Response(null, {
            status: 204,
            // Safari waits for a body on a 204 without it.
            headers: {
              'content-length': '0',
              'access-control-allow-methods': 'GET, POST',
              'access-control-allow-headers': ALLOWED_HEADERS,
              'access-control-max-age': '600',
            },
          }),
        );
        return;
      }
      warnOnce(origin);
      const body = JSON.stringify({
        errors: [{ message: refusalMessage(origin), extensions: { code: CODE } }],
      });
      endResponse(
        new fetchAPI.Response(body, {
          status: 403,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        }),
      );
    },
    onRequestParse({ request }) {
      const origin = crossOrigin(request);
      if (origin === null || allows(origin)) return;
      warnOnce(origin);
      throw createGraphQLError(refusalMessage(origin), { extensions: { code: CODE, http: { status: 403 } } });
    },
    onResponse({ request, response }) {
      // Every answer depends on the Origin now, so caches between must keep them apart.
      response.headers.append('vary', 'Origin');
      const origin = crossOrigin(request);
      if (origin === null || !allows(origin)) return;
      // Credentials travel in the Authorization header, never in cookies: no Access-Control-Allow-Credentials.
      response.headers.set('access-control-allow-origin', origin);
      response.headers.set('access-control-expose-headers', 'x-request-id');
    },
  };
}
