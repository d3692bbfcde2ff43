/**
 * The parse cache (parse-cache.ts) weighs a document by its query text at 256 bytes a character, so hostile
 * documents of tiny fields cannot hold more than its bound, and the app serves repeated operations through it.
 */
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createParseCache } from '../../../src/http/parse-cache.js';

const MAX_BYTES = 16 * 1024 * 1024;

/** A valid document of `fields` one-letter fields: the shape that weighs most per character. */
function tinyFields(fields: number, name: string): string {
  return `{ ${name} { ${Array.from({ length: fields }, () => 'a').join(' ')} } }`;
}

describe('the parse cache', () => {
  it('counts 256 bytes a character and stays within 16 MiB under many distinct documents', () => {
    const { documentCache } = createParseCache();
    const text = tinyFields(1000, 'x');
    documentCache.set(text, parse(text));
    expect(documentCache.calculatedSize).toBe(text.length * 256);

    for (let i = 0; i < 200; i += 1) {
      const hostile = tinyFields(1000, `q${i}`);
      documentCache.set(hostile, parse(hostile));
    }
    expect(documentCache.calculatedSize).toBeLessThanOrEqual(MAX_BYTES);
    // 16 MiB at 256 B a character holds about 32 such documents of ~2 k characters, not 201.
    expect(documentCache.size).toBeLessThan(40);
  });

  it('keeps no document too large for the whole bound', () => {
    const { documentCache } = createParseCache();
    const huge = tinyFields(40_000, 'huge');
    documentCache.set(huge, parse(huge));
    expect(documentCache.size).toBe(0);
  });
});
