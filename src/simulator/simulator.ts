/**
 * An embedded Volcengine RTC `ListCallDetail` (Version 2023-11-01): a real HTTP server that authenticates,
 * rate-limits, validates and answers like the real API, with deterministic synthetic data and injectable
 * faults. `npm start` runs the gateway against it when no credentials are set; end-to-end tests use it as
 * the upstream.
 *
 * Checks run in the real API's order, the first failure answering: GET on `/` (else InvalidActionOrVersion),
 * no repeated query name (InvalidParameter), signature (authenticate.ts), flow limit per access key (every
 * authenticated request counts, refused ones included), Action/Version and parameters
 * (list-call-detail-params.ts), then injected faults, then data (synthetic-data.ts). Ids starting with
 * `absent` are users who never joined any room.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Credentials } from '../upstream/signer.js';
import { sha256Hex } from '../upstream/signer.js';
import { authenticate } from './authenticate.js';
import {
  type ApiError,
  apiError,
  errorEnvelope,
  newRequestId,
  type ResponseMetadata,
  successEnvelope,
} from './envelope.js';
import { type Fault, FaultBook, type FaultKind } from './fault-book.js';
import { splitUserIds, validateListCallDetailParams } from './list-call-detail-params.js';
import { parseRequestTarget, type RequestTarget } from './request-target.js';
import { SlidingWindowLimiter } from './sliding-window-limiter.js';
import { generateCallDetailResult } from './synthetic-data.js';

export interface SimulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: a free port. */
  port?: number;
  /** The one access key pair the simulator accepts; with a `sessionToken` it behaves as an STS key. */
  credentials: Credentials;
  /** Signing region the credential scope must name. Default 'cn-north-1'. */
  region?: string;
  /** Points lie on multiples of this (unix ms). Default 10 000. */
  sampleIntervalMs?: number;
  /** Per access key, across all AppIds, within any 1-second window. Default 10. */
  requestsPerSecond?: number;
  /**
   * The simulator's clock (unix ms), default `Date.now`: drives the X-Date check, the 6-day retention, the
   * 100 s data latency and `RecordedCall.atMs`. Clients must sign with the same clock. The rate limit runs
   * on the real monotonic clock instead, so a frozen test clock cannot freeze its window.
   */
  now?: () => number;
  /** Recorded calls kept, oldest dropped first, so a long `npm start` does not grow without bound. Default 10 000. */
  maxRecordedCalls?: number;
}

export interface RecordedCall {
  /** The simulator clock when the request arrived. */
  atMs: number;
  appId: string;
  roomId: string;
  /** The `UserId` value split on ',', invalid ids included, empty segments not. */
  userIds: string[];
  /** Raw query values, '' when absent. */
  startTime: string;
  endTime: string;
  direction: string;
  /** What was answered; 0 when a `reset` fault answered nothing. */
  httpStatus: number;
  /** The envelope's `Error.Code`, null for a 200 (and for `malformed`, `truncated`, `reset`). */
  errorCode: string | null;
  /** The injected fault this call suffered, if any. */
  fault: FaultKind | null;
  /**
   * Milliseconds of this process's CPU spent generating and serialising the data (0 for refusals): in-process
   * benchmarks subtract it to tell the gateway's time from the simulator's.
   */
  buildMs: number;
}

export interface Simulator {
  /** e.g. 'http://127.0.0.1:43210' */
  readonly url: string;
  /** Every request received, in arrival order, with its outcome (the last `maxRecordedCalls`). */
  readonly calls: readonly RecordedCall[];
  resetCalls(): void;
  /** Faults apply in injection order; a call suffers the first one that matches. */
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /**
   * TCP connections currently open to the simulator, idle keep-alive ones included: a client that leaks
   * sockets (an error path that never frees one) shows up here, and a closed client brings it back to 0.
   */
  openConnections(): number;
  /** Closes the server and all its sockets promptly, pending slow answers included. */
  close(): Promise<void>;
}

/** A refusal (by a check or an error-kind fault) or the data to serve, with the fault the call suffers. */
type Decision =
  | { readonly error: ApiError; readonly fault?: Fault | null }
  | { readonly error: null; readonly fault: Fault | null; readonly result: () => unknown };

const SERVICE = 'rtc';
const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8' };

/** Starts a simulator listening on loopback (by default), resolved once it accepts connections. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'cn-north-1';
  const sampleIntervalMs = positiveInteger('sampleIntervalMs', options.sampleIntervalMs ?? 10_000);
  const requestsPerSecond = positiveInteger('requestsPerSecond', options.requestsPerSecond ?? 10);
  const maxRecordedCalls = positiveInteger('maxRecordedCalls', options.maxRecordedCalls ?? 10_000);
  const now = options.now ?? Date.now;
  const limiter = new SlidingWindowLimiter({
    limit: requestsPerSecond,
    windowMs: 1000,
    clock: () => performance.now(),
  });
  const faults = new FaultBook();
  const calls: RecordedCall[] = [];
  const sockets = new Set<Socket>();
  const slowAnswers = new Set<NodeJS.Timeout>();

  function decide(request: IncomingMessage, target: RequestTarget, body: Buffer, nowMs: number): Decision {
    if (request.method !== 'GET' || target.path !== '/') {
      return { error: apiError('InvalidActionOrVersion', 'only GET / is served') };
    }
    // A repeated name has no single value to canonicalise, so its signature could never be checked.
    const [repeated] = target.repeated;
    if (repeated !== undefined) {
      return { error: apiError('InvalidParameter', `${repeated}: given more than once`) };
    }
    const authentication = authenticate(
      {
        method: 'GET',
        path: '/',
        query: target.query,
        headers: request.headers,
        bodySha256Hex: sha256Hex(body),
      },
      { credentials: options.credentials, region, nowMs },
    );
    if (!authentication.ok) return { error: authentication.error };
    if (!limiter.tryAcquire(authentication.accessKeyId)) {
      return { error: apiError('FlowLimitExceeded', 'the request rate limit of the account is exceeded') };
    }
    const validation = validateListCallDetailParams(target.query, nowMs);
    if (!validation.ok) return { error: validation.error };
    const { params } = validation;
    const fault = faults.take({ appId: params.appId, roomId: params.roomId, userIds: params.userIds });
    const faultRefusal = faultError(fault);
    if (faultRefusal !== null) return { error: faultRefusal, fault };
    return {
      error: null,
      fault,
      result: () => generateCallDetailResult({ ...params, sampleIntervalMs, nowMs }),
    };
  }

  function answer(request: IncomingMessage, response: ServerResponse, body: Buffer): void {
    const nowMs = now();
    const target = parseRequestTarget(request.url ?? '/');
    const { query } = target;
    const metadata: ResponseMetadata = {
      RequestId: newRequestId(nowMs),
      Action: query.Action ?? '',
      Version: query.Version ?? '',
      Service: SERVICE,
      Region: region,
    };
    const decision = decide(request, target, body, nowMs);
    const call: RecordedCall = {
      atMs: nowMs,
      appId: query.AppId ?? '',
      roomId: query.RoomId ?? '',
      userIds: splitUserIds(query.UserId),
      startTime: query.StartTime ?? '',
      endTime: query.EndTime ?? '',
      direction: query.Direction ?? '',
      httpStatus: 200,
      errorCode: null,
      fault: decision.fault?.kind ?? null,
      buildMs: 0,
    };
    if (calls.length >= maxRecordedCalls) calls.shift();
    calls.push(call);

    if (decision.error !== null) {
      call.httpStatus = decision.error.httpStatus;
      call.errorCode = decision.error.code;
      sendJson(response, decision.error.httpStatus, errorEnvelope(metadata, decision.error));
      return;
    }
    const { fault, result } = decision;
    if (fault?.kind === 'reset') {
      call.httpStatus = 0;
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'malformed') {
      // What a misconfigured proxy in front of the API returns: a 200 that is not the API's JSON.
      response.writeHead(200, JSON_HEADERS).end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }
    const buildStartedAt = performance.now();
    const payload = Buffer.from(JSON.stringify(successEnvelope(metadata, result())));
    call.buildMs = performance.now() - buildStartedAt;
    if (fault?.kind === 'truncated') {
      response.writeHead(200, { ...JSON_HEADERS, 'Content-Length': payload.length });
      // The connection dies mid-body: half the promised bytes, then the socket is gone.
      response.write(payload.subarray(0, Math.floor(payload.length / 2)), () => request.socket.destroy());
      return;
    }
    if (fault?.kind === 'slow') {
      const timer = setTimeout(() => {
        slowAnswers.delete(timer);
        sendJson(response, 200, payload);
      }, fault.delayMs);
      slowAnswers.add(timer);
      // A client that gave up must not leave a timer behind.
      response.once('close', () => {
        clearTimeout(timer);
        slowAnswers.delete(timer);
      });
      return;
    }
    sendJson(response, 200, payload);
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, response, Buffer.concat(chunks)));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    calls,
    resetCalls: () => {
      calls.length = 0;
    },
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    openConnections: () => sockets.size,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        for (const timer of slowAnswers) clearTimeout(timer);
        slowAnswers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive and in-flight connections would otherwise hold close() open until they time out.
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/** The envelope an error-kind fault answers with; null for the other kinds. */
function faultError(fault: Fault | null): ApiError | null {
  if (fault?.kind === 'http500') return apiError('InternalError', 'an internal error occurred, please retry');
  if (fault?.kind === 'http429') {
    return apiError('FlowLimitExceeded', 'the request rate limit of the account is exceeded');
  }
  return null;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  // The client may have gone while a slow answer waited.
  if (response.destroyed) return;
  const payload = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  response.writeHead(status, { ...JSON_HEADERS, 'Content-Length': payload.length }).end(payload);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`SimulatorOptions.${name} must be an integer >= 1`);
  }
  return value;
}
