/**
 * The one translation from what went wrong to what a client is told: every mapping onto an `extensions.code`
 * is in this file.
 *
 * - Domain errors (this folder's error classes, the window cache's RetentionEdgeError, the upstream layer's
 *   failures) become coded GraphQLErrors: `toClientError` for the field errors of an execution
 *   (useClientErrors), `clientErrorOf` for the refusals a plugin answers with itself (authentication, the
 *   output limit). Any other error is left for Yoga's masking: internals and secrets never reach a response.
 * - Errors that Yoga and graphql-js leave uncoded get theirs from `codeOfUncoded` (useErrorCodes).
 *
 * The refusals the limits plugins and the HTTP guard decide themselves are not translations: each builds its
 * client error where it decides.
 */
import { GraphQLError } from 'graphql';
import { NotArchivedError } from '../slots/not-archived-error.js';
import { RetentionEdgeError } from '../slots/retention-edge-error.js';
import {
  type UpstreamErrorCode,
  UpstreamFailure,
  UpstreamResponseError,
} from '../upstream/upstream-error.js';
import { ArchiveUnavailableError } from './archive-unavailable-error.js';
import { AuthenticationError } from './authentication-error.js';
import type { ClientErrorCode } from './codes.js';
import { ForbiddenError } from './forbidden-error.js';
import { InvalidArgumentError } from './invalid-argument.js';
import { SubscriptionBacklogError, SubscriptionLimitError } from './live-errors.js';
import { OutputLimitError } from './output-limit-error.js';

interface ClientErrorParts {
  readonly message: string;
  readonly extensions: { readonly code: ClientErrorCode } & Record<string, unknown>;
}

/**
 * The upstream layer names its failures in its own terms (it imports nothing above it); clients meet them
 * under the same names. Spelled out, so that a new upstream code does not compile until it has a client code.
 */
const UPSTREAM_CODES: { readonly [Code in UpstreamErrorCode]: ClientErrorCode } = {
  UPSTREAM_ERROR: 'UPSTREAM_ERROR',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  RATE_LIMITED: 'RATE_LIMITED',
};

/** The refusals answered outside any field, by the plugin that met them. */
type Refusal = AuthenticationError | OutputLimitError;

function describeRefusal(error: Refusal): ClientErrorParts {
  if (error instanceof AuthenticationError) {
    return {
      message: error.message,
      extensions: { code: error.code, http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } } },
    };
  }
  return { message: error.message, extensions: { code: error.code, limit: error.limit } };
}

function describe(error: unknown): ClientErrorParts | null {
  if (error instanceof InvalidArgumentError || error instanceof ForbiddenError) {
    return { message: error.message, extensions: { code: error.code, argument: error.argument } };
  }
  if (error instanceof ArchiveUnavailableError) {
    return { message: error.message, extensions: { code: error.code } };
  }
  if (error instanceof NotArchivedError) {
    const missing = error.missing.map(([fromMs, toMs]) => ({
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
    }));
    return { message: error.message, extensions: { code: error.code, missing } };
  }
  if (error instanceof RetentionEdgeError) {
    return { message: error.message, extensions: { code: 'BAD_USER_INPUT', argument: 'from' } };
  }
  if (error instanceof SubscriptionLimitError || error instanceof SubscriptionBacklogError) {
    return { message: error.message, extensions: { code: error.code, limit: error.limit } };
  }
  if (error instanceof AuthenticationError || error instanceof OutputLimitError) {
    return describeRefusal(error);
  }
  if (error instanceof UpstreamResponseError) {
    // The upstream's code, request id and status are what Volcengine support asks for; nothing of our request is.
    return {
      message: `the upstream refused the call: ${error.upstreamCode}`,
      extensions: {
        code: UPSTREAM_CODES[error.code],
        upstream: { code: error.upstreamCode, requestId: error.requestId, httpStatus: error.httpStatus },
      },
    };
  }
  if (error instanceof UpstreamFailure) {
    return { message: error.message, extensions: { code: UPSTREAM_CODES[error.code] } };
  }
  return null;
}

/**
 * The coded client error for a field error caused by a domain error, or the error unchanged. The new error
 * carries no `originalError`: Yoga would mask (and log as unexpected) any GraphQLError wrapping a plain Error.
 */
export function toClientError(error: GraphQLError): GraphQLError {
  const described = describe(error.originalError);
  if (described === null) return error;
  return new GraphQLError(described.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: described.extensions,
  });
}

/** The client error a plugin answers with for a refusal raised outside any field. */
export function clientErrorOf(error: Refusal): GraphQLError {
  const { message, extensions } = describeRefusal(error);
  return new GraphQLError(message, { extensions });
}

/** The code for an error Yoga answers uncoded, from the HTTP status it chose and graphql-js's message. */
export function codeOfUncoded(error: GraphQLError): ClientErrorCode {
  const status = (error.extensions?.http as { status?: number } | undefined)?.status;
  // Yoga's only uncoded 403 is the CSRF check's.
  if (status === 403) return 'CSRF_HEADER_REQUIRED';
  // What remains are request-shape errors, and variables that do not fit their declared types.
  return error.message.startsWith('Variable "$') ? 'BAD_USER_INPUT' : 'BAD_REQUEST';
}
