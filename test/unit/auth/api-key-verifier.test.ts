import { describe, expect, it } from 'vitest';
import { createApiKeyVerifier } from '../../../src/auth/api-key-verifier.js';
import { loadConfig } from '../../../src/config/config.js';

const GRAFANA_KEY = 'grafana-key-0123456789abcdef';
const OPS_KEY = 'ops-key-0123456789abcdef-0000';

// Entries as an operator writes them, hashed by the real config loader, so the two hashes cannot drift apart.
const { apiKeys } = loadConfig({
  AUTH_API_KEYS: JSON.stringify([
    { name: 'grafana', key: GRAFANA_KEY, appIds: ['app-a', 'app-b'] },
    { name: 'ops', key: OPS_KEY, appIds: ['*'] },
  ]),
}).auth;

describe('createApiKeyVerifier', () => {
  const verifier = createApiKeyVerifier(apiKeys);

  it('finds the entry of a configured key, with only that entry’s AppIds', () => {
    const principal = verifier.verify(GRAFANA_KEY);
    expect(principal?.name).toBe('grafana');
    expect(principal?.kind).toBe('api-key');
    expect(principal?.canRead('app-a')).toBe(true);
    expect(principal?.canRead('app-b')).toBe(true);
    expect(principal?.canRead('app-c')).toBe(false);
  });

  it('gives a * entry every AppId', () => {
    expect(verifier.verify(OPS_KEY)?.canRead('app-z')).toBe(true);
  });

  it('returns null for an unknown key, a near miss, and the stored hash itself', () => {
    expect(verifier.verify('not-a-key-0123456789abcdef')).toBeNull();
    expect(verifier.verify(`${GRAFANA_KEY} `)).toBeNull();
    expect(verifier.verify(GRAFANA_KEY.toUpperCase())).toBeNull();
    expect(verifier.verify(apiKeys[0]?.keySha256 ?? '')).toBeNull();
  });

  it('accepts a key configured only by its keySha256', () => {
    const fromHash = createApiKeyVerifier(
      loadConfig({
        AUTH_API_KEYS: JSON.stringify([
          { name: 'hashed', keySha256: apiKeys[0]?.keySha256.toUpperCase(), appIds: ['app-a'] },
        ]),
      }).auth.apiKeys,
    );
    expect(fromHash.verify(GRAFANA_KEY)?.name).toBe('hashed');
  });
});
