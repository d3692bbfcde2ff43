import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createJwtVerifier, type JwtVerifierOptions } from '../../../src/auth/jwt-verifier.js';
import type { JwtConfig } from '../../../src/config/auth-config.js';
import { rejection } from '../../helpers/rejection.js';

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly jwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

function sign(key: SigningKey, appIds: string[] = ['app-a']): Promise<string> {
  return new SignJWT({ appIds })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setSubject('grafana')
    .setExpirationTime('5m')
    .sign(key.privateKey);
}

/** A real loopback issuer: serves whatever `keys` holds at the moment, or misbehaves as `answer` says. */
interface Issuer {
  readonly url: string;
  keys: JWK[];
  answer: 'keys' | 'hang' | 'not-found' | 'not-a-key-set';
  fetches: number;
}

const servers: Server[] = [];

async function startIssuer(keys: JWK[]): Promise<Issuer> {
  const server = createServer((_request, response) => {
    issuer.fetches += 1;
    if (issuer.answer === 'hang') return;
    if (issuer.answer === 'not-found') {
      response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
      return;
    }
    const body = issuer.answer === 'not-a-key-set' ? { error: 'maintenance' } : { keys: issuer.keys };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const issuer: Issuer = {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    keys,
    answer: 'keys',
    fetches: 0,
  };
  return issuer;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    // A hanging response would otherwise keep close() waiting for its socket.
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  }
});

function verifierFor(url: string, options: JwtVerifierOptions = {}) {
  const config: JwtConfig = {
    secret: null,
    jwksUrl: url,
    issuer: null,
    audience: null,
    appIdsClaim: 'appIds',
  };
  return createJwtVerifier(config, options);
}

describe('createJwtVerifier with a JWKS URL', () => {
  it('verifies tokens of a published key, fetching the key set once for concurrent tokens', async () => {
    const key = await signingKey('k1');
    const issuer = await startIssuer([key.jwk]);
    const verifier = verifierFor(issuer.url);
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => sign(key, ['app-a', 'app-b'])));
    const principals = await Promise.all(tokens.map((token) => verifier.verify(token)));
    expect(principals.map((principal) => principal.name)).toEqual(Array(5).fill('jwt:grafana'));
    expect(principals[0]?.canRead('app-b')).toBe(true);
    expect(principals[0]?.canRead('app-c')).toBe(false);
    expect(issuer.fetches).toBe(1);
  });

  it('picks up a rotated key: an unknown kid refetches the key set once the cooldown passed', async () => {
    const [oldKey, newKey] = await Promise.all([signingKey('2024'), signingKey('2025')]);
    const issuer = await startIssuer([oldKey.jwk]);
    const verifier = verifierFor(issuer.url, { jwksCooldownMs: 0 });
    await verifier.verify(await sign(oldKey));
    expect(issuer.fetches).toBe(1);

    issuer.keys = [newKey.jwk];
    expect((await verifier.verify(await sign(newKey))).name).toBe('jwt:grafana');
    expect(issuer.fetches).toBe(2);

    // The retired key is no longer trusted once the issuer stops publishing it.
    const error = await rejection(verifier.verify(await sign(oldKey)));
    expect(error.message).toBe('invalid token: unknown signing key');
    expect(issuer.fetches).toBe(3);
  });

  it('does not refetch for unknown kids in the cooldown: made-up kids cannot flood the issuer', async () => {
    const [key, stranger] = await Promise.all([signingKey('k1'), signingKey('made-up')]);
    const issuer = await startIssuer([key.jwk]);
    const verifier = verifierFor(issuer.url);
    await verifier.verify(await sign(key));
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const error = await rejection(verifier.verify(await sign(stranger)));
      expect(error.message).toBe('invalid token: unknown signing key');
    }
    expect(issuer.fetches).toBe(1);
  });

  it('rejects a token signed with the right kid but another private key', async () => {
    const [key, impostor] = await Promise.all([signingKey('k1'), signingKey('k1')]);
    const issuer = await startIssuer([key.jwk]);
    const error = await rejection(verifierFor(issuer.url).verify(await sign(impostor)));
    expect(error.message).toBe('invalid token: bad signature');
  });

  it('rejects an HS256 token signed with the public key material, without fetching any key', async () => {
    const key = await signingKey('k1');
    const issuer = await startIssuer([key.jwk]);
    const token = await new SignJWT({ appIds: ['*'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setSubject('mallory')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JSON.stringify(key.jwk)));
    const error = await rejection(verifierFor(issuer.url).verify(token));
    expect(error.message).toBe('invalid token: algorithm not allowed');
    expect(issuer.fetches).toBe(0);
  });

  it('fails with UNAUTHENTICATED within the timeout when the issuer never answers', async () => {
    const key = await signingKey('k1');
    const issuer = await startIssuer([key.jwk]);
    issuer.answer = 'hang';
    const verifier = verifierFor(issuer.url, { jwksTimeoutMs: 300 });
    const token = await sign(key);
    const started = performance.now();
    const error = await rejection(verifier.verify(token));
    // 8x the timeout, for a noisy machine, yet below our 3 s default and jose's 5 s: the option counts.
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(error.code).toBe('UNAUTHENTICATED');
    expect(error.message).toBe('invalid token: signing keys unavailable');
    expect(error.message).not.toContain(token);
    expect(issuer.fetches).toBe(1);
  });

  it('fails with UNAUTHENTICATED when nothing listens at the JWKS URL', async () => {
    const key = await signingKey('k1');
    const issuer = await startIssuer([key.jwk]);
    const server = servers.pop();
    server?.close();
    if (server) await once(server, 'close');
    const error = await rejection(verifierFor(issuer.url).verify(await sign(key)));
    expect(error.message).toBe('invalid token: signing keys unavailable');
  });

  it.each(['not-found', 'not-a-key-set'] as const)(
    'fails with UNAUTHENTICATED when the JWKS URL answers %s',
    async (answer) => {
      const key = await signingKey('k1');
      const issuer = await startIssuer([key.jwk]);
      issuer.answer = answer;
      const error = await rejection(verifierFor(issuer.url).verify(await sign(key)));
      expect(error.message).toBe('invalid token: signing keys unavailable');
      expect(issuer.fetches).toBe(1);
    },
  );
});
