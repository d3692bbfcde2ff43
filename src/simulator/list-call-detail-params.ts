/**
 * ListCallDetail's parameter validation, with the real API's codes and its one-parameter-at-a-time
 * messages. Runs after authentication and the rate limit, as upstream.
 */
import type { DirectionFilter } from '../model/call-detail.js';
import {
  LIST_CALL_DETAIL_ACTION,
  LIST_CALL_DETAIL_LIMITS,
  LIST_CALL_DETAIL_VERSION,
} from '../model/call-detail.js';
import { type ApiError, type ApiErrorCode, apiError } from './envelope.js';

export interface ListCallDetailParams {
  readonly appId: string;
  readonly roomId: string;
  /** As sent (invalid ids included: they are dropped later, silently). */
  readonly userIds: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
  readonly direction: DirectionFilter;
}

export type ParamsValidation =
  | { readonly ok: true; readonly params: ListCallDetailParams }
  | { readonly ok: false; readonly error: ApiError };

const REQUIRED = ['AppId', 'RoomId', 'UserId', 'StartTime', 'EndTime'] as const;

const RFC3339_SECONDS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})$/;

/** The ids of a `UserId` value; empty segments (`u1,,u2`, a trailing comma) are not ids. */
export function splitUserIds(value: string | undefined): string[] {
  return (value ?? '').split(',').filter((id) => id !== '');
}

/**
 * An RFC 3339 date-time with an offset and second precision, as the upstream documents, to unix ms; null for
 * anything else (fractions of a second included: the upstream takes seconds).
 */
export function parseRfc3339Seconds(text: string): number | null {
  const match = RFC3339_SECONDS.exec(text);
  if (match === null) return null;
  const [, year, month, day, hour, minute, second, zone = 'Z'] = match;
  const local = `${year}-${month}-${day}T${hour}:${minute}:${second}.000Z`;
  const localMs = Date.parse(local);
  // The round trip rejects fields that Date.parse would roll over (a 30th of February, 24:00:00).
  if (!Number.isFinite(localMs) || new Date(localMs).toISOString() !== local) return null;
  if (zone === 'Z') return localMs;
  const offsetHours = Number(zone.slice(1, 3));
  const offsetMinutes = Number(zone.slice(4, 6));
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  const sign = zone.startsWith('-') ? -1 : 1;
  return localMs - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
}

/** Validates a decoded query against the upstream's rules; the first violation is the answer. */
export function validateListCallDetailParams(
  query: Readonly<Record<string, string>>,
  nowMs: number,
): ParamsValidation {
  if (query.Action !== LIST_CALL_DETAIL_ACTION || query.Version !== LIST_CALL_DETAIL_VERSION) {
    return invalid(
      'InvalidActionOrVersion',
      `only Action ${LIST_CALL_DETAIL_ACTION} with Version ${LIST_CALL_DETAIL_VERSION} is served`,
    );
  }
  const missing = REQUIRED.find((name) => !query[name]);
  if (missing !== undefined) return invalid('MissingParameter', `the parameter ${missing} is required`);
  const userIds = splitUserIds(query.UserId);
  if (userIds.length === 0) return invalid('InvalidParameter', 'UserId: at least 1 id');
  if (userIds.length > LIST_CALL_DETAIL_LIMITS.maxUsersPerCall) {
    return invalid('InvalidParameter', `UserId: at most ${LIST_CALL_DETAIL_LIMITS.maxUsersPerCall} ids`);
  }
  const startMs = parseRfc3339Seconds(query.StartTime ?? '');
  if (startMs === null) return invalid('InvalidParameter', 'StartTime: not RFC 3339');
  const endMs = parseRfc3339Seconds(query.EndTime ?? '');
  if (endMs === null) return invalid('InvalidParameter', 'EndTime: not RFC 3339');
  // An empty Direction is treated as absent, the way the upstream binds an empty integer parameter.
  const direction = query.Direction === undefined || query.Direction === '' ? '0' : query.Direction;
  if (direction !== '0' && direction !== '1' && direction !== '2') {
    return invalid('InvalidParameter', 'Direction: must be 0, 1 or 2');
  }
  if (startMs >= endMs) return invalid('InvalidParameter', 'StartTime: must be before EndTime');
  if (endMs - startMs > LIST_CALL_DETAIL_LIMITS.maxSpanMs) {
    return invalid('InvalidParameter', 'EndTime: span longer than 1 hour');
  }
  if (startMs < nowMs - LIST_CALL_DETAIL_LIMITS.retentionMs) {
    return invalid('InvalidParameter', 'StartTime: older than 6 days');
  }
  return {
    ok: true,
    params: {
      appId: query.AppId ?? '',
      roomId: query.RoomId ?? '',
      userIds,
      startMs,
      endMs,
      direction: Number(direction) as DirectionFilter,
    },
  };
}

function invalid(code: ApiErrorCode, message: string): ParamsValidation {
  return { ok: false, error: apiError(code, message) };
}
