/**
 * Shape limits checked before execution, with graphql-armor: tokens while parsing (so a huge document is cut
 * off before it is even built), aliases and depth while validating. Together with the cost limit they bound
 * what one request can make the gateway do; the defaults (src/config.ts) sit far above any dashboard's query.
 */
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { OperationLimitsConfig } from '../config/config.js';
import type { ClientErrorCode } from '../errors/codes.js';

/**
 * Armor throws its validation rejections out of `validate`, which Yoga then answers uncoded with HTTP 200.
 * Reported through the validation context instead, they come back as validation errors: HTTP 400 and
 * GRAPHQL_VALIDATION_FAILED, like every other invalid document. The message names the limit and the count
 * found, never the document.
 */
function reportAsValidationError(context: ValidationContext | null, error: GraphQLError): void {
  context?.reportError(
    new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' satisfies ClientErrorCode },
    }),
  );
}

/** The plugins for `limits`, to be placed before the cost limit (cheap refusals first). */
export function operationLimitsPlugins(
  limits: Pick<OperationLimitsConfig, 'maxAliases' | 'maxDepth' | 'maxTokens'>,
): Plugin[] {
  return [
    // Thrown from the parser, the rejection is already GRAPHQL_PARSE_FAILED with HTTP 400.
    maxTokensPlugin({ n: limits.maxTokens }),
    maxAliasesPlugin({
      n: limits.maxAliases,
      propagateOnRejection: false,
      onReject: [reportAsValidationError],
    }),
    maxDepthPlugin({
      n: limits.maxDepth,
      // A fragment is a way of writing a selection, not a level of data: the depth is the response's.
      flattenFragments: true,
      // GraphiQL's introspection query is 15 levels deep. Introspection stays bounded without this limit:
      // graphql-js's own MaxIntrospectionDepthRule (a specified rule) refuses deeply nested __Type lists.
      ignoreIntrospection: true,
      propagateOnRejection: false,
      onReject: [reportAsValidationError],
    }),
  ];
}
