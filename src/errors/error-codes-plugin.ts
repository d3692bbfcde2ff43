/**
 * Every error a client receives carries an `extensions.code` and no more than a line of the request it came
 * from.
 *
 * Yoga codes most of its own errors (BAD_REQUEST, GRAPHQL_PARSE_FAILED, ...), but not all: variable coercion
 * errors have none, and the CSRF check's has none. A body that is not JSON comes back with the JSON parser's
 * message in `extensions.originalError`, which quotes the body; and graphql-js quotes names and values whole
 * ("Variable "$from" got invalid value "<100 KB>""). Clients branch on codes, and a response must not echo
 * arbitrary input, so this runs on every result before it is serialised.
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { codeOfUncoded } from './client-errors.js';

type ResultLike = { errors?: readonly GraphQLError[] };

/** Longer messages are cut: every message of ours fits, and a longer one can only be quoting input. */
const MAX_MESSAGE_LENGTH = 240;

function shorten(message: string): string {
  return message.length <= MAX_MESSAGE_LENGTH
    ? message
    : `${message.slice(0, MAX_MESSAGE_LENGTH - 16)}... (shortened)`;
}

function clean(error: GraphQLError): GraphQLError {
  const extensions = error.extensions ?? {};
  if (
    typeof extensions.code === 'string' &&
    !('originalError' in extensions) &&
    error.message.length <= MAX_MESSAGE_LENGTH
  ) {
    return error;
  }
  const { originalError: _dropped, http, ...kept } = extensions;
  // Yoga answers a request error it throws with its status; once the error is rebuilt here, a `spec` flag
  // would make an application/json answer 200, so the status is kept without it.
  const { spec: _spec, ...status } = (http ?? {}) as Record<string, unknown>;
  return new GraphQLError(shorten(error.message), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: {
      ...kept,
      ...(http === undefined ? {} : { http: status }),
      code: typeof kept.code === 'string' ? kept.code : codeOfUncoded(error),
    },
  });
}

export function useErrorCodes(): Plugin {
  return {
    onResultProcess: ({ result, setResult }) => {
      if (Symbol.asyncIterator in result) return;
      const results = (Array.isArray(result) ? result : [result]) as ResultLike[];
      if (!results.some((one) => one.errors?.length)) return;
      const cleaned = results.map((one) =>
        one.errors?.length ? { ...one, errors: one.errors.map(clean) } : one,
      );
      setResult((Array.isArray(result) ? cleaned : cleaned[0]) as typeof result);
    },
  };
}
