/**
 * Turns a request's Authorization header into a Principal. With neither API keys nor JWT verification
 * configured the gateway is open (every request is OPEN_PRINCIPAL); otherwise every request needs
 * `Authorization: Bearer <API key or JWT>`, and both kinds may be accepted at once.
 */
import type { AuthConfig } from '../config/auth-config.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import { createApiKeyVerifier } from './api-key-verifier.js';
import { createJwtVerifier, type JwtVerifierOptions } from './jwt-verifier.js';
import { OPEN_PRINCIPAL, type Principal } from './principal.js';

export interface Authenticator {
  /** False when no credential is configured: every request is then served as OPEN_PRINCIPAL. */
  readonly enabled: boolean;
  /**
   * The principal for the value of the Authorization header (null when the request has none); rejects with
   * AuthenticationError, and only with it, when authentication is enabled and the credential does not verify.
   */
  authenticate(authorization: string | null): Promise<Principal>;
}

export type AuthenticatorOptions = JwtVerifierOptions;

/**
 * Longest accepted Authorization header. Checked before anything else so an oversized value costs neither a
 * hash nor a signature check; real API keys are tens of characters and real JWTs a few hundred to a few
 * thousand.
 */
const MAX_AUTHORIZATION_LENGTH = 8 * 1024;
const HOW_TO = 'send Authorization: Bearer <API key or JWT>';
const MISSING = `missing credential: ${HOW_TO}`;
/** Compact JWS: three base64url parts; the signature part is empty for `alg: none` (jose refuses it). */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;
/** `<scheme> <credential>` (RFC 9110 11.4); the scheme is compared case-insensitively below. */
const CREDENTIALS = /^(\S+)(?:\s+(.*))?$/s;

export function createAuthenticator(config: AuthConfig, options: AuthenticatorOptions = {}): Authenticator {
  const apiKeys = config.apiKeys.length > 0 ? createApiKeyVerifier(config.apiKeys) : null;
  const jwt = config.jwt === null ? null : createJwtVerifier(config.jwt, options);
  if (apiKeys === null && jwt === null) {
    return { enabled: false, authenticate: async () => OPEN_PRINCIPAL };
  }

  return {
    enabled: true,
    async authenticate(authorization) {
      if (authorization !== null && authorization.length > MAX_AUTHORIZATION_LENGTH) {
        throw new AuthenticationError(
          `invalid credential: longer than ${MAX_AUTHORIZATION_LENGTH} characters`,
        );
      }
      const match = CREDENTIALS.exec(authorization?.trim() ?? '');
      if (match === null) throw new AuthenticationError(MISSING);
      if (match[1]?.toLowerCase() !== 'bearer') {
        throw new AuthenticationError(`unsupported authorization scheme: ${HOW_TO}`);
      }
      const token = match[2]?.trim() ?? '';
      if (token === '') throw new AuthenticationError(MISSING);

      // With JWT configured, anything shaped like a JWT is one: an API key never has that shape in practice,
      // and trying both would report the wrong reason for a bad token.
      if (jwt !== null && JWT_SHAPE.test(token)) return jwt.verify(token);
      if (apiKeys !== null) {
        const principal = apiKeys.verify(token);
        if (principal === null) throw new AuthenticationError('invalid API key');
        return principal;
      }
      throw new AuthenticationError('invalid token: malformed');
    },
  };
}
