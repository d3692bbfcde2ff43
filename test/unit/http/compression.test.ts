/**
 * Compressed codings are kept per body (compression.ts): a poll answered with the same stitched Buffer as the
 * poll before is not compressed again, and what is sent still decompresses to the body.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createCompression } from '../../../src/http/compression.js';

const body = Buffer.from(
  JSON.stringify({ data: { values: Array.from({ length: 5000 }, (_, i) => i * 0.5) } }),
);

describe('compression', () => {
  it('keeps the codings of a body by its identity, and they decompress to the body', async () => {
    const compression = createCompression({ minBytes: 1024 });
    const br = await compression.compress(body, 'br');
    const gzip = await compression.compress(body, 'gzip');
    expect(await compression.compress(body, 'br')).toBe(br);
    expect(await compression.compress(body, 'gzip')).toBe(gzip);
    expect(brotliDecompressSync(br).equals(body)).toBe(true);
    expect(gunzipSync(gzip).equals(body)).toBe(true);
    // Another body of the same bytes is another answer's: compressed for itself.
    const copy = Buffer.from(body);
    const again = await compression.compress(copy, 'br');
    expect(again).not.toBe(br);
    expect(Buffer.from(again).equals(Buffer.from(br))).toBe(true);
  });
});
