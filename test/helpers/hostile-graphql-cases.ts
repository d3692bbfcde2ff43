/**
 * The hostile request cases aimed at the GraphQL layer: well-framed JSON POSTs whose document or variables are
 * at fault, from bad DateTimes and ids through limits on lists, nesting, aliases and tokens to malformed
 * directives, fragments, operations, variables and prototype-polluting keys. Each group adds the cases of one
 * category; hostile-requests.ts runs them in order.
 */
import {
  BAD_DATE_TIMES,
  CALL_QUALITY,
  DAY_MS,
  HOSTILE_IDS,
  HOUR_MS,
  type Kit,
  pick,
  ROOM,
  replaced,
  SELECTION,
  times,
} from './hostile-kit.js';

/** Every bad DateTime as a variable (and as a literal when a string), then well-formed but impossible ranges. */
export function dateTimes(kit: Kit<'date-time'>): void {
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
export function ids(kit: Kit<'ids'>): void {
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
export function userLists(kit: Kit<'user-lists'>): void {
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
export function nesting(kit: Kit<'nesting'>): void {
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

export function aliases(kit: Kit<'aliases'>): void {
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
export function tokens(kit: Kit<'tokens'>): void {
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

export function directives(kit: Kit<'directives'>): void {
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

export function fragments(kit: Kit<'fragments'>): void {
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

export function operations(kit: Kit<'operations'>): void {
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
export function variables(kit: Kit<'variables'>): void {
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
export function prototypes(kit: Kit<'prototype'>): void {
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
