/**
 * The Volcengine OpenAPI response envelope and the error codes the simulator answers with, each with the
 * HTTP status and numeric `CodeN` the real API uses.
 */
import { randomBytes } from 'node:crypto';

const API_ERRORS = {
  MissingParameter: { httpStatus: 400, codeN: 100002 },
  /** RTC's own parameter validation, with a message naming the parameter. */
  InvalidParameter: { httpStatus: 400, codeN: 10001 },
  MissingSignature: { httpStatus: 401, codeN: 100005 },
  InvalidTimestamp: { httpStatus: 400, codeN: 100006 },
  InvalidActionOrVersion: { httpStatus: 404, codeN: 100008 },
  InvalidAccessKey: { httpStatus: 401, codeN: 100009 },
  SignatureDoesNotMatch: { httpStatus: 401, codeN: 100010 },
  FlowLimitExceeded: { httpStatus: 429, codeN: 100018 },
  InternalError: { httpStatus: 500, codeN: 100023 },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** An error answer, before it is wrapped in an envelope. */
export interface ApiError {
  readonly httpStatus: number;
  readonly code: ApiErrorCode;
  readonly codeN: number;
  readonly message: string;
}

export function apiError(code: ApiErrorCode, message: string): ApiError {
  return { ...API_ERRORS[code], code, message };
}

export interface ResponseMetadata {
  RequestId: string;
  Action: string;
  Version: string;
  Service: string;
  Region: string;
}

let requestCounter = 0;

/**
 * Unique per response, shaped like the real ones (a timestamp, then hex). The counter guarantees uniqueness
 * within the process; the random part keeps two simulators (or runs) from handing out the same ids.
 */
export function newRequestId(nowMs: number): string {
  requestCounter = (requestCounter + 1) % 0x1000000;
  const stamp = new Date(nowMs).toISOString().replace(/\D/g, '').slice(0, 14);
  return `${stamp}${requestCounter.toString(16).padStart(6, '0')}${randomBytes(6).toString('hex')}`.toUpperCase();
}

export function errorEnvelope(metadata: ResponseMetadata, error: ApiError) {
  return {
    ResponseMetadata: {
      ...metadata,
      Error: { Code: error.code, CodeN: error.codeN, Message: error.message },
    },
  };
}

export function successEnvelope<T>(metadata: ResponseMetadata, result: T) {
  return { ResponseMetadata: metadata, Result: result };
}
