/**
 * Answers' bodies as the column sink stitched them (column-sink.ts), kept for the next poll: a dashboard polling
 * the last hour gets the same bytes most of the time (its range moves by less than the 10 s between points),
 * made of the same text and the same kept JSON (printed streams, column text). Given the same Buffer, the
 * answer is not copied again (a megabyte per poll), and what is made of it once can be kept by its identity:
 * its compressed codings (http/compression-plugin.ts), which cost far more than the answer itself.
 *
 * An entry is valid for exactly what it was stitched from: the result's JSON text around the tokens, and each
 * token's byte ranges (the same buffers at the same bounds). Bounded in bytes (lru-cache).
 */
import { LRUCache } from 'lru-cache';
import { sameItems } from '../model/same-items.js';

/** The entry object, its arrays and lru-cache's bookkeeping, beside the body, 2 B per key character and 8 B
 * per span value. */
const ENTRY_BYTES = 240;
/** Longer result text (answers made mostly by the executor) is not worth keeping: it is not a poll of columns. */
const MAX_TEXT_LENGTH = 64 * 1024;

interface Stitched {
  readonly spans: readonly unknown[];
  readonly body: Buffer;
}

export interface StitchedBodies {
  /** The body stitched before of `text` (the segments around the tokens) and `spans` (buffer, start, end...). */
  find(text: string, spans: readonly unknown[]): Buffer | undefined;
  keep(text: string, spans: readonly unknown[], body: Buffer): void;
  stats(): {
    readonly hits: number;
    readonly misses: number;
    readonly bytes: number;
    readonly entries: number;
  };
}

export function createStitchedBodies(options: { readonly maxBytes: number }): StitchedBodies {
  let hits = 0;
  let misses = 0;
  const lru = new LRUCache<string, Stitched>({
    maxSize: Math.max(1, options.maxBytes),
    sizeCalculation: (stitched, text) =>
      ENTRY_BYTES + stitched.body.length + 2 * text.length + 8 * stitched.spans.length,
  });
  return {
    find(text, spans) {
      const found = text.length <= MAX_TEXT_LENGTH ? lru.get(text) : undefined;
      if (found === undefined || !sameItems(found.spans, spans)) {
        misses += 1;
        return undefined;
      }
      hits += 1;
      return found.body;
    },
    keep(text, spans, body) {
      if (text.length <= MAX_TEXT_LENGTH) lru.set(text, { spans, body });
    },
    stats: () => ({ hits, misses, bytes: lru.calculatedSize, entries: lru.size }),
  };
}
