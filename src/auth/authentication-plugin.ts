/**
 * Authenticates every GraphQL request before its document is parsed, validated or looked up in any cache: a
 * caller without a valid credential costs one header check, and nothing it sends is kept.
 * Refusals are HTTP 401 with `WWW-Authenticate: Bearer` and the code UNAUTHENTICATED.
 */
import type { Plugin } from 'graphql-yoga';
import { AuthenticationError } from '../errors/authentication-error.js';
import { clientErrorOf } from '../errors/client-errors.js';
import type { RequestPrincipal } from './request-principal.js';

export function useAuthentication(principalOf: RequestPrincipal): Plugin {
  return {
    async onParams({ request, setResult }) {
      try {
        await principalOf(request);
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
        setResult({ errors: [clientErrorOf(error)] });
      }
    },
  };
}
