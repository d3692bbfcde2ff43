/**
 * Failures of the upstream layer. They are plain `Error`s with a stable `code` (never GraphQL errors: nothing
 * in `upstream/` knows GraphQL); errors/client-errors.ts turns them into client errors at the path of the
 * field that failed. Messages never carry credentials, signatures or request headers.
 */

/** The layer's own codes; client-errors.ts maps each onto the client code of the same name. */
export type UpstreamErrorCode =
  /** The upstream answered with an error (HTTP status and/or `ResponseMetadata.Error`), or with a body we cannot read. */
  | 'UPSTREAM_ERROR'
  /** No answer: connection refused or reset, timeout, truncated body. */
  | 'UPSTREAM_UNAVAILABLE'
  /** The local rate limiter would make the caller wait longer than allowed; the upstream was not called. */
  | 'RATE_LIMITED';

/**
 * The upstream code the gateway gives an answer it cannot read as the API's envelope (not JSON, no `Result`,
 * larger than allowed): Volcengine has no code for it, and the breaker counts it as a failing upstream.
 */
export const INVALID_RESPONSE = 'InvalidResponse';

export abstract class UpstreamFailure extends Error {
  abstract readonly code: UpstreamErrorCode;
  /** Whether trying the same call again may succeed. */
  abstract readonly retryable: boolean;
}

export interface UpstreamResponseErrorDetails {
  /** The upstream `Error.Code`, e.g. `FlowLimitExceeded`; INVALID_RESPONSE when the body could not be read. */
  readonly upstreamCode: string;
  readonly httpStatus: number;
  readonly requestId: string | null;
  /** Milliseconds from a `Retry-After` header, when the upstream sent one. */
  readonly retryAfterMs: number | null;
}

const RETRYABLE_UPSTREAM_CODES =
  /^(FlowLimitExceeded.*|AccountFlowLimitExceeded|InternalError|ServiceUnavailable.*)$/;

export class UpstreamResponseError extends UpstreamFailure implements UpstreamResponseErrorDetails {
  override readonly name = 'UpstreamResponseError';
  readonly code = 'UPSTREAM_ERROR';
  readonly upstreamCode: string;
  readonly httpStatus: number;
  readonly requestId: string | null;
  readonly retryAfterMs: number | null;
  readonly retryable: boolean;

  constructor(message: string, details: UpstreamResponseErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.upstreamCode = details.upstreamCode;
    this.httpStatus = details.httpStatus;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
    // Parameter, signature, access-key and permission errors would fail the same way again.
    this.retryable =
      details.httpStatus === 429 ||
      details.httpStatus >= 500 ||
      RETRYABLE_UPSTREAM_CODES.test(details.upstreamCode);
  }
}

export class UpstreamUnavailableError extends UpstreamFailure {
  // Widened to string so subclasses (CircuitOpenError) can name themselves.
  override readonly name: string = 'UpstreamUnavailableError';
  readonly code = 'UPSTREAM_UNAVAILABLE';
  readonly retryable = true;
}

export class RateLimitedError extends UpstreamFailure {
  override readonly name = 'RateLimitedError';
  readonly code = 'RATE_LIMITED';
  // Retrying at once would only queue behind the same backlog.
  readonly retryable = false;

  /**
   * @param waitMs how long the call would have waited for its turn, or, when `stillBlocked`, how long it did
   *   wait without its turn coming (the calls ahead of it had not finished).
   */
  constructor(
    readonly waitMs: number,
    readonly maxWaitMs: number,
    stillBlocked = false,
  ) {
    super(
      stillBlocked
        ? `this call waited ${waitMs} ms for the upstream rate limit, the most allowed is ${maxWaitMs} ms: the calls ahead of it are still running`
        : `the upstream rate limit would delay this call by ${waitMs} ms, more than the allowed ${maxWaitMs} ms`,
    );
  }
}
