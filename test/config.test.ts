import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('defaults to the simulator on 127.0.0.1:4000 with GraphiQL on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 4000,
      graphiql: true,
      upstream: {
        mode: 'simulator',
        credentials: null,
        endpoint: 'https://rtc.volcengineapi.com',
        region: 'cn-north-1',
      },
      rateLimit: { requestsPerSecond: 10 },
    });
    expect(Object.isFrozen(config.upstream.timeouts)).toBe(true);
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
      mode: 'remote',
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

  it('requires a slot size that divides the hour', () => {
    expect(() => loadConfig({ CACHE_SLOT_SECONDS: '420' })).toThrow(/CACHE_SLOT_SECONDS must divide 3600/);
    expect(loadConfig({ CACHE_SLOT_SECONDS: '600' }).cache.slotMs).toBe(600_000);
  });
});
