/**
 * JWT verification with jose: the signature (HS256 shared secret, or the issuer's public keys from a JWKS
 * URL), `exp`, `nbf`, and the configured issuer and audience; then the AppIds claim becomes a Principal.
 */
import {
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import type { JwtConfig } from '../config/auth-config.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import { createPrincipal, type Principal } from './principal.js';

export interface JwtVerifierOptions {
  /**
   * Bound on one JWKS fetch (jose `timeoutDuration`). The fetch happens on a client's request path (the first
   * token, a cache refresh, an unknown `kid`), so an issuer that does not answer must fail that request with
   * UNAUTHENTICATED quickly instead of holding it (and every request queued behind the same fetch) open.
   * Default 3000 ms: a JWKS is a small static document.
   */
  readonly jwksTimeoutMs?: number;
  /**
   * After a successful fetch, how long a token with an unknown `kid` is rejected without fetching again (jose
   * `cooldownDuration`). Rotation still works (a new key is picked up once the cooldown has passed), but
   * clients sending made-up `kid`s cannot turn the gateway into a flood of requests to the issuer.
   * Default 30000 ms.
   */
  readonly jwksCooldownMs?: number;
}

export interface JwtVerifier {
  /** The principal of a valid token; rejects with AuthenticationError otherwise. */
  verify(token: string): Promise<Principal>;
}

const DEFAULT_JWKS_TIMEOUT_MS = 3_000;
const DEFAULT_JWKS_COOLDOWN_MS = 30_000;
/**
 * Seconds of slack on `exp` and `nbf`: the issuer's clock and ours are never exactly equal, and without it
 * a token minted by an issuer a second ahead would be "not yet valid" here. Small, because it is also how
 * long an expired token stays usable.
 */
const CLOCK_TOLERANCE_SECONDS = 5;
/**
 * Asymmetric algorithms a JWKS may sign with. Pinned, never taken from the token: HS256 would let anyone
 * holding the public key forge tokens (the RS/HS confusion), and `none` is no signature at all.
 */
const JWKS_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

/** Marks failures to obtain the issuer's keys, so they are not reported as a fault of the token. */
class SigningKeysUnavailable extends Error {}

export function createJwtVerifier(config: JwtConfig, options: JwtVerifierOptions = {}): JwtVerifier {
  const { key, algorithms } = verificationKey(config, options);
  const verifyOptions: JWTVerifyOptions = {
    algorithms,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    // A token without `exp` would be valid forever; `sub` names the principal in logs and errors.
    requiredClaims: ['exp', 'sub'],
    ...(config.issuer === null ? {} : { issuer: config.issuer }),
    ...(config.audience === null ? {} : { audience: config.audience }),
  };
  return {
    async verify(token) {
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key, verifyOptions));
      } catch (error) {
        throw new AuthenticationError(`invalid token: ${reason(error)}`, { cause: error });
      }
      if (typeof payload.sub !== 'string' || payload.sub === '') {
        throw new AuthenticationError('invalid token: claim sub must be a non-empty string');
      }
      const appIds = payload[config.appIdsClaim];
      if (!isAppIdList(appIds)) {
        throw new AuthenticationError(`invalid token: claim ${config.appIdsClaim} must list AppIds`);
      }
      return createPrincipal(`jwt:${payload.sub}`, 'jwt', appIds);
    },
  };
}

function verificationKey(
  config: JwtConfig,
  options: JwtVerifierOptions,
): { key: Uint8Array | JWTVerifyGetKey; algorithms: string[] } {
  if (config.secret !== null) {
    return { key: new TextEncoder().encode(config.secret), algorithms: ['HS256'] };
  }
  if (config.jwksUrl === null) throw new TypeError('JwtConfig needs a secret or a jwksUrl');
  // One key set per verifier (per process): jose caches the keys (10 minutes) and shares one in-flight fetch
  // among concurrent requests.
  const keySet = createRemoteJWKSet(new URL(config.jwksUrl), {
    timeoutDuration: options.jwksTimeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
    cooldownDuration: options.jwksCooldownMs ?? DEFAULT_JWKS_COOLDOWN_MS,
  });
  const key: JWTVerifyGetKey = async (header, token) => {
    try {
      return await keySet(header, token);
    } catch (error) {
      // An unknown or ambiguous key is the token's problem; anything else (refused, timed out, not 200, not a
      // key set) is the issuer's, and the client should hear that rather than "bad token".
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
        throw error;
      }
      throw new SigningKeysUnavailable('the JWKS could not be fetched', { cause: error });
    }
  };
  return { key, algorithms: JWKS_ALGORITHMS };
}

/** A short reason class for the client, from jose's error; never jose's message, which may quote values. */
function reason(error: unknown): string {
  if (error instanceof SigningKeysUnavailable) return 'signing keys unavailable';
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `missing claim ${error.claim}`;
    if (error.claim === 'nbf') return 'not yet valid';
    if (error.claim === 'iss') return 'wrong issuer';
    if (error.claim === 'aud') return 'wrong audience';
    return `claim ${error.claim} is invalid`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown signing key';
  if (error instanceof errors.JWKSMultipleMatchingKeys) return 'ambiguous signing key';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'malformed';
  // Fail closed: whatever else jose (or the platform) throws for a token, the request is not authenticated.
  return 'rejected';
}

function isAppIdList(value: unknown): value is string[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((appId) => typeof appId === 'string' && appId !== '')
  );
}
