/**
 * One authentication per HTTP request, whoever asks first: the response cache needs the principal before
 * Yoga builds the context (to key its entries), and the context factory needs it for every executed operation.
 */
import type { Authenticator } from './authenticator.js';
import type { Principal } from './principal.js';

export type RequestPrincipal = (request: Request) => Promise<Principal>;

export function createRequestPrincipal(authenticator: Authenticator): RequestPrincipal {
  // Keyed by the Request object, so an entry lives exactly as long as its request.
  const principals = new WeakMap<Request, Promise<Principal>>();
  return (request) => {
    let principal = principals.get(request);
    if (principal === undefined) {
      principal = authenticator.authenticate(request.headers.get('authorization'));
      principals.set(request, principal);
    }
    return principal;
  };
}
