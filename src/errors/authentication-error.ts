import type { ClientErrorCode } from './codes.js';

/**
 * The request carries no credential, or one that does not verify. Messages are written for the client (what
 * to send, or which check failed) and never quote the token, key or secret; `cause`, when set, is for logs.
 */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  readonly code = 'UNAUTHENTICATED' satisfies ClientErrorCode;
}
