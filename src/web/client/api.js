// @ts-check
/** GraphQL over HTTP: one JSON POST to the gateway's /graphql, the way any client of the public API sends it. */
import { authorizationHeader } from './auth.js';

export const GRAPHQL_PATH = '/graphql';

/**
 * @typedef {object} GraphQLError
 * @property {string} message
 * @property {{ code?: string }} [extensions]
 */

/** An operation the API refused or could not answer at all: its first error's message and code. */
export class ApiError extends Error {
  /** @param {string} message @param {string | undefined} code */
  constructor(message, code) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/**
 * The data of an operation and the errors beside it (a field whose upstream data failed is null with an
 * error, the rest is served). Throws ApiError when there is no data at all.
 * @param {string} query
 * @param {Record<string, unknown>} variables
 * @param {AbortSignal} [signal]
 * @returns {Promise<{ data: any, errors: GraphQLError[] }>}
 */
export async function graphql(query, variables, signal) {
  const response = await fetch(GRAPHQL_PATH, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...authorizationHeader(),
    },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  /** @type {{ data?: any, errors?: GraphQLError[] } | null} */
  const body = await response.json().catch(() => null);
  if (body === null) throw new ApiError(`the gateway answered HTTP ${response.status}`, undefined);
  const errors = body.errors ?? [];
  if (body.data === null || body.data === undefined) {
    throw new ApiError(errors[0]?.message ?? `HTTP ${response.status}`, errors[0]?.extensions?.code);
  }
  return { data: body.data, errors };
}
