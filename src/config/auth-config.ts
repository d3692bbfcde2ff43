/**
 * The client-authentication part of the configuration: API keys (inline or from a file) and JWT verification.
 * Read by src/config.ts, with the same reader and rules: every problem named, no secret ever quoted.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { EnvReader } from './env-reader.js';

/** One API key's entry. The key itself is kept only as its SHA-256, so a heap dump does not hold it. */
export interface ApiKeyEntry {
  /** Who the key belongs to, for logs and metrics (never the key). */
  readonly name: string;
  readonly keySha256: string;
  /** The AppIds the key may read; `*` means every AppId. */
  readonly appIds: readonly string[];
}

export interface JwtConfig {
  /** HS256 shared secret; exactly one of `secret` and `jwksUrl` is set. */
  readonly secret: string | null;
  /** Where the issuer's public keys are published (RS256, ES256, EdDSA, ...). */
  readonly jwksUrl: string | null;
  readonly issuer: string | null;
  readonly audience: string | null;
  /** The claim that lists the AppIds the token may read (an array of strings; `*` means every AppId). */
  readonly appIdsClaim: string;
}

export interface AuthConfig {
  /** Empty with `jwt` null: no authentication, the gateway is open (for local use; it warns at start). */
  readonly apiKeys: readonly ApiKeyEntry[];
  readonly jwt: JwtConfig | null;
}

/** Reads AUTH_API_KEYS or AUTH_API_KEYS_FILE, and the AUTH_JWT_* / AUTH_JWKS_URL variables. */
export function readAuthConfig(read: EnvReader): AuthConfig {
  return { apiKeys: apiKeys(read), jwt: jwt(read) };
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * API keys come from `AUTH_API_KEYS` (JSON) or the file `AUTH_API_KEYS_FILE` (the same JSON), an array of
 * `{ "name": "grafana", "key": "...", "appIds": ["app1"] }`; `keySha256` (hex) may stand in for `key` so the
 * file need not hold the key itself. Messages name the entry, never its key.
 */
function apiKeys(read: EnvReader): ApiKeyEntry[] {
  const inline = read.optional('AUTH_API_KEYS');
  const file = read.optional('AUTH_API_KEYS_FILE');
  if (inline !== undefined && file !== undefined) {
    read.problems.push('AUTH_API_KEYS and AUTH_API_KEYS_FILE are both set; use one of them');
    return [];
  }
  const variable = file !== undefined ? 'AUTH_API_KEYS_FILE' : 'AUTH_API_KEYS';
  let text = inline;
  if (file !== undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      read.problems.push(`AUTH_API_KEYS_FILE could not be read (${reason}): ${file}`);
      return [];
    }
  }
  if (text === undefined) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never quote the text: it holds keys.
    read.problems.push(`${variable} must be JSON: an array of { name, key or keySha256, appIds }`);
    return [];
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    read.problems.push(`${variable} must be a non-empty JSON array of { name, key or keySha256, appIds }`);
    return [];
  }
  const entries: ApiKeyEntry[] = [];
  const seen = new Set<string>();
  parsed.forEach((item: unknown, index) => {
    const entry = (item ?? {}) as Record<string, unknown>;
    const name = typeof entry.name === 'string' && entry.name.trim() !== '' ? entry.name.trim() : null;
    const label = `${variable} entry ${index}${name ? ` (${name})` : ''}`;
    const keySha256 =
      typeof entry.key === 'string' && entry.key.length >= 16
        ? sha256(entry.key)
        : typeof entry.keySha256 === 'string' && SHA256_HEX.test(entry.keySha256.toLowerCase())
          ? entry.keySha256.toLowerCase()
          : null;
    const appIds = Array.isArray(entry.appIds)
      ? entry.appIds.filter((appId): appId is string => typeof appId === 'string' && appId !== '')
      : [];
    if (name === null) read.problems.push(`${label} needs a "name"`);
    if (keySha256 === null)
      read.problems.push(`${label} needs a "key" of at least 16 characters or a hex "keySha256"`);
    if (appIds.length === 0 || appIds.length !== (entry.appIds as unknown[]).length)
      read.problems.push(`${label} needs "appIds": a non-empty array of AppIds (or ["*"])`);
    if (keySha256 !== null && seen.has(keySha256)) read.problems.push(`${label} repeats another entry's key`);
    if (name === null || keySha256 === null) return;
    seen.add(keySha256);
    entries.push({ name, keySha256, appIds });
  });
  return entries;
}

function jwt(read: EnvReader): JwtConfig | null {
  const secret = read.optional('AUTH_JWT_SECRET') ?? null;
  const jwksRaw = read.optional('AUTH_JWKS_URL');
  const issuer = read.optional('AUTH_JWT_ISSUER') ?? null;
  const audience = read.optional('AUTH_JWT_AUDIENCE') ?? null;
  const appIdsClaim = read.string('AUTH_JWT_APPIDS_CLAIM', 'appIds');
  if (secret === null && jwksRaw === undefined) {
    if (issuer !== null || audience !== null)
      read.problems.push('AUTH_JWT_ISSUER/AUTH_JWT_AUDIENCE need AUTH_JWT_SECRET or AUTH_JWKS_URL');
    return null;
  }
  if (secret !== null && jwksRaw !== undefined) {
    read.problems.push('AUTH_JWT_SECRET and AUTH_JWKS_URL are both set; use one of them');
  }
  // HS256 with a short secret can be brute-forced offline from any token a client holds (RFC 7518 3.2).
  if (secret !== null && Buffer.byteLength(secret) < 32) {
    read.problems.push('AUTH_JWT_SECRET must be at least 32 bytes');
  }
  let jwksUrl: string | null = null;
  if (jwksRaw !== undefined) {
    try {
      const url = new URL(jwksRaw);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http(s)');
      jwksUrl = url.href;
    } catch {
      read.problems.push(`AUTH_JWKS_URL must be an http(s) URL, got "${jwksRaw}"`);
    }
  }
  return { secret, jwksUrl, issuer, audience, appIdsClaim };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
