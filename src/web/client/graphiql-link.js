// @ts-check
/** A link that opens the page's own operation in GraphiQL, which reads `query` and `variables` from its URL. */
import { GRAPHQL_PATH } from './api.js';

/** @param {string} query @param {Record<string, unknown>} variables */
export function graphiqlHref(query, variables) {
  const params = new URLSearchParams({ query, variables: JSON.stringify(variables, null, 2) });
  return `${GRAPHQL_PATH}?${params}`;
}
