/**
 * The hostile request cases aimed at the HTTP layer: bodies too large or not JSON, batches, methods, content
 * types, GET requests, headers, request targets and framing. Each group adds the cases of one category;
 * hostile-requests.ts runs them in order.
 */
import { gzipSync } from 'node:zlib';
import { CALL_QUALITY, CSRF, type HeaderMap, JSON_TYPE, type Kit, ROOM, times } from './hostile-kit.js';

/** Bodies over the limit, sent or only declared, of undeclared size, or small but inflating to 50 MB. */
export function oversize(kit: Kit<'oversize'>): void {
  const max = kit.limits.maxBodyBytes;
  const padded = (size: number) => {
    const head = '{"query":"{ nope }","extensions":{"pad":"';
    return `${head}${'p'.repeat(size - head.length - 3)}"}}`;
  };
  kit.post('oversize', 'one byte over the limit', padded(max + 1));
  kit.post('oversize', 'twice the limit', padded(max * 2));
  kit.post('oversize', '4 MB of zeros', Buffer.alloc(4 * 1024 * 1024));
  const framed = (label: string, headers: Record<string, string>, body: string | Buffer) =>
    kit.add('oversize', label, 'POST', '/graphql', { ...JSON_TYPE, ...headers }, body);
  framed('declares 1 GB, sends 2 bytes', { 'content-length': String(1024 ** 3) }, '{}');
  framed('declares one byte over, sends 2', { 'content-length': String(max + 1) }, '{}');
  framed('chunked, small', { 'transfer-encoding': 'chunked' }, '{"query":"{ nope }"}');
  framed('chunked, over the limit', { 'transfer-encoding': 'chunked' }, padded(max + 1));
  framed('chunked with gzip', { 'transfer-encoding': 'gzip, chunked' }, '{"query":"{ nope }"}');
  // Harmless only as long as the gateway never inflates request bodies.
  const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
  framed('gzip bomb (50 MB inflated) under the limit', { 'content-encoding': 'gzip' }, bomb);
}

export function nonJson(kit: Kit<'non-json'>): void {
  const typename = '{"query":"{ __typename }"}';
  const badUtf8 = [Buffer.from('{"query":"{ room(appId: \\"a'), Buffer.from([0xc3, 0x28, 0xff])];
  badUtf8.push(Buffer.from('\\", roomId: \\"r\\") { appId } }"}'));
  const cases: Array<[string, string | Buffer]> = [
    ['empty', ''],
    ['whitespace', ' \r\n\t'],
    ['truncated object', typename.slice(0, -1)],
    ['truncated string', '{"query":"{ __type'],
    ['lone brace', '{'],
    ['trailing garbage', `${typename} garbage`],
    ['two objects', typename + typename],
    ['single quotes', "{'query':'{ __typename }'}"],
    ['comments', '{"query":"{ nope }" /* c */}'],
    ['NaN', '{"query":NaN}'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"{ __typename }"'],
    ['true', 'true'],
    ['BOM then JSON', `\uFEFF${typename}`],
    ['UTF-16 LE', Buffer.from(typename, 'utf16le')],
    ['binary', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0xc3, 0x28, 0x00])],
    ['invalid UTF-8 in an id', Buffer.concat(badUtf8)],
    ['NUL bytes', '\u0000\u0000\u0000'],
    ['duplicate query keys', '{"query":"{ __typename }","query":"{ nope }"}'],
    ['a GraphQL document', '{ __typename }'],
    ['XML', '<?xml version="1.0"?><query>{ __typename }</query>'],
    ['form encoding', 'query=%7B__typename%7D'],
  ];
  for (const [label, body] of cases) kit.post('non-json', label, body);
}

export function batches(kit: Kit<'batch'>): void {
  const typename = { query: '{ __typename }' };
  kit.post('batch', 'empty array', '[]');
  kit.post('batch', 'one operation in an array', [typename]);
  kit.post('batch', 'two operations', [typename, { query: '{ nope }' }]);
  kit.post('batch', '2 000 operations', Array(2_000).fill(typename));
  kit.post('batch', 'nested arrays', [[typename]]);
  kit.post('batch', 'array of nulls', [null, null]);
}

const REFUSED = JSON.stringify({ query: '{ nope }' });

export function methods(kit: Kit<'methods'>): void {
  for (const method of ['PUT', 'DELETE', 'PATCH']) {
    kit.add('methods', `${method} with JSON`, method, '/graphql', JSON_TYPE, REFUSED);
    kit.add(
      'methods',
      `${method} with the CSRF header`,
      method,
      '/graphql',
      { ...JSON_TYPE, ...CSRF },
      REFUSED,
    );
  }
  const preflight = { origin: 'https://evil.example', 'access-control-request-method': 'POST' };
  kit.add('methods', 'OPTIONS without origin', 'OPTIONS', '/graphql', {});
  kit.add('methods', 'OPTIONS with the CSRF header', 'OPTIONS', '/graphql', CSRF);
  kit.add('methods', 'OPTIONS preflight from an unknown origin', 'OPTIONS', '/graphql', preflight);
  kit.add('methods', 'HEAD', 'HEAD', '/graphql', {});
  kit.add('methods', 'HEAD with the CSRF header', 'HEAD', '/graphql', CSRF);
  kit.add('methods', 'HEAD with a query', 'HEAD', '/graphql?query=%7B__typename%7D', CSRF);
  kit.add('methods', 'TRACE', 'TRACE', '/graphql', {});
}

export function contentTypes(kit: Kit<'content-types'>): void {
  const multipart = `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${REFUSED}\r\n--x--\r\n`;
  const cases: Array<[string, string | undefined, string, HeaderMap?]> = [
    ['text/plain', 'text/plain', REFUSED],
    ['text/plain with the CSRF header', 'text/plain', REFUSED, CSRF],
    ['application/xml', 'application/xml', '<query>{ nope }</query>'],
    ['text/xml with the CSRF header', 'text/xml', '<query/>', CSRF],
    ['form', 'application/x-www-form-urlencoded', 'query=%7B__typename%7D'],
    ['form with the CSRF header', 'application/x-www-form-urlencoded', 'query=%7Bnope%7D', CSRF],
    ['multipart', 'multipart/form-data; boundary=x', multipart],
    ['multipart with the CSRF header', 'multipart/form-data; boundary=x', multipart, CSRF],
    ['multipart garbage', 'multipart/form-data; boundary=x', 'garbage', CSRF],
    ['multipart without a boundary', 'multipart/form-data', 'garbage', CSRF],
    ['application/graphql', 'application/graphql', '{ nope }'],
    ['no content type', undefined, REFUSED],
    ['octet-stream', 'application/octet-stream', REFUSED],
    ['json with charset utf-16', 'application/json; charset=utf-16', REFUSED],
    ['json with a bogus parameter', 'application/json; boundary=";;;"', REFUSED],
    ['graphql-response+json as content type', 'application/graphql-response+json', REFUSED],
  ];
  for (const [label, type, body, extra = {}] of cases) {
    const headers = { ...(type === undefined ? {} : { 'content-type': type }), ...extra };
    kit.add('content-types', label, 'POST', '/graphql', headers, body);
  }
}

/** GET with and without the CSRF header, malformed parameters, and query strings up to past Node's limit. */
export function gets(kit: Kit<'get'>): void {
  // As browsers send forms: a space is one character (+), so the sizes below are what goes on the wire.
  const q = (document: string) => new URLSearchParams({ query: document }).toString();
  const cases: Array<[string, string, HeaderMap?]> = [
    ['no CSRF header, valid query', q('{ __typename }'), {}],
    [
      'no CSRF header, callQuality',
      q(`{ callQuality(${ROOM}, ${kit.span}, userIds: ["alice"]) { userId } }`),
      {},
    ],
    ['no CSRF header, accept json', q('{ __typename }'), { accept: 'application/json' }],
    ['12 KB query string without the CSRF header', q(`{ ${'x '.repeat(6_000)}}`), {}],
    ['no query', ''],
    ['unknown field', q('{ nope }')],
    ['mutation', q('mutation { nope }')],
    ['two query parameters', `${q('{ nope }')}&${q('{ __typename }')}`],
    ['variables not JSON', `${q('{ nope }')}&variables=%7Bnot-json`],
    ['variables an array', `${q(CALL_QUALITY)}&variables=%5B1%5D`],
    ['extensions not JSON', `${q('{ nope }')}&extensions=zzz`],
    ['hostile appId', q('{ room(appId: "a\\u0000\\r\\nb", roomId: "r") { appId } }')],
    ['percent-encoded NUL and CRLF', 'query=%7B%00%0D%0A%7D'],
    ['invalid percent encoding', 'query=%E0%A4%A'],
    ['unknown operationName', `${q('query A { __typename }')}&operationName=B`],
    ['operationName 4 KB', `${q('query A { __typename }')}&operationName=${'A'.repeat(4_096)}`],
    ['12 KB query string', q(`{ ${'x '.repeat(6_000)}}`)],
    ['20 KB query string (over the header limit)', q(`{ ${'x '.repeat(10_000)}}`)],
    ['64 KB query string', `query=${'x'.repeat(64 * 1024)}`],
    [
      'bad DateTime',
      q('{ callQuality(appId: "a", roomId: "r", userIds: ["u"], from: "now", to: "later") { userId } }'),
    ],
    ['300 aliases', q(`{ room(appId: "a", roomId: "r") { ${times(300, (i) => `a${i}: appId`)} } }`)],
  ];
  for (const [label, search, headers = CSRF] of cases) kit.get('get', label, search, headers);
}

/** Headers and request targets around a GraphQL request that is itself refused. */
export function headers(kit: Kit<'headers'>): void {
  const cases: Array<[string, HeaderMap, string?, string?]> = [
    ['accept text/html only', { accept: 'text/html' }],
    ['accept xml only', { accept: 'application/xml' }],
    ['x-request-id of 5 KB', { 'x-request-id': 'r'.repeat(5_120) }],
    ['x-request-id with markup', { 'x-request-id': '<script>alert(1)</script>' }],
    ['x-request-id in Latin-1', { 'x-request-id': 'ñandú' }],
    ['300 extra headers', Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`x-h${i}`, 'v']))],
    ['12 KB cookie', { cookie: `session=${'c'.repeat(12_288)}` }],
    ['20 KB cookie (over the header limit)', { cookie: `session=${'c'.repeat(20_480)}` }],
    ['Host with an invalid port', { host: 'evil.example:99999' }],
    ['Host of brackets', { host: '[[[' }],
    ['Host with userinfo', { host: 'user@evil.example' }],
    ['absolute-form target', {}, 'http://evil.example/graphql'],
    ['asterisk-form target', {}, '*', 'OPTIONS'],
    ['target without a leading slash', {}, 'graphql'],
  ];
  for (const [label, extra, path = '/graphql', method = 'POST'] of cases) {
    kit.add('headers', label, method, path, { ...JSON_TYPE, ...extra }, REFUSED);
  }
}

/** Framing Node's HTTP parser refuses before the gateway sees anything: it answers 400 and closes. */
export function framing(kit: Kit<'framing'>): void {
  const cases: Array<[string, HeaderMap]> = [
    ['Content-Length not a number', { 'content-length': 'abc' }],
    ['negative Content-Length', { 'content-length': '-1' }],
    ['two different Content-Lengths', { 'content-length': ['2', '3'] }],
    ['Content-Length and chunked', { 'content-length': '2', 'transfer-encoding': 'chunked' }],
    ['Content-Length shorter than the body', { 'content-length': '10' }],
  ];
  for (const [label, extra] of cases)
    kit.add('framing', label, 'POST', '/graphql', { ...JSON_TYPE, ...extra }, REFUSED);
}
