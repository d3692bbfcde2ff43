/**
 * A deterministic set of malformed and hostile HTTP requests for the gateway (issue 6): every one must be
 * answered with a coded error, and none may reach the upstream. Each request is invalid on purpose in exactly
 * the way its label says, and otherwise as valid as possible, so that it tests one guard and not an earlier one.
 *
 * Deterministic: the same seed and options give the same requests, so a failure names a request that can be
 * replayed. The PRNG only picks among variants (Accept header, literal or variable, which argument); it never
 * decides whether a case exists.
 *
 * This file assembles the list; the cases live in hostile-graphql-cases.ts and hostile-http-cases.ts, and
 * what they share in hostile-kit.ts.
 */
import type { OperationLimitsConfig } from '../../src/config/config.js';
import {
  aliases,
  dateTimes,
  directives,
  fragments,
  ids,
  nesting,
  operations,
  prototypes,
  tokens,
  userLists,
  variables,
} from './hostile-graphql-cases.js';
import {
  batches,
  contentTypes,
  framing,
  gets,
  headers,
  methods,
  nonJson,
  oversize,
} from './hostile-http-cases.js';
import { ACCEPTS, type HeaderMap, JSON_TYPE, type Kit, pick, SELECTION } from './hostile-kit.js';
import { seededRandom } from './seeded-random.js';
import { pastRange } from './test-gateway.js';

export const HOSTILE_CATEGORIES = [
  'date-time',
  'ids',
  'user-lists',
  'nesting',
  'aliases',
  'tokens',
  'directives',
  'fragments',
  'operations',
  'variables',
  'prototype',
  'oversize',
  'non-json',
  'methods',
  'content-types',
  'get',
  'batch',
  'framing',
  'headers',
  'auth',
] as const;
export type HostileCategory = (typeof HOSTILE_CATEGORIES)[number];

export interface HostileRequest {
  /** Unique and stable: names the case in failures and in lists of known gaps. */
  readonly label: string;
  readonly category: HostileCategory;
  readonly method: string;
  /** Path and query string, sent as is. */
  readonly path: string;
  /** Sent exactly; without Content-Length or Transfer-Encoding the sender adds the body's length. */
  readonly headers: HeaderMap;
  readonly body: string | Buffer | undefined;
}

export interface HostileOptions {
  /** The request's instant, for ranges that are valid except for the one thing under test. */
  readonly nowMs: number;
  /** The gateway's limits, so that sizes land just under and over them. */
  readonly limits: OperationLimitsConfig;
  readonly seed?: number;
}

/** In the order the list is built; each adds the cases of one category. */
const CASE_GROUPS: ReadonlyArray<(kit: Kit<HostileCategory>) => void> = [
  dateTimes,
  ids,
  userLists,
  nesting,
  aliases,
  tokens,
  directives,
  fragments,
  operations,
  variables,
  prototypes,
  oversize,
  nonJson,
  batches,
  methods,
  contentTypes,
  gets,
  headers,
  framing,
];

/** Builds the list; every request in it is refused by a correct gateway, and none needs the upstream. */
export function hostileRequests(options: HostileOptions): HostileRequest[] {
  const random = seededRandom(options.seed ?? 0x5eed);
  const range = pastRange(1, 10, options.nowMs);
  const requests: HostileRequest[] = [];
  const labels = new Set<string>();
  const add: Kit<HostileCategory>['add'] = (category, name, method, path, headers, body) => {
    const label = `${category}/${name}`;
    if (labels.has(label)) throw new Error(`duplicate hostile request label: ${label}`);
    labels.add(label);
    requests.push({ label, category, method, path, headers, body });
  };
  const post: Kit<HostileCategory>['post'] = (category, label, payload) => {
    const accept = pick(random, ACCEPTS);
    const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    add(category, label, 'POST', '/graphql', { ...JSON_TYPE, ...(accept ? { accept } : {}) }, body);
  };
  const kit: Kit<HostileCategory> = {
    limits: options.limits,
    nowMs: options.nowMs,
    valid: { appId: 'app1', roomId: 'room1', userIds: ['alice', 'bob'], from: range.from, to: range.to },
    span: `from: "${range.from}", to: "${range.to}"`,
    random,
    add,
    post,
    query: (category, label, document, variables) => post(category, label, { query: document, variables }),
    get: (category, label, search, headers = {}) =>
      add(category, label, 'GET', `/graphql?${search}`, headers),
  };
  for (const group of CASE_GROUPS) group(kit);
  return requests;
}

export interface HostileAuthOptions {
  readonly nowMs: number;
  /** A configured API key, used only where the request must be refused for another reason. */
  readonly apiKey: string;
  /** An AppId the key may not read. */
  readonly forbiddenAppId: string;
}

/**
 * For a gateway with authentication on: a valid callQuality operation with missing, garbage or oversize
 * credentials (so only the credential can be at fault), and the valid key asking for an AppId it may not read.
 */
export function hostileAuthRequests(options: HostileAuthOptions): HostileRequest[] {
  const range = pastRange(1, 10, options.nowMs);
  const span = `from: "${range.from}", to: "${range.to}"`;
  const callQuality = (appId: string) =>
    JSON.stringify({
      query: `{ callQuality(appId: "${appId}", roomId: "room1", userIds: ["alice"], ${span}) { ${SELECTION} } }`,
    });
  const jwtPart = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const key = options.apiKey;
  const credentials: Array<[string, string | readonly string[] | undefined]> = [
    ['no Authorization header', undefined],
    ['empty', ''],
    ['scheme only', 'Bearer'],
    ['scheme and spaces', 'Bearer    '],
    ['Basic', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ['Negotiate', 'Negotiate YIIGhgYJKoZIhvcSAQICAQBuggZ1MIIGcaADAgEFoQMCAQ6iBwMFACAAAACjggR'],
    ['wrong key', 'Bearer wrong-key-0123456789abcdef'],
    ['the key minus its last character', `Bearer ${key.slice(0, -1)}`],
    ['the key with a suffix', `Bearer ${key}x`],
    ['the key twice', `Bearer ${key} ${key}`],
    ['SQL injection', "Bearer ' OR '1'='1"],
    ['Latin-1 bytes', 'Bearer clé-ñ-ü'],
    ['JWT-shaped garbage', 'Bearer a.b.c'],
    ['unsigned JWT (alg none)', `Bearer ${jwtPart({ alg: 'none' })}.${jwtPart({ appIds: ['*'] })}.`],
    ['forged HS256 JWT', `Bearer ${jwtPart({ alg: 'HS256' })}.${jwtPart({ appIds: ['*'] })}.c2lnbmF0dXJl`],
    ['9 KB token', `Bearer ${'k'.repeat(9 * 1024)}`],
    ['12 KB token', `Bearer ${'k'.repeat(12 * 1024)}`],
    ['20 KB token (over the header limit)', `Bearer ${'k'.repeat(20 * 1024)}`],
    ['two wrong Authorization headers', ['Bearer wrong-one-0123456789', 'Bearer wrong-two-0123456789']],
  ];
  const request = (label: string, method: string, path: string, headers: HeaderMap, body?: string) =>
    ({ label: `auth/${label}`, category: 'auth', method, path, headers, body }) as const;
  const requests: HostileRequest[] = credentials.map(([label, authorization]) => {
    const headers = { ...JSON_TYPE, ...(authorization === undefined ? {} : { authorization }) };
    return request(label, 'POST', '/graphql', headers, callQuality('app1'));
  });
  const withKey = { ...JSON_TYPE, authorization: `Bearer ${key}` };
  const forbiddenRoom = `{ room(appId: "${options.forbiddenAppId}", roomId: "room1") { user(userId: "alice", ${span}) { ${SELECTION} } } }`;
  const typename = `/graphql?query=${encodeURIComponent('{ __typename }')}`;
  requests.push(
    request('valid key, forbidden AppId', 'POST', '/graphql', withKey, callQuality(options.forbiddenAppId)),
    request(
      'valid key, forbidden room',
      'POST',
      '/graphql',
      withKey,
      JSON.stringify({ query: forbiddenRoom }),
    ),
    request('valid key on GET without the CSRF header', 'GET', typename, {
      authorization: withKey.authorization,
    }),
  );
  return requests;
}
