/**
 * Verifies a request's Volcengine HMAC-SHA256 signature the way the real API does, by recomputing it with
 * the gateway's own `sign()` from the request as received. A gateway that passes here signs correctly.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Credentials } from '../upstream/signer.js';
import { sign } from '../upstream/signer.js';
import { type ApiError, type ApiErrorCode, apiError } from './envelope.js';

/** The real API refuses an X-Date further than this from its clock, which bounds replays. */
const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const SERVICE = 'rtc';

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  /** Decoded query parameters. */
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly bodySha256Hex: string;
}

export interface Verifier {
  readonly credentials: Credentials;
  readonly region: string;
  readonly nowMs: number;
}

export type Authentication =
  | { readonly ok: true; readonly accessKeyId: string }
  | { readonly ok: false; readonly error: ApiError };

interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/**
 * Checks, in the real API's order: an Authorization header (else MissingSignature; a header that is not a
 * parseable HMAC-SHA256 authorization counts as missing, since there is no signature to verify), a known
 * access key (InvalidAccessKey), a signed X-Date within 5 minutes (InvalidTimestamp), the signature itself
 * over the received query and the signed headers' received values (SignatureDoesNotMatch), and, for STS
 * credentials, a signed X-Security-Token equal to the session token (InvalidAccessKey: the temporary key is
 * not valid without its token).
 */
export function authenticate(request: ReceivedRequest, verifier: Verifier): Authentication {
  const header = singleHeader(request.headers, 'authorization');
  if (header === undefined) return refuse('MissingSignature', 'the Authorization header is missing');
  const authorization = parseAuthorization(header);
  if (authorization === null)
    return refuse('MissingSignature', 'the Authorization header is not HMAC-SHA256');
  const { credentials } = verifier;
  if (authorization.accessKeyId !== credentials.accessKeyId) {
    return refuse('InvalidAccessKey', 'the access key is not valid');
  }
  if (!authorization.signedHeaders.includes('x-date')) {
    return refuse('SignatureDoesNotMatch', 'SignedHeaders must include x-date');
  }
  const xDate = singleHeader(request.headers, 'x-date') ?? '';
  const xDateMs = parseXDate(xDate);
  if (xDateMs === null) return refuse('InvalidTimestamp', 'X-Date is missing or not YYYYMMDDTHHMMSSZ');
  if (Math.abs(xDateMs - verifier.nowMs) > MAX_CLOCK_SKEW_MS) {
    return refuse('InvalidTimestamp', 'X-Date is more than 5 minutes away from the server time');
  }
  const scopeMismatch =
    authorization.date !== xDate.slice(0, 8) ||
    authorization.region !== verifier.region ||
    authorization.service !== SERVICE ||
    authorization.terminator !== 'request';
  const signedValues = signedHeaderValues(request.headers, authorization.signedHeaders);
  const contentSha = singleHeader(request.headers, 'x-content-sha256');
  if (
    scopeMismatch ||
    signedValues === null ||
    (contentSha !== undefined && contentSha !== request.bodySha256Hex)
  ) {
    return refuse('SignatureDoesNotMatch', 'the request signature does not match');
  }
  const expected = sign(
    {
      method: request.method,
      path: request.path,
      query: request.query,
      headers: signedValues,
      bodySha256Hex: request.bodySha256Hex,
    },
    { credentials, region: verifier.region, service: SERVICE, xDate },
  );
  if (!sameHex(expected.signatureHex, authorization.signature)) {
    return refuse('SignatureDoesNotMatch', 'the request signature does not match');
  }
  if (credentials.sessionToken) {
    const token = signedValues['x-security-token'];
    if (token === undefined || token !== credentials.sessionToken) {
      return refuse('InvalidAccessKey', 'a signed X-Security-Token matching the access key is required');
    }
  }
  return { ok: true, accessKeyId: authorization.accessKeyId };
}

function refuse(code: ApiErrorCode, message: string): Authentication {
  return { ok: false, error: apiError(code, message) };
}

function singleHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** `HMAC-SHA256 Credential=AK/YYYYMMDD/region/service/request, SignedHeaders=a;b, Signature=hex`. */
function parseAuthorization(header: string): ParsedAuthorization | null {
  const match = /^HMAC-SHA256\s+(.*)$/.exec(header.trim());
  if (match === null) return null;
  const fields = new Map<string, string>();
  for (const part of (match[1] ?? '').split(',')) {
    const separator = part.indexOf('=');
    if (separator > 0) fields.set(part.slice(0, separator).trim(), part.slice(separator + 1).trim());
  }
  const scope = (fields.get('Credential') ?? '').split('/');
  const signedHeaders = (fields.get('SignedHeaders') ?? '').split(';').filter((name) => name !== '');
  const signature = fields.get('Signature') ?? '';
  const [accessKeyId, date, region, service, terminator] = scope;
  if (scope.length !== 5 || !accessKeyId || !date || !region || !service || !terminator) return null;
  if (signedHeaders.length === 0 || !/^[0-9a-f]{64}$/i.test(signature)) return null;
  return { accessKeyId, date, region, service, terminator, signedHeaders, signature };
}

function parseXDate(value: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (match === null) return null;
  const iso = `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}.000Z`;
  const ms = Date.parse(iso);
  // The round trip rejects dates that Date.parse would roll over (a 30th of February).
  return Number.isFinite(ms) && new Date(ms).toISOString() === iso ? ms : null;
}

/** The received values of the signed headers, or null when one of them was not sent. */
function signedHeaderValues(
  headers: IncomingHttpHeaders,
  names: readonly string[],
): Record<string, string> | null {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = singleHeader(headers, name.toLowerCase());
    if (value === undefined) return null;
    values[name.toLowerCase()] = value;
  }
  return values;
}

/** Constant-time, so response timing does not reveal how much of a forged signature was right. */
function sameHex(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'hex');
  const b = Buffer.from(received.toLowerCase(), 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
