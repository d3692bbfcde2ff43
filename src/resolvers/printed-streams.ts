/**
 * Users' streams as the fast path printed them (schema/streams-printer.ts), kept for the next poll: a dashboard
 * polling the last hour reads the same merged streams, series and column text most of the time, and printing
 * them again (a few thousand fields and ~20,000 column byte ranges for 20 users) is most of what a poll costs.
 *
 * An entry is valid for exactly what it was printed from: the plan (the selection, compiled once per document)
 * and the "tape", every value the printer read in order (each stream object, each leaf's serialised value,
 * each list's length, each column's kept text). Equal tapes print equal JSON, so a lookup compares tapes and
 * never guesses. The tape holds stream objects, which are reachable only through their own upstream account's
 * cache, so one account's entry can never match another account's streams.
 *
 * Bounded in bytes (lru-cache), as a share of the window cache's bound.
 */
import { LRUCache } from 'lru-cache';
import { sameItems } from '../model/same-items.js';

/** The entry object, its tape array and lru-cache's bookkeeping, beside the JSON and 8 B per tape value. */
const ENTRY_BYTES = 240;
const TAPE_VALUE_BYTES = 8;
/** A user's streams asked by several dashboards at once (other metrics, another step) keep an entry each. */
const ENTRIES_PER_FIRST_STREAM = 4;

interface Printed {
  readonly plan: object;
  readonly tape: readonly unknown[];
  readonly json: Buffer;
}

export interface PrintedStreamsStats {
  readonly hits: number;
  readonly misses: number;
  readonly bytes: number;
  readonly entries: number;
}

export interface PrintedStreams {
  /** The JSON printed before from `plan` and an equal tape (its first `length` values). */
  find(plan: object, tape: readonly unknown[], length: number): Buffer | undefined;
  /** Keeps `json` as what `plan` prints of `tape` (which the caller must not change afterwards). */
  keep(plan: object, tape: readonly unknown[], json: Buffer): void;
  stats(): PrintedStreamsStats;
}

export function createPrintedStreams(options: { readonly maxBytes: number }): PrintedStreams {
  let hits = 0;
  let misses = 0;
  // Keyed by the tape's first value, the first stream printed: a user's streams begin with their own.
  const lru = new LRUCache<object, Printed[]>({
    maxSize: Math.max(1, options.maxBytes),
    sizeCalculation: (variants) =>
      variants.reduce(
        (bytes, printed) =>
          bytes + ENTRY_BYTES + printed.json.length + TAPE_VALUE_BYTES * printed.tape.length,
        0,
      ),
  });
  return {
    find(plan, tape, length) {
      const first = tape[0];
      const variants = typeof first === 'object' && first !== null ? lru.get(first) : undefined;
      const found = variants?.find(
        (printed) => printed.plan === plan && sameItems(printed.tape, tape, length),
      );
      if (found === undefined) {
        misses += 1;
        return undefined;
      }
      hits += 1;
      return found.json;
    },
    keep(plan, tape, json) {
      const first = tape[0];
      if (typeof first !== 'object' || first === null) return;
      const others = (lru.peek(first) ?? []).filter((printed) => printed.plan !== plan);
      lru.set(first, [{ plan, tape, json }, ...others.slice(0, ENTRIES_PER_FIRST_STREAM - 1)]);
    },
    stats: () => ({ hits, misses, bytes: lru.calculatedSize, entries: lru.size }),
  };
}
