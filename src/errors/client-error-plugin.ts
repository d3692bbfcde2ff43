/**
 * Translates domain errors into coded client errors when execution (or a subscription's event) is done, before
 * Yoga masks and logs: the
 * errors a client caused (bad input) or can act on (upstream refused, rate limited) are answers, not incidents.
 */
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { toClientError } from './client-errors.js';

type Result = { readonly errors?: readonly GraphQLError[] };

function translated<T extends Result>(result: T): T | null {
  return result.errors?.length ? { ...result, errors: result.errors.map(toClientError) } : null;
}

export function useClientErrors(): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        // Incremental delivery is not used by this schema; a stream result passes through untouched.
        if (Symbol.asyncIterator in result) return;
        const coded = translated(result);
        if (coded) setResult(coded);
      },
    }),
    // A subscription refused at subscribe time answers once; one that runs answers per event.
    onSubscribe: () => ({
      onSubscribeResult: ({ result, setResult }) => {
        if (!(Symbol.asyncIterator in result)) {
          const coded = translated(result);
          if (coded) setResult(coded);
          return;
        }
        return {
          onNext: ({ result: event, setResult: setEvent }) => {
            const coded = translated(event);
            if (coded) setEvent(coded);
          },
        };
      },
    }),
  };
}
