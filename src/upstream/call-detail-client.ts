/**
 * One signed ListCallDetail request over undici: no retries, no rate limiting (call-detail-fetcher.ts adds
 * both). Every failure leaves as an `UpstreamFailure`, except the caller's own abort, which is rethrown as is.
 */
import type { Dispatcher } from 'undici';
import { Pool } from 'undici';
import {
  type CallDetailQuery,
  type CallDetailResult,
  LIST_CALL_DETAIL_ACTION,
  LIST_CALL_DETAIL_LIMITS,
  LIST_CALL_DETAIL_VERSION,
} from '../model/call-detail.js';
import { parseListCallDetailResponse } from './parse-response.js';
import { type Credentials, signGetRequest } from './signer.js';
import {
  INVALID_RESPONSE,
  UpstreamFailure,
  UpstreamResponseError,
  UpstreamUnavailableError,
} from './upstream-error.js';

export interface CallDetailClientOptions {
  /** Base URL, e.g. https://rtc.volcengineapi.com or the simulator's URL. */
  endpoint: string;
  credentials: Credentials;
  /** Signing region, e.g. cn-north-1. */
  region: string;
  /**
   * undici's defaults are 300 s each, far longer than any GraphQL client waits. `bodyTimeout` is the longest
   * pause between two body chunks, not a limit on the whole body. undici checks both on a ~500 ms tick, so
   * they fire up to ~0.5 s late. `connectMs` only applies to the Pool this client creates; an injected
   * dispatcher brings its own.
   *
   * `attemptMs` bounds the whole attempt, connecting included, up to the last body byte: an upstream that
   * sends its headers and then a byte now and then trips neither of undici's timeouts, and would otherwise
   * hold the socket and the caller's rate-limiter slot (which counts until the attempt settles) for as long
   * as it likes. It is a timer of ours, so it fires on time; the attempt then fails as UPSTREAM_UNAVAILABLE,
   * retryable like the other timeouts.
   */
  timeouts: { connectMs: number; headersMs: number; bodyMs: number; attemptMs: number };
  /** Injectable for tests and proxies; default: one undici Pool for the endpoint's origin. */
  dispatcher?: Dispatcher;
  /** Pool size, default 10: the upstream allows 10 requests/s, so more sockets would only idle. */
  connections?: number;
  /** For X-Date and the retention edge; the gateway's clock, which the simulator shares in tests. */
  now?: () => number;
  /** Bodies larger than this are refused unread; default 64 MiB, far above a full hour of 20 users. */
  maxBodyBytes?: number;
}

export interface CallDetailClient {
  /** One attempt: sign, send, parse. */
  listCallDetail(query: CallDetailQuery, signal?: AbortSignal): Promise<CallDetailResult>;
  /**
   * Destroys the Pool it created (not an injected dispatcher), abandoning calls still running: it is called at
   * shutdown once the HTTP server has drained, when nobody waits for them, and a `close()` would wait for a slow
   * upstream for as long as its timeouts allow.
   */
  close(): Promise<void>;
}

const DEFAULT_CONNECTIONS = 10;
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
const SIGNING_SERVICE = 'rtc';
/**
 * The upstream refuses a `StartTime` older than its retention by its own clock: the edge is moved this much
 * later for the time a request takes to arrive and for a little skew between the two clocks.
 */
const RETENTION_EDGE_MARGIN_MS = 2_000;
const SECOND_MS = 1000;

/** Error codes of a request that got no (complete) answer: trying again may work. */
const TRANSPORT_ERROR_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export function createCallDetailClient(options: CallDetailClientOptions): CallDetailClient {
  const url = new URL(options.endpoint);
  const path = url.pathname === '' ? '/' : url.pathname;
  const { headersMs, bodyMs, connectMs, attemptMs } = options.timeouts;
  const now = options.now ?? Date.now;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const ownsDispatcher = options.dispatcher === undefined;
  const dispatcher: Dispatcher =
    options.dispatcher ??
    new Pool(url.origin, {
      connections: options.connections ?? DEFAULT_CONNECTIONS,
      connect: { timeout: connectMs },
      headersTimeout: headersMs,
      bodyTimeout: bodyMs,
    });

  async function listCallDetail(query: CallDetailQuery, signal?: AbortSignal): Promise<CallDetailResult> {
    // Measured as the request leaves, not when it was planned: a call may have waited in the rate limiter's
    // queue while the retention's edge moved on. What lies before the edge is lost upstream; the result says
    // where its data starts, so nobody takes it for the whole window.
    const oldestMs =
      Math.ceil((now() - LIST_CALL_DETAIL_LIMITS.retentionMs + RETENTION_EDGE_MARGIN_MS) / SECOND_MS) *
      SECOND_MS;
    const startMs = Math.max(query.startMs, oldestMs);
    if (startMs >= query.endMs) return { requestId: '', streams: [], startMs };
    const signed = signGetRequest({
      host: url.host,
      path,
      query: toUpstreamQuery({ ...query, startMs }),
      credentials: options.credentials,
      region: options.region,
      service: SIGNING_SERVICE,
      now: new Date(now()),
    });
    let statusCode: number;
    let retryAfter: string | null;
    let bodyText: string;
    const attempt = abortAttemptAfter(attemptMs, signal);
    try {
      const response = await dispatcher.request({
        origin: url.origin,
        // Sent verbatim: the upstream recomputes the signature from exactly this string.
        path: `${path}?${signed.queryString}`,
        method: 'GET',
        headers: signed.headers,
        // Aborting destroys the body stream too, which drops the connection: undici cannot reuse a socket
        // in the middle of a response.
        signal: attempt.signal,
        headersTimeout: headersMs,
        bodyTimeout: bodyMs,
      });
      statusCode = response.statusCode;
      retryAfter = firstHeader(response.headers['retry-after']);
      const declaredBytes = Number(firstHeader(response.headers['content-length']) ?? 0);
      bodyText = await readBody(response.body, declaredBytes, maxBodyBytes, statusCode);
    } catch (error) {
      throw translateError(error, signal, attempt.signal, attemptMs);
    } finally {
      attempt.release();
    }
    return {
      ...parseListCallDetailResponse(statusCode, bodyText, retryAfter, now()),
      startMs,
      httpStatus: statusCode,
    };
  }

  return {
    listCallDetail,
    close: async () => {
      if (ownsDispatcher) await dispatcher.destroy();
    },
  };
}

/** The upstream's query parameters; times in RFC 3339 UTC at second precision, the only form it accepts. */
function toUpstreamQuery(query: CallDetailQuery): Record<string, string> {
  return {
    Action: LIST_CALL_DETAIL_ACTION,
    Version: LIST_CALL_DETAIL_VERSION,
    AppId: query.appId,
    RoomId: query.roomId,
    UserId: query.userIds.join(','),
    StartTime: toRfc3339Seconds(query.startMs),
    EndTime: toRfc3339Seconds(query.endMs),
    Direction: String(query.direction),
  };
}

function toRfc3339Seconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function firstHeader(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/**
 * A signal that aborts when the caller's does or when `ms` have passed, and a `release` for when the attempt
 * is over. Hand-made rather than `AbortSignal.any`, which leaks on Node 20 when a source signal outlives it
 * (nodejs/node#54614, #55351).
 */
function abortAttemptAfter(ms: number, callerSignal: AbortSignal | undefined) {
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  const timer = setTimeout(() => controller.abort(), ms);
  if (callerSignal?.aborted) onCallerAbort();
  else callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  return {
    signal: controller.signal,
    release: () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}

/** The whole body as UTF-8 text, refused (and the connection dropped) once it outgrows `maxBytes`. */
async function readBody(
  body: Dispatcher.ResponseData['body'],
  declaredBytes: number,
  maxBytes: number,
  statusCode: number,
): Promise<string> {
  const tooLarge = () =>
    new UpstreamResponseError(`ListCallDetail answered with a body larger than ${maxBytes} bytes`, {
      upstreamCode: INVALID_RESPONSE,
      httpStatus: statusCode,
      requestId: null,
      retryAfterMs: null,
    });
  if (declaredBytes > maxBytes) {
    // dump() reads a little and then closes the socket, rather than downloading what we would refuse.
    await body.dump().catch(() => {});
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving this loop early (throw) destroys the stream, which aborts the request and frees the socket.
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

/**
 * The caller's abort wins over whatever undici reported for it; the attempt's own deadline and transport
 * failures become `UpstreamUnavailableError` with the original as `cause` (undici's messages name host and
 * port, never the query string or headers); anything else is a bug and stays as it is.
 */
function translateError(
  error: unknown,
  callerSignal: AbortSignal | undefined,
  attemptSignal: AbortSignal,
  attemptMs: number,
): unknown {
  if (callerSignal?.aborted) return callerSignal.reason;
  if (error instanceof UpstreamFailure) return error;
  if (attemptSignal.aborted) {
    return new UpstreamUnavailableError(
      `ListCallDetail attempt exceeded its deadline of ${attemptMs} ms without a complete answer`,
      { cause: error },
    );
  }
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  if (
    (typeof code === 'string' && (TRANSPORT_ERROR_CODES.has(code) || code.startsWith('HPE_'))) ||
    message.includes('other side closed')
  ) {
    const reason = typeof code === 'string' ? code : 'socket closed';
    return new UpstreamUnavailableError(`ListCallDetail got no complete answer (${reason})`, {
      cause: error,
    });
  }
  return error;
}
