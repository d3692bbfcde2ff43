/**
 * Drops graphql-js's "Did you mean ...?" hints from error messages, for a gateway with introspection off: each
 * hint answers a misspelt name with the schema's right ones, and tools such as clairvoyance rebuild a whole
 * schema from them one guess at a time. The message left is the one graphql-js gives when no name is similar.
 *
 * Hints come from validation (fields, arguments, types, enum values and input fields written in the document)
 * and from coercing variables at execution (enum values and input fields sent as variables). graphql-js 16 has
 * no switch for them, and graphql-armor's block-field-suggestions misses enum values: its pattern wants a name
 * right after "Did you mean", not graphql-js's "Did you mean the enum value" (graphql-armor issue #759).
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-js's didYouMean(): ` Did you mean [sub-message ]"a"?`, `"a" or "b"?`, `"a", "b", or "c"?`, always
 * at the end of a message (of the inner one, for variables). Names are GraphQL names: \w+ exactly.
 */
const HINT = / Did you mean (?:[a-z ]+ )?"\w+"(?:, "\w+")*(?:,? or "\w+")?\?/g;

function withoutHint(error: GraphQLError): GraphQLError {
  const message = error.message.replace(HINT, '');
  if (message === error.message) return error;
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/**
 * In validation's and execution's own hooks rather than at result processing: useErrorCodes shortens long
 * messages there, which could cut a hint in half and leave its first name behind.
 */
export function useHideSuggestions(): Plugin {
  return {
    onValidate() {
      return ({ valid, result, setResult }) => {
        if (valid) return;
        // graphql-js reports GraphQLErrors; another plugin's plain Error carries no hint of graphql-js's.
        setResult(result.map((error) => (error instanceof GraphQLError ? withoutHint(error) : error)));
      };
    },
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        // The schema has no @defer, @stream nor subscriptions: a stream never reaches here.
        if (Symbol.asyncIterator in result || !result.errors?.length) return;
        setResult({ ...result, errors: result.errors.map(withoutHint) });
      },
    }),
  };
}
