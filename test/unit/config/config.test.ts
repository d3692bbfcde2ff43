import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

describe('loadConfig', () => {
  it('defaults to the simulator on 127.0.0.1:4000 with GraphiQL on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      graphiql: true,
      upstream: {
        credentials: null,
        endpoint: 'https://rtc.volcengineapi.com',
        region: 'cn-north-1',
      },
      rateLimit: { requestsPerSecond: 10 },
    });
    expect(Object.isFrozen(config.upstream.timeouts)).toBe(true);
  });

  it('bounds each upstream attempt as a whole: 15 s unless UPSTREAM_ATTEMPT_TIMEOUT_MS says otherwise', () => {
    expect(loadConfig({}).upstream.timeouts).toEqual({
      connectMs: 5_000,
      headersMs: 10_000,
      bodyMs: 30_000,
      attemptMs: 15_000,
    });
    expect(loadConfig({ UPSTREAM_ATTEMPT_TIMEOUT_MS: '1500' }).upstream.timeouts.attemptMs).toBe(1_500);
    expect(() => loadConfig({ UPSTREAM_ATTEMPT_TIMEOUT_MS: '50' })).toThrow(/UPSTREAM_ATTEMPT_TIMEOUT_MS/);
  });

  it('serves the dashboard at / unless DASHBOARD=false', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).dashboard).toBe(true);
    expect(loadConfig({ DASHBOARD: 'false' }).dashboard).toBe(false);
    expect(() => loadConfig({ DASHBOARD: 'maybe' })).toThrow(/DASHBOARD/);
  });

  it('keeps GraphiQL on in production and turns it off only when asked', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).graphiql).toBe(true);
    expect(loadConfig({ GRAPHIQL: 'false' }).graphiql).toBe(false);
  });

  it('uses the remote upstream when a key pair is given', () => {
    const config = loadConfig({
      VOLC_ACCESSKEY: 'AK',
      VOLC_SECRETKEY: 'SK',
      VOLC_SESSION_TOKEN: 'TOKEN',
      VOLC_ENDPOINT: 'http://127.0.0.1:9999/',
    });
    expect(config.upstream).toMatchObject({
      endpoint: 'http://127.0.0.1:9999',
      credentials: { accessKeyId: 'AK', secretAccessKey: 'SK', sessionToken: 'TOKEN' },
    });
  });

  it('reports every invalid variable at once, by name, without echoing secrets', () => {
    let caught: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        GRAPHIQL: 'maybe',
        VOLC_SECRETKEY: 'TOP-SECRET',
        RATE_LIMIT_RPS: '0',
        VOLC_ENDPOINT: 'ftp://x',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'GRAPHIQL', 'VOLC_ACCESSKEY', 'RATE_LIMIT_RPS', 'VOLC_ENDPOINT']) {
      expect(problems).toContain(name);
    }
    expect((caught as ConfigError).problems).toHaveLength(5);
    expect(problems).not.toContain('TOP-SECRET');
  });

  it('turns Redis on with REDIS_URL and never echoes a bad one (it may hold a password)', () => {
    expect(loadConfig({}).redis).toEqual({ url: null, prefix: 'callq:', timeoutMs: 250 });
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6380', REDIS_PREFIX: 'a:' }).redis).toMatchObject({
      url: 'redis://127.0.0.1:6380',
      prefix: 'a:',
    });
    let caught: unknown;
    try {
      loadConfig({ REDIS_URL: 'http://user:hunter2@example' });
    } catch (error) {
      caught = error;
    }
    expect((caught as ConfigError).problems).toEqual(['REDIS_URL must be a redis:// or rediss:// URL']);
  });

  it('archives into ./data with real credentials, nothing on the simulator, and never echoes a bad ARCHIVE_URL', () => {
    const real = { VOLC_ACCESSKEY: 'AK', VOLC_SECRETKEY: 'SK' };
    expect(loadConfig(real).archive.target).toEqual({ kind: 'sqlite', path: 'data/callq-archive.sqlite' });
    expect(loadConfig({}).archive.target).toBeNull();
    expect(loadConfig({ ...real, ARCHIVE_URL: 'off' }).archive.target).toBeNull();
    expect(loadConfig({ ARCHIVE_URL: 'postgres://u:p@db/callq' }).archive.target).toEqual({
      kind: 'postgres',
      url: 'postgres://u:p@db/callq',
    });
    expect(loadConfig({ ARCHIVE_RECORD: 'a/r/u1, a/r/u2' }).archive.record).toEqual([
      { appId: 'a', roomId: 'r', userId: 'u1' },
      { appId: 'a', roomId: 'r', userId: 'u2' },
    ]);
    let caught: unknown;
    try {
      loadConfig({ ARCHIVE_URL: 'mysql://u:hunter2@db', ARCHIVE_RECORD: 'a/r' });
    } catch (error) {
      caught = error;
    }
    expect((caught as ConfigError).problems).toEqual([
      'ARCHIVE_URL must be off, sqlite:<file path> or a postgres:// URL',
      'ARCHIVE_RECORD must be a comma-separated list of app/room/user, got "a/r"',
    ]);
  });

  it('requires a slot size that divides the hour', () => {
    expect(() => loadConfig({ CACHE_SLOT_SECONDS: '420' })).toThrow(/CACHE_SLOT_SECONDS must divide 3600/);
    expect(loadConfig({ CACHE_SLOT_SECONDS: '600' }).cache.slotMs).toBe(600_000);
  });

  describe('hardening', () => {
    const problemsOf = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
      } catch (error) {
        return [...(error as ConfigError).problems];
      }
      return [];
    };

    it('defaults to an open gateway with limits no dashboard query hits', () => {
      const config = loadConfig({});
      expect(config.auth).toEqual({ apiKeys: [], jwt: null });
      expect(config.limits).toEqual({
        maxUpstreamCalls: 144,
        maxUserEntries: 2_000,
        maxPoints: 500_000,
        maxAliases: 250,
        maxDepth: 12,
        maxTokens: 20_000,
        maxArchivedSlots: 50_000,
        maxBodyBytes: 262_144,
      });
      expect(config.http).toEqual({
        corsOrigins: [],
        allowLocalOrigins: true,
        introspection: true,
        metrics: true,
        shutdownGraceMs: 10_000,
        compression: { minBytes: 1024 },
        trustedDocuments: null,
        cacheMaxAgeSeconds: 86_400,
      });
      expect(config.breaker).toEqual({ failureThreshold: 5, openMs: 30_000 });
      expect(config.logLevel).toBe('info');
    });

    it('compresses answers from 1 KiB unless COMPRESSION=false', () => {
      expect(loadConfig({ COMPRESSION_MIN_BYTES: '0' }).http.compression).toEqual({ minBytes: 0 });
      expect(loadConfig({ COMPRESSION: 'false', COMPRESSION_MIN_BYTES: '10' }).http.compression).toBeNull();
      expect(problemsOf({ COMPRESSION_MIN_BYTES: '-1' })).toEqual([
        'COMPRESSION_MIN_BYTES must be a whole number from 0 to 1073741824, got "-1"',
      ]);
    });

    it('keeps API keys only as hashes, and reads them from a file as well', () => {
      const keys = [{ name: 'grafana', key: 'k-0123456789abcdef', appIds: ['app1', 'app2'] }];
      const inline = loadConfig({ AUTH_API_KEYS: JSON.stringify(keys) }).auth.apiKeys;
      expect(inline).toEqual([
        {
          name: 'grafana',
          keySha256: createHash('sha256').update('k-0123456789abcdef').digest('hex'),
          appIds: ['app1', 'app2'],
        },
      ]);
      expect(JSON.stringify(inline)).not.toContain('k-0123456789abcdef');
      const dir = mkdtempSync(join(tmpdir(), 'callq-keys-'));
      const file = join(dir, 'keys.json');
      writeFileSync(file, JSON.stringify([{ name: 'ops', keySha256: 'A'.repeat(64), appIds: ['*'] }]));
      expect(loadConfig({ AUTH_API_KEYS_FILE: file }).auth.apiKeys).toEqual([
        { name: 'ops', keySha256: 'a'.repeat(64), appIds: ['*'] },
      ]);
      rmSync(dir, { recursive: true });
    });

    it('names each bad API key entry without quoting any key', () => {
      const problems = problemsOf({
        AUTH_API_KEYS: JSON.stringify([
          { name: 'short', key: 'tooshort-secret', appIds: ['a'] },
          { name: 'noapps', key: 'k-0123456789abcdef', appIds: [] },
          { key: 'k-fedcba9876543210', appIds: ['a'] },
        ]),
      });
      expect(problems).toHaveLength(3);
      expect(problems.join('\n')).toMatch(/entry 0 \(short\).*key/);
      expect(problems.join('\n')).toMatch(/entry 1 \(noapps\).*appIds/);
      expect(problems.join('\n')).toMatch(/entry 2 needs a "name"/);
      expect(problems.join('\n')).not.toMatch(/tooshort-secret|k-0123456789abcdef|k-fedcba9876543210/);
      expect(problemsOf({ AUTH_API_KEYS: '{not json k-0123456789abcdef' })).toEqual([
        'AUTH_API_KEYS must be JSON: an array of { name, key or keySha256, appIds }',
      ]);
      expect(problemsOf({ AUTH_API_KEYS_FILE: '/nonexistent/keys.json' })).toEqual([
        'AUTH_API_KEYS_FILE could not be read (ENOENT): /nonexistent/keys.json',
      ]);
    });

    it('verifies JWTs by a long enough shared secret or a JWKS URL, not both', () => {
      const secret = 's'.repeat(32);
      expect(loadConfig({ AUTH_JWT_SECRET: secret, AUTH_JWT_ISSUER: 'https://idp' }).auth.jwt).toEqual({
        secret,
        jwksUrl: null,
        issuer: 'https://idp',
        audience: null,
        appIdsClaim: 'appIds',
      });
      expect(loadConfig({ AUTH_JWKS_URL: 'https://idp/jwks.json' }).auth.jwt?.jwksUrl).toBe(
        'https://idp/jwks.json',
      );
      expect(problemsOf({ AUTH_JWT_SECRET: 'short-secret-value' })).toEqual([
        'AUTH_JWT_SECRET must be at least 32 bytes',
      ]);
      expect(problemsOf({ AUTH_JWT_SECRET: secret, AUTH_JWKS_URL: 'https://idp/jwks.json' })).toEqual([
        'AUTH_JWT_SECRET and AUTH_JWKS_URL are both set; use one of them',
      ]);
      expect(problemsOf({ AUTH_JWT_AUDIENCE: 'callq' })).toHaveLength(1);
    });

    it('takes a CORS allow-list of origins and refuses anything else', () => {
      expect(
        loadConfig({ CORS_ORIGINS: 'https://a.example, http://localhost:3000' }).http.corsOrigins,
      ).toEqual(['https://a.example', 'http://localhost:3000']);
      expect(problemsOf({ CORS_ORIGINS: 'https://a.example/path,*' })).toHaveLength(2);
    });

    it('lets local dev servers call the simulator by default, and never a credentialed gateway', () => {
      const keys = { VOLC_ACCESSKEY: 'AK', VOLC_SECRETKEY: 'SK' };
      expect(loadConfig({}).http.allowLocalOrigins).toBe(true);
      expect(loadConfig(keys).http.allowLocalOrigins).toBe(false);
      // A list is exact: whoever sets one decides which local origins are in it.
      expect(loadConfig({ CORS_ORIGINS: 'https://a.example' }).http.allowLocalOrigins).toBe(false);
    });

    it('validates the log level and the limits by name', () => {
      expect(loadConfig({ LOG_LEVEL: 'WARN' }).logLevel).toBe('warn');
      expect(problemsOf({ LOG_LEVEL: 'loud', LIMIT_MAX_UPSTREAM_CALLS: '0', BREAKER_OPEN_MS: '5' })).toEqual([
        'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
        'LIMIT_MAX_UPSTREAM_CALLS must be a whole number from 1 to 100000, got "0"',
        'BREAKER_OPEN_MS must be a whole number from 100 to 3600000, got "5"',
      ]);
    });
  });
});
