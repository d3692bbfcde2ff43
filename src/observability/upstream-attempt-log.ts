/**
 * One warning per failed upstream attempt, with what an operator (or Volcengine support) needs to follow it
 * up: the code, the upstream's own code, HTTP status and RequestId, the attempt number and timings. Built from
 * the typed error's fields only: messages of upstream errors never hold credentials, but nothing else about the
 * request is logged either.
 */
import type { AttemptInfo } from '../upstream/call-detail-fetcher.js';
import { UpstreamFailure, UpstreamResponseError } from '../upstream/upstream-error.js';
import type { Logger } from './logger.js';

export function logUpstreamAttempt(logger: Logger, info: AttemptInfo): void {
  const { error } = info;
  if (error === undefined) return;
  const upstream =
    error instanceof UpstreamResponseError
      ? { upstreamCode: error.upstreamCode, httpStatus: error.httpStatus, requestId: error.requestId }
      : {};
  logger.warn(
    {
      attempt: info.attempt,
      users: info.users,
      waitMs: Math.round(info.waitMs),
      durationMs: info.durationMs === undefined ? undefined : Math.round(info.durationMs),
      code: error instanceof UpstreamFailure ? error.code : 'UNEXPECTED',
      ...upstream,
    },
    `upstream attempt failed: ${error instanceof Error ? error.message : String(error)}`,
  );
}
