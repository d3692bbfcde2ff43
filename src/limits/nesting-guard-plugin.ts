/**
 * graphql-js parses and validates recursively, so a document nested a few thousand levels deep (`{ a { a { ...`,
 * `[[[[...`) overflows the stack well under the token limit, and the RangeError would be answered as an
 * unexpected 500. Depth is bounded by `LIMIT_MAX_DEPTH` anyway; here a document too deep to even parse or
 * validate becomes the client error it is.
 */
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ClientErrorCode } from '../errors/codes.js';

function tooDeep(code: ClientErrorCode): GraphQLError {
  return new GraphQLError('the document is nested too deeply to be read', {
    extensions: { code, http: { status: 400 } },
  });
}

export function useNestingGuard(): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, options);
        } catch (error) {
          if (error instanceof RangeError) throw tooDeep('GRAPHQL_PARSE_FAILED');
          throw error;
        }
      });
    },
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((schema, document, rules, typeInfo, options) => {
        try {
          return validateFn(schema, document, rules, typeInfo, options);
        } catch (error) {
          if (error instanceof RangeError) return [tooDeep('GRAPHQL_VALIDATION_FAILED')];
          throw error;
        }
      });
    },
  };
}
