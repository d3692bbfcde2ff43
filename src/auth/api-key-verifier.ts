/**
 * API key lookup. Keys are configured (and kept) only as SHA-256 hashes; a presented key is hashed first and
 * the hash looked up in a Map. Comparing hashes rather than keys makes the lookup's timing independent of how
 * many leading characters of a real key a guess shares, so timing cannot be used to guess a key piecewise.
 */
import { createHash } from 'node:crypto';
import type { ApiKeyEntry } from '../config/auth-config.js';
import { createPrincipal, type Principal } from './principal.js';

export interface ApiKeyVerifier {
  /** The principal of the entry whose key is `key`, or null when no entry has it. */
  verify(key: string): Principal | null;
}

export function createApiKeyVerifier(entries: readonly ApiKeyEntry[]): ApiKeyVerifier {
  // Principals are immutable, so one per entry is made here and shared by all of its requests.
  const byHash = new Map<string, Principal>(
    entries.map((entry) => [entry.keySha256, createPrincipal(entry.name, 'api-key', entry.appIds)]),
  );
  return {
    verify: (key) => byHash.get(createHash('sha256').update(key, 'utf8').digest('hex')) ?? null,
  };
}
