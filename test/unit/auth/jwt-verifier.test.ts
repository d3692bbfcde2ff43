import { base64url, type JWTPayload, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createJwtVerifier } from '../../../src/auth/jwt-verifier.js';
import type { JwtConfig } from '../../../src/config/auth-config.js';
import type { AuthenticationError } from '../../../src/errors/authentication-error.js';
import { rejection } from '../../helpers/rejection.js';

const SECRET = 'hs256-shared-secret-of-at-least-32-bytes!';
const OTHER_SECRET = 'another-secret-of-at-least-32-bytes-long!';
const CONFIG: JwtConfig = {
  secret: SECRET,
  jwksUrl: null,
  issuer: 'https://idp.example',
  audience: 'callq',
  appIdsClaim: 'appIds',
};
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token with valid defaults; `claims` overrides them, an `undefined` value drops the claim. */
function sign(claims: JWTPayload = {}, secret = SECRET): Promise<string> {
  const payload: JWTPayload = {
    sub: 'grafana',
    iss: 'https://idp.example',
    aud: 'callq',
    exp: nowSeconds() + 300,
    appIds: ['app-a'],
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));
}

/** The message (and the cause's, which reaches logs) quotes neither the token nor any secret, nor a stack. */
function expectSafe(error: AuthenticationError, token: string): void {
  const [header = '', payload = '', signature = ''] = token.split('.');
  const cause = error.cause instanceof Error ? error.cause.message : '';
  for (const text of [error.message, cause]) {
    for (const secret of [SECRET, OTHER_SECRET, header, payload, signature].filter((part) => part !== '')) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/\n\s+at /);
  }
}

describe('createJwtVerifier with an HS256 secret', () => {
  const verifier = createJwtVerifier(CONFIG);

  it('turns a valid token into a jwt principal reading only the claimed AppIds', async () => {
    const principal = await verifier.verify(await sign({ appIds: ['app-a', 'app-b'] }));
    expect(principal.name).toBe('jwt:grafana');
    expect(principal.kind).toBe('jwt');
    expect(principal.canRead('app-a')).toBe(true);
    expect(principal.canRead('app-b')).toBe(true);
    expect(principal.canRead('app-c')).toBe(false);
  });

  it('reads every AppId with *', async () => {
    expect((await verifier.verify(await sign({ appIds: ['*'] }))).canRead('app-z')).toBe(true);
  });

  it('tolerates an issuer clock a little ahead (nbf in 2 s) but not a token from the future', async () => {
    await expect(verifier.verify(await sign({ nbf: nowSeconds() + 2 }))).resolves.toMatchObject({
      name: 'jwt:grafana',
    });
    const token = await sign({ nbf: nowSeconds() + 120 });
    const error = await rejection(verifier.verify(token));
    expect(error.message).toBe('invalid token: not yet valid');
    expectSafe(error, token);
  });

  it.each<[string, () => Promise<string>, string]>([
    ['expired', () => sign({ exp: nowSeconds() - 60 }), 'invalid token: expired'],
    ['signed with another secret', () => sign({}, OTHER_SECRET), 'invalid token: bad signature'],
    ['from another issuer', () => sign({ iss: 'https://evil.example' }), 'invalid token: wrong issuer'],
    ['for another audience', () => sign({ aud: 'other-service' }), 'invalid token: wrong audience'],
    ['without an issuer', () => sign({ iss: undefined }), 'invalid token: missing claim iss'],
    ['without exp', () => sign({ exp: undefined }), 'invalid token: missing claim exp'],
    ['without sub', () => sign({ sub: undefined }), 'invalid token: missing claim sub'],
    ['with an empty sub', () => sign({ sub: '' }), 'invalid token: claim sub must be a non-empty string'],
    [
      'without the AppIds claim',
      () => sign({ appIds: undefined }),
      'invalid token: claim appIds must list AppIds',
    ],
    [
      'with a string AppIds claim',
      () => sign({ appIds: 'app-a' }),
      'invalid token: claim appIds must list AppIds',
    ],
    [
      'with an empty AppIds claim',
      () => sign({ appIds: [] }),
      'invalid token: claim appIds must list AppIds',
    ],
    [
      'with a non-string AppId',
      () => sign({ appIds: ['app-a', 7] }),
      'invalid token: claim appIds must list AppIds',
    ],
    [
      'with an empty AppId',
      () => sign({ appIds: ['app-a', ''] }),
      'invalid token: claim appIds must list AppIds',
    ],
  ])('rejects a token %s', async (_case, makeToken, message) => {
    const token = await makeToken();
    const error = await rejection(verifier.verify(token));
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe(message);
    expectSafe(error, token);
  });

  it('rejects alg none, even with otherwise perfect claims', async () => {
    const token = new UnsecuredJWT({
      sub: 'grafana',
      iss: 'https://idp.example',
      aud: 'callq',
      exp: nowSeconds() + 300,
      appIds: ['*'],
    }).encode();
    const error = await rejection(verifier.verify(token));
    expect(error.message).toBe('invalid token: algorithm not allowed');
    expectSafe(error, token);
  });

  it('rejects a payload altered after signing', async () => {
    const [header, , signature] = (await sign()).split('.');
    const forged = base64url.encode(
      JSON.stringify({
        sub: 'grafana',
        iss: 'https://idp.example',
        aud: 'callq',
        exp: nowSeconds() + 300,
        appIds: ['*'],
      }),
    );
    const token = `${header}.${forged}.${signature}`;
    const error = await rejection(verifier.verify(token));
    expect(error.message).toBe('invalid token: bad signature');
    expectSafe(error, token);
  });

  it('rejects garbage in JWT shape as malformed', async () => {
    const error = await rejection(verifier.verify('abc.def.ghi'));
    expect(error.message).toBe('invalid token: malformed');
  });

  it('reads AppIds from the configured claim, and checks no iss or aud when none is configured', async () => {
    const custom = createJwtVerifier({
      ...CONFIG,
      issuer: null,
      audience: null,
      appIdsClaim: 'https://callq/apps',
    });
    const token = await sign({
      iss: undefined,
      aud: undefined,
      appIds: undefined,
      'https://callq/apps': ['app-b'],
    });
    const principal = await custom.verify(token);
    expect(principal.canRead('app-b')).toBe(true);
    expect(principal.canRead('app-a')).toBe(false);
    const error = await rejection(custom.verify(await sign({ iss: undefined, aud: undefined })));
    expect(error.message).toBe('invalid token: claim https://callq/apps must list AppIds');
  });
});
