/**
 * Volcengine OpenAPI request signing (HMAC-SHA256, "V4" style), reproducing the official SDKs byte for byte
 * (test/fixtures/signing-vectors.json holds their outputs).
 *
 * The canonical query must be exactly the query that is sent: `signGetRequest` returns it so the client puts
 * the same string on the wire. URLSearchParams encodes differently (space as '+', '*' literal) and is never
 * used for it.
 */
import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** STS session token, sent and signed as `X-Security-Token`. */
  readonly sessionToken?: string | undefined;
}

export interface SignableRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Every header to sign, `X-Date` included; names in any case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly bodySha256Hex: string;
}

export interface SigningScope {
  readonly credentials: Credentials;
  readonly region: string;
  readonly service: string;
  /** `YYYYMMDDTHHMMSSZ`, the value of the signed `X-Date` header. */
  readonly xDate: string;
}

export interface Signature {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signedHeaders: string;
  readonly signatureHex: string;
  readonly authorization: string;
}

const ALGORITHM = 'HMAC-SHA256';
const EMPTY_BODY_SHA256 = sha256Hex('');

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Uint8Array, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** RFC 3986: only A-Z a-z 0-9 - _ . ~ stay literal; every other UTF-8 byte is %XX, upper-case hex. */
export function rfc3986Encode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Names and values encoded, sorted by encoded name (byte order), joined with '&'. */
export function canonicalQueryString(query: Readonly<Record<string, string>>): string {
  return Object.entries(query)
    .map(([name, value]) => [rfc3986Encode(name), rfc3986Encode(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

export function formatXDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function credentialScope(xDate: string, region: string, service: string): string {
  return `${xDate.slice(0, 8)}/${region}/${service}/request`;
}

/** The key chain kDate -> kRegion -> kService -> kSigning; the secret itself is the first HMAC key. */
export function deriveSigningKeyChain(
  secretAccessKey: string,
  date: string,
  region: string,
  service: string,
) {
  const kDate = hmac(secretAccessKey, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  const kSigning = hmac(kService, 'request');
  return { kDate, kRegion, kService, kSigning };
}

export function sign(request: SignableRequest, scope: SigningScope): Signature {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([name]) => name).join(';');
  const canonicalHeaders = headers.map(([name, value]) => `${name}:${value}\n`).join('');
  const canonicalRequest = [
    request.method.toUpperCase(),
    request.path,
    canonicalQueryString(request.query),
    canonicalHeaders,
    signedHeaders,
    request.bodySha256Hex,
  ].join('\n');
  const scopeString = credentialScope(scope.xDate, scope.region, scope.service);
  const stringToSign = [ALGORITHM, scope.xDate, scopeString, sha256Hex(canonicalRequest)].join('\n');
  const { kSigning } = deriveSigningKeyChain(
    scope.credentials.secretAccessKey,
    scope.xDate.slice(0, 8),
    scope.region,
    scope.service,
  );
  const signatureHex = hmac(kSigning, stringToSign).toString('hex');
  const authorization = `${ALGORITHM} Credential=${scope.credentials.accessKeyId}/${scopeString}, SignedHeaders=${signedHeaders}, Signature=${signatureHex}`;
  return { canonicalRequest, stringToSign, signedHeaders, signatureHex, authorization };
}

export interface SignedGet {
  /** The canonical query string, to be sent verbatim after `?`. */
  readonly queryString: string;
  /** Headers to send, `Authorization` included. */
  readonly headers: Record<string, string>;
}

/**
 * Signs a body-less GET with the header set the SDKs recommend (vector C: Host, X-Content-Sha256, X-Date),
 * plus X-Security-Token when the credentials carry an STS session token.
 */
export function signGetRequest(options: {
  readonly host: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly credentials: Credentials;
  readonly region: string;
  readonly service: string;
  readonly now: Date;
}): SignedGet {
  const xDate = formatXDate(options.now);
  const headers: Record<string, string> = {
    Host: options.host,
    'X-Content-Sha256': EMPTY_BODY_SHA256,
    'X-Date': xDate,
  };
  if (options.credentials.sessionToken) headers['X-Security-Token'] = options.credentials.sessionToken;
  const { authorization } = sign(
    { method: 'GET', path: options.path, query: options.query, headers, bodySha256Hex: EMPTY_BODY_SHA256 },
    { credentials: options.credentials, region: options.region, service: options.service, xDate },
  );
  return {
    queryString: canonicalQueryString(options.query),
    headers: { ...headers, Authorization: authorization },
  };
}
