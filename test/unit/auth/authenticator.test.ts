import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../../../src/auth/authenticator.js';
import { OPEN_PRINCIPAL } from '../../../src/auth/principal.js';
import { loadConfig } from '../../../src/config/config.js';
import { rejection } from '../../helpers/rejection.js';

const GRAFANA_KEY = 'grafana-key-0123456789abcdef';
const OPS_KEY = 'ops-key-0123456789abcdef-0000';
const SECRET = 'hs256-shared-secret-of-at-least-32-bytes!';
const API_KEYS = JSON.stringify([
  { name: 'grafana', key: GRAFANA_KEY, appIds: ['app-a'] },
  { name: 'ops', key: OPS_KEY, appIds: ['*'] },
]);

// Configured through the real loader, as an operator would.
const apiKeysOnly = createAuthenticator(loadConfig({ AUTH_API_KEYS: API_KEYS }).auth);
const jwtOnly = createAuthenticator(loadConfig({ AUTH_JWT_SECRET: SECRET }).auth);
const both = createAuthenticator(loadConfig({ AUTH_API_KEYS: API_KEYS, AUTH_JWT_SECRET: SECRET }).auth);

function token(appIds: string[], secret = SECRET): Promise<string> {
  return new SignJWT({ appIds })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('dashboard')
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
}

const MISSING = 'missing credential: send Authorization: Bearer <API key or JWT>';

describe('createAuthenticator without credentials configured', () => {
  const open = createAuthenticator(loadConfig({}).auth);

  it('is disabled and lets every request in as the open principal, whatever it sends', async () => {
    expect(open.enabled).toBe(false);
    await expect(open.authenticate(null)).resolves.toBe(OPEN_PRINCIPAL);
    await expect(open.authenticate('Basic dXNlcjpwYXNz')).resolves.toBe(OPEN_PRINCIPAL);
  });
});

describe('createAuthenticator with API keys', () => {
  it('is enabled', () => {
    expect(apiKeysOnly.enabled).toBe(true);
  });

  it('authenticates a key as its principal, reading only its AppIds', async () => {
    const principal = await apiKeysOnly.authenticate(`Bearer ${GRAFANA_KEY}`);
    expect(principal.name).toBe('grafana');
    expect(principal.kind).toBe('api-key');
    expect(principal.canRead('app-a')).toBe(true);
    expect(principal.canRead('app-b')).toBe(false);
    expect((await apiKeysOnly.authenticate(`Bearer ${OPS_KEY}`)).canRead('app-b')).toBe(true);
  });

  it('takes the scheme case-insensitively and ignores surrounding whitespace', async () => {
    for (const header of [`bearer ${GRAFANA_KEY}`, `BEARER ${GRAFANA_KEY}`, `  Bearer   ${GRAFANA_KEY}  `]) {
      expect((await apiKeysOnly.authenticate(header)).name).toBe('grafana');
    }
  });

  it.each<[string, string | null, string]>([
    ['no header', null, MISSING],
    ['an empty header', '', MISSING],
    ['Bearer without a token', 'Bearer', MISSING],
    ['Bearer with only spaces', 'Bearer    ', MISSING],
    [
      'another scheme',
      `Basic ${GRAFANA_KEY}`,
      'unsupported authorization scheme: send Authorization: Bearer <API key or JWT>',
    ],
    [
      'the key without a scheme',
      GRAFANA_KEY,
      'unsupported authorization scheme: send Authorization: Bearer <API key or JWT>',
    ],
    ['a wrong key', 'Bearer wrong-key-0123456789abcdef', 'invalid API key'],
    ['a JWT when only API keys are configured', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln', 'invalid API key'],
  ])('rejects %s with UNAUTHENTICATED', async (_case, header, message) => {
    const error = await rejection(apiKeysOnly.authenticate(header));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe(message);
    for (const secret of [GRAFANA_KEY, 'wrong-key-0123456789abcdef'])
      expect(error.message).not.toContain(secret);
  });

  it('refuses an oversized header before looking at it', async () => {
    const error = await rejection(apiKeysOnly.authenticate(`Bearer ${'k'.repeat(9000)}`));
    expect(error.message).toBe('invalid credential: longer than 8192 characters');
  });
});

describe('createAuthenticator with JWT', () => {
  it('authenticates a valid token', async () => {
    const principal = await jwtOnly.authenticate(`Bearer ${await token(['app-b'])}`);
    expect(principal.name).toBe('jwt:dashboard');
    expect(principal.canRead('app-b')).toBe(true);
    expect(principal.canRead('app-a')).toBe(false);
  });

  it('rejects a token signed with another secret without echoing token or secret', async () => {
    const forged = await token(['*'], 'attacker-secret-of-at-least-32-bytes!!');
    const error = await rejection(jwtOnly.authenticate(`Bearer ${forged}`));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('invalid token: bad signature');
    for (const secret of [forged, SECRET, 'attacker-secret', ...forged.split('.')]) {
      expect(error.message).not.toContain(secret);
    }
  });

  it('calls a credential that is not a JWT malformed when no API keys are configured', async () => {
    const error = await rejection(jwtOnly.authenticate(`Bearer ${GRAFANA_KEY}`));
    expect(error.message).toBe('invalid token: malformed');
  });
});

describe('createAuthenticator with API keys and JWT at once', () => {
  it('accepts both kinds of credential', async () => {
    expect((await both.authenticate(`Bearer ${GRAFANA_KEY}`)).kind).toBe('api-key');
    expect((await both.authenticate(`Bearer ${await token(['app-a'])}`)).kind).toBe('jwt');
  });

  it('judges a JWT-shaped credential as a JWT and anything else as an API key', async () => {
    const expired = await new SignJWT({ appIds: ['app-a'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('dashboard')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(SECRET));
    expect((await rejection(both.authenticate(`Bearer ${expired}`))).message).toBe('invalid token: expired');
    expect((await rejection(both.authenticate('Bearer not-a-key-0123456789'))).message).toBe(
      'invalid API key',
    );
  });
});
