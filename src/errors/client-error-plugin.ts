/**
 * Translates domain errors into coded client errors when execution is done, before Yoga masks and logs: the
 * errors a client caused (bad input) or can act on (upstream refused, rate limited) are answers, not incidents.
 */
import type { Plugin } from 'graphql-yoga';
import { toClientError } from './client-errors.js';

export function useClientErrors(): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone: ({ result, setResult }) => {
        // Incremental delivery is not used by this schema; a stream result passes through untouched.
        if (Symbol.asyncIterator in result || !result.errors?.length) return;
        setResult({ ...result, errors: result.errors.map(toClientError) });
      },
    }),
  };
}
