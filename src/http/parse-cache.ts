/**
 * Yoga's cache of parsed documents (and of parse errors) by query text, bounded by what documents really weigh:
 * a parsed document holds an AST node and a location per token, about 256 bytes per character of query text
 * for documents of tiny fields (issue 14's prototype: weighed at 1 byte per character, hostile input kept
 * 147 MB under such a bound). Validation results are kept by Yoga per cached document (a WeakMap), so
 * they go when the document does. A dashboard polling one operation then parses and validates it once.
 */
import type { DocumentNode } from 'graphql';
import { LRUCache } from 'lru-cache';

const BYTES_PER_QUERY_CHARACTER = 256;
/** Per cache: at 256 B a character, 64 k characters of distinct query text each. */
const MAX_BYTES = 16 * 1024 * 1024;

function textWeighted<T extends object>(): LRUCache<string, T> {
  return new LRUCache<string, T>({
    maxSize: MAX_BYTES,
    sizeCalculation: (_value, text) => Math.max(1, text.length * BYTES_PER_QUERY_CHARACTER),
  });
}

export function createParseCache() {
  return {
    documentCache: textWeighted<DocumentNode>(),
    errorCache: textWeighted<object>(),
    validationCache: true,
  };
}
