/**
 * Client-facing errors: GraphQLErrors with a stable `extensions.code` that clients can branch on.
 *
 * Resolvers throw domain errors (InvalidArgumentError, the upstream layer's failures). `toClientError` turns
 * exactly those into coded GraphQLErrors at the path of the field that failed; anything else is left for
 * Yoga's masking, so internals and secrets never reach a response.
 */
import { GraphQLError } from 'graphql';
import { ForbiddenError } from '../auth/forbidden-error.js';
import { RetentionEdgeError } from '../slots/retention-edge-error.js';
import { UpstreamFailure, UpstreamResponseError } from '../upstream/upstream-error.js';
import { InvalidArgumentError } from './invalid-argument.js';

function describe(error: unknown): { message: string; extensions: Record<string, unknown> } | null {
  if (error instanceof InvalidArgumentError || error instanceof ForbiddenError) {
    return { message: error.message, extensions: { code: error.code, argument: error.argument } };
  }
  if (error instanceof RetentionEdgeError) {
    return { message: error.message, extensions: { code: 'BAD_USER_INPUT', argument: 'from' } };
  }
  if (error instanceof UpstreamResponseError) {
    // The upstream's code, request id and status are what Volcengine support asks for; nothing of our request is.
    return {
      message: `the upstream refused the call: ${error.upstreamCode}`,
      extensions: {
        code: error.code,
        upstream: { code: error.upstreamCode, requestId: error.requestId, httpStatus: error.httpStatus },
      },
    };
  }
  if (error instanceof UpstreamFailure) return { message: error.message, extensions: { code: error.code } };
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
