/**
 * Test helper: signs a ListCallDetail GET with the gateway's signer and sends it over loopback with undici,
 * so simulator tests exercise the same bytes a gateway would send.
 */
import { type Dispatcher, request } from 'undici';
import { type Credentials, signGetRequest } from '../../src/upstream/signer.js';

export const CREDENTIALS: Credentials = { accessKeyId: 'AKSIMTEST', secretAccessKey: 'SKSIMTEST' };

/** The simulator clock the tests inject: data older than 6 days or newer than now-100 s is then exact. */
export const NOW = Date.parse('2026-11-25T12:00:00Z');

export const HOUR_MS = 60 * 60 * 1000;

/** RFC 3339 in UTC with second precision, as the upstream takes it. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A valid ListCallDetail query for app1/room1, user u1, the hour ending 1 h before NOW; `undefined` removes. */
export function callQuery(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const query: Record<string, string | undefined> = {
    Action: 'ListCallDetail',
    Version: '2023-11-01',
    AppId: 'app1',
    RoomId: 'room1',
    UserId: 'u1',
    StartTime: rfc3339(NOW - 2 * HOUR_MS),
    EndTime: rfc3339(NOW - HOUR_MS),
    Direction: '0',
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

export interface SignedGetOptions {
  credentials?: Credentials;
  /** The signing instant (unix ms); default NOW. */
  signedAt?: number;
  region?: string;
  /** Headers set after signing (a value of `undefined` removes one), to send what was not signed. */
  headers?: Record<string, string | undefined>;
  /** Query parameters sent instead of the signed ones, e.g. to tamper after signing. */
  sentQueryString?: string;
}

export interface SimulatorAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the envelope loosely and assert on exact values.
  json: any;
}

/** Signs and sends; the caller reads (or dumps) the body. */
export function sendSignedGet(
  baseUrl: string,
  query: Record<string, string>,
  options: SignedGetOptions = {},
): Promise<Dispatcher.ResponseData> {
  const signed = signGetRequest({
    host: new URL(baseUrl).host,
    path: '/',
    query,
    credentials: options.credentials ?? CREDENTIALS,
    region: options.region ?? 'cn-north-1',
    service: 'rtc',
    now: new Date(options.signedAt ?? NOW),
  });
  const headers: Record<string, string> = { ...signed.headers };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return request(`${baseUrl}/?${options.sentQueryString ?? signed.queryString}`, { headers });
}

/** Signs, sends and reads the whole answer. */
export async function signedGet(
  baseUrl: string,
  query: Record<string, string>,
  options: SignedGetOptions = {},
): Promise<SimulatorAnswer> {
  const response = await sendSignedGet(baseUrl, query, options);
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: parseOrNull(text) };
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
