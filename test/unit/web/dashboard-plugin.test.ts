import { brotliDecompressSync } from 'node:zlib';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { loadDashboardAssets } from '../../../src/web/dashboard-assets.js';
import { useDashboard } from '../../../src/web/dashboard-plugin.js';

const assets = loadDashboardAssets();
const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { ok: Boolean }' }),
  plugins: [useDashboard(assets)],
  logging: false,
  landingPage: false,
});
const get = (path: string, headers: Record<string, string> = {}) =>
  yoga.fetch(`http://gateway.test${path}`, { headers });

describe('useDashboard', () => {
  it('serves the page at / naming only assets it serves, under the current version', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'self';.*connect-src 'self'/);
    const html = await response.text();
    expect(html).not.toContain('{{');
    const references = [...html.matchAll(/(?:href|src)="(\/dashboard\/[^"]+)"/g)].map(
      (match) => match[1] ?? '',
    );
    expect(references).toContain(`/dashboard/${assets.version}/main.js`);
    expect(references.length).toBeGreaterThan(10);
    for (const path of references) {
      const asset = await get(path);
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      await asset.arrayBuffer();
    }
    // No inline script: the CSP allows none.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('answers in the coding asked for, with an entity tag per coding, and 304 when it matches', async () => {
    const plain = await get(`/dashboard/${assets.version}/uplot.js`);
    const brotli = await get(`/dashboard/${assets.version}/uplot.js`, { 'accept-encoding': 'gzip, br' });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(brotli.headers.get('vary')).toContain('Accept-Encoding');
    const plainBytes = Buffer.from(await plain.arrayBuffer());
    const brotliBytes = Buffer.from(await brotli.arrayBuffer());
    expect(brotliBytes.length).toBeLessThan(plainBytes.length / 3);
    expect(brotliDecompressSync(brotliBytes).equals(plainBytes)).toBe(true);
    const etag = brotli.headers.get('etag') ?? '';
    expect(etag).not.toBe(plain.headers.get('etag'));
    const again = await get(`/dashboard/${assets.version}/uplot.js`, {
      'accept-encoding': 'gzip, br',
      'if-none-match': etag,
    });
    expect(again.status).toBe(304);
  });

  it('refuses assets of another version without letting them be cached, and leaves other requests alone', async () => {
    const stale = await get('/dashboard/0000000000000000/main.js');
    expect(stale.status).toBe(404);
    expect(stale.headers.get('cache-control')).toBe('no-store');
    expect((await get(`/dashboard/${assets.version}/tsconfig.json`)).status).toBe(404);
    expect((await get(`/dashboard/${assets.version}/uplot.d.ts`)).status).toBe(404);
    expect((await get(`/dashboard/${assets.version}/index.html`)).status).toBe(404);
    const post = await yoga.fetch('http://gateway.test/', { method: 'POST', body: '{}' });
    expect(post.status).toBe(404);
    const graphql = await yoga.fetch('http://gateway.test/graphql?query={ok}', {
      headers: { accept: 'application/json' },
    });
    expect(await graphql.json()).toEqual({ data: { ok: null } });
  });
});
