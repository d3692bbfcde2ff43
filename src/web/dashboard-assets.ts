/**
 * The dashboard's files, read once for the process and kept as bytes in each content coding.
 *
 * The page is plain ES modules (no build step: `npm ci && npm start` is all the set-up) plus uPlot from
 * node_modules. Every asset is served under one version directory, `/dashboard/<version>/`, where the version
 * hashes every asset's bytes: relative imports between the modules keep working unchanged, and any change to
 * any file moves them all to a new URL, so they may be cached as immutable. Only the page at `/` names the
 * version; it is revalidated on every load.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressBytes } from '../http/compression.js';
import type { ContentCoding } from '../http/content-coding.js';

/** Where the versioned assets live; the page at `/` is outside it. */
export const ASSETS_PREFIX = '/dashboard/';

const CLIENT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'client');
// The modules and the style sheet (the page, index.html, is served at `/`). Type declarations and the client's
// tsconfig are for the type checker only.
const SERVED_EXTENSIONS = new Set(['.js', '.css']);
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};
// Strings the page holds where the version directory and the module preloads go.
const VERSION_PLACEHOLDER = '{{ASSETS}}';
const PRELOADS_PLACEHOLDER = '<!-- {{MODULE_PRELOADS}} -->';

/** Bytes on a plain ArrayBuffer, the only kind fetch's Response accepts as a body. */
type Bytes = Uint8Array<ArrayBuffer>;

export interface DashboardAsset {
  readonly contentType: string;
  /** Distinct per coding (RFC 9110 §8.8.3). */
  etag(coding: ContentCoding): string;
  /** One shared body per coding, compressed on first need, off the event loop. */
  body(coding: ContentCoding): Promise<Bytes>;
}

export interface DashboardAssets {
  /** The hash that names the asset directory; it changes whenever any asset does. */
  readonly version: string;
  /** The page served at `/`. */
  readonly page: DashboardAsset;
  /** An asset by its name inside the version directory (e.g. `main.js`), or undefined. */
  asset(name: string): DashboardAsset | undefined;
}

function createAsset(name: string, bytes: Bytes): DashboardAsset {
  const tag = createHash('sha256').update(bytes).digest('base64url').slice(0, 22);
  const bodies = new Map<ContentCoding, Promise<Bytes>>([['identity', Promise.resolve(bytes)]]);
  return {
    contentType: CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
    etag: (coding) => (coding === 'identity' ? `"${tag}"` : `"${tag}-${coding}"`),
    body(coding) {
      let body = bodies.get(coding);
      if (body === undefined) {
        // Brotli 5, as for GraphiQL's page: quality 11 would save a tenth of uPlot's bytes but cost the first
        // visitor most of a second of CPU.
        body = compressBytes(bytes, coding === 'br' ? 'br' : 'gzip', coding === 'br' ? 5 : 9);
        bodies.set(coding, body);
      }
      return body;
    },
  };
}

function readBytes(path: string): Bytes {
  const buffer = readFileSync(path);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) as Bytes;
}

/** The files as named inside the version directory: the client's own, then uPlot's. */
function sourceFiles(): Map<string, Bytes> {
  const files = new Map<string, Bytes>();
  for (const name of readdirSync(CLIENT_DIR).sort()) {
    if (SERVED_EXTENSIONS.has(extname(name))) files.set(name, readBytes(join(CLIENT_DIR, name)));
  }
  const uplotDist = dirname(createRequire(import.meta.url).resolve('uplot'));
  files.set('uplot.js', readBytes(join(uplotDist, 'uPlot.esm.js')));
  files.set('uplot.css', readBytes(join(uplotDist, 'uPlot.min.css')));
  return files;
}

export function loadDashboardAssets(): DashboardAssets {
  const files = sourceFiles();
  const hash = createHash('sha256');
  for (const [name, bytes] of files) hash.update(name).update('\0').update(bytes).update('\0');
  const version = hash.digest('base64url').slice(0, 16);
  const assets = new Map([...files].map(([name, bytes]) => [name, createAsset(name, bytes)]));
  // Every module preloaded: otherwise the browser learns of main.js's imports only once main.js has arrived,
  // and of theirs a round trip later.
  const preloads = [...files.keys()]
    .filter((name) => name.endsWith('.js'))
    .map((name) => `<link rel="modulepreload" href="${VERSION_PLACEHOLDER}/${name}">`)
    .join('\n  ');
  const html = readFileSync(join(CLIENT_DIR, 'index.html'), 'utf8')
    .replace(PRELOADS_PLACEHOLDER, preloads)
    .replaceAll(VERSION_PLACEHOLDER, `${ASSETS_PREFIX}${version}`);
  const page = createAsset('index.html', new Uint8Array(Buffer.from(html)) as Bytes);
  return { version, page, asset: (name) => assets.get(name) };
}
