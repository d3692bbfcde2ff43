/**
 * How JSON answers are compressed: which coding a request gets (content-coding.ts, q-values honoured) and the
 * zlib settings, shared by the compression plugin and the response cache (which keeps each coding it made).
 *
 * Levels are fast ones on purpose: a ~1 MB answer takes ~7 ms of CPU at Brotli 4 and ~12 at gzip 6 but ~530 at
 * Brotli 11 (bench/RESULTS.md, "Compression"), and every one of those milliseconds is CPU an anonymous client
 * could make the gateway spend. zlib's asynchronous functions run on libuv's pool, off the event loop.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { preferredCoding } from './content-coding.js';

export type CompressedCoding = 'br' | 'gzip';

export const BROTLI_QUALITY = 4;
export const GZIP_LEVEL = 6;

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export interface Compression {
  /**
   * The coding to answer with for a body of `byteLength` bytes; null when the body is below the threshold, so
   * it is sent as it is whatever the request accepts (and its response does not vary by Accept-Encoding).
   */
  codingFor(request: Request, byteLength: number): CompressedCoding | 'identity' | null;
  /** Kept per `bytes` object, which must not change afterwards (answers' bodies never do). */
  compress(bytes: Uint8Array, coding: CompressedCoding): Promise<Uint8Array<ArrayBuffer>>;
}

export async function compressBytes(
  bytes: Uint8Array,
  coding: CompressedCoding,
  level: number = coding === 'br' ? BROTLI_QUALITY : GZIP_LEVEL,
): Promise<Uint8Array<ArrayBuffer>> {
  const compressed =
    coding === 'br'
      ? await brotli(bytes, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: level,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
          },
        })
      : await gzipAsync(bytes, { level });
  return new Uint8Array(
    compressed.buffer,
    compressed.byteOffset,
    compressed.byteLength,
  ) as Uint8Array<ArrayBuffer>;
}

export function createCompression(options: { readonly minBytes: number }): Compression {
  // Per body, by identity, its codings: a poll answering the same bytes as the poll before is answered with the
  // same Buffer (resolvers/stitched-bodies.ts), and compressing it again would cost more than the whole rest of
  // the answer. Weakly held: the codings go with the body, which the stitched bodies' byte bound holds; a
  // body compressed once (every other) is collected with its codings after the response.
  const codings = new WeakMap<Uint8Array, Map<CompressedCoding, Promise<Uint8Array<ArrayBuffer>>>>();
  return {
    codingFor(request, byteLength) {
      if (byteLength < options.minBytes) return null;
      return preferredCoding(request.headers.get('accept-encoding'));
    },
    compress(bytes, coding) {
      let made = codings.get(bytes);
      if (made === undefined) {
        made = new Map();
        codings.set(bytes, made);
      }
      let compressed = made.get(coding);
      if (compressed === undefined) {
        compressed = compressBytes(bytes, coding);
        made.set(coding, compressed);
        // A failure is not kept: the next answer tries again.
        compressed.catch(() => made?.delete(coding));
      }
      return compressed;
    },
  };
}
