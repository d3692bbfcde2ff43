import { GraphQLError, Kind } from 'graphql';
import type { ClientErrorCode } from '../errors/codes.js';
import { builder } from './builder.js';

const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-](\d{2}):(\d{2}))$/;

function invalid(value: unknown): GraphQLError {
  const shown = typeof value === 'string' ? `"${value.slice(0, 64)}"` : typeof value;
  return new GraphQLError(
    `DateTime must be an RFC 3339 instant with an offset, e.g. 2026-11-25T10:00:00Z or 2026-11-25T18:00:00+08:00; got ${shown}`,
    { extensions: { code: 'BAD_USER_INPUT' satisfies ClientErrorCode } },
  );
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Strict on purpose: `Date.parse` accepts offset-less local times and rolls "Feb 30" over into March, and
 * either would silently query the wrong hour.
 */
export function parseDateTime(value: unknown): number {
  if (typeof value !== 'string') throw invalid(value);
  const match = RFC_3339.exec(value);
  if (!match) throw invalid(value);
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map(Number);
  const [, , , , , , , fraction = '', zone = 'Z', offsetHours = '00', offsetMinutes = '00'] = match;
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    Number(offsetHours) > 23 ||
    Number(offsetMinutes) > 59
  ) {
    throw invalid(value);
  }
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const normalised = `${value.slice(0, 19).replace('t', 'T')}.${millis}${zone.toUpperCase()}`;
  const ms = Date.parse(normalised);
  if (!Number.isFinite(ms)) throw invalid(value);
  // RFC 3339 allows any number of fraction digits; instants are whole milliseconds here, as sample times are.
  // Rounding a finer instant UP keeps the half-open rule exact for both bounds: a sample at .654 is before a
  // `from` of .6540005 (from becomes .655) and before a `to` of .6540005 (to becomes .655, so it is inside).
  return /[1-9]/.test(fraction.slice(3)) ? ms + 1 : ms;
}

export const DateTime = builder.scalarType('DateTime', {
  description:
    'An instant. Input: RFC 3339 with an offset, any number of fraction digits (finer than a millisecond rounds ' +
    'up to the next one, which keeps [from, to) exact for millisecond samples). Output: RFC 3339 in UTC with ' +
    'milliseconds.',
  serialize: (ms) => new Date(ms).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (node) => {
    if (node.kind !== Kind.STRING) throw invalid(node.kind);
    return parseDateTime(node.value);
  },
});
