/**
 * Yoga's CSRF check with a refusal that says how to pass it: its own message ("Required CSRF header(s) not
 * present") names neither the header nor the content types that need none, so a `curl -d` without a content
 * type, or a GET from a script, was refused with nothing to go on.
 */
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { ClientErrorCode } from '../errors/codes.js';

const CODE: ClientErrorCode = 'CSRF_HEADER_REQUIRED';
const MESSAGE =
  'A GET, or a POST without a content type or with a form or text/plain one, needs an x-graphql-yoga-csrf ' +
  'header (any value): send it, or POST with Content-Type: application/json.';

export function useCsrfPrevention(): Plugin {
  const { onRequestParse } = useCSRFPrevention();
  return {
    onRequestParse(payload) {
      try {
        return onRequestParse?.(payload);
      } catch {
        throw createGraphQLError(MESSAGE, { extensions: { code: CODE, http: { status: 403 } } });
      }
    },
  };
}
