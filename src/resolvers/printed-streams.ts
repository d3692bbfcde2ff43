/**
 * Users' streams as the fast path printed them (schema/streams-printer.ts), kept for the next poll: a dashboard
 * polling the last hour reads the same merged streams, series and column text most of the time, and printing
 * them again (a few thousand fields and ~20,000 column byte ranges for 20 users) is most of what a poll costs.
 *
 * An entry is valid for exactly what it was printed from: the plan (the selection, compiled once per document),
 * its arguments under the operation's variables, and the very stream objects, in order. Every printable field
 * answers the same for the same source and arguments (schema/streams-plan.ts), so equal inputs print equal
 * JSON. The entry also holds what the resolvers did beside answering, to be done again (`effects`: each
 * field's effect and its subject, in the order they ran). Stream objects are reachable only through their own
 * upstream account's cache, so one account's entry can never match another account's streams.
 *
 * Bounded in bytes (lru-cache), as a share of the window cache's bound.
 */
import { LRUCache } from 'lru-cache';
import { sameItems } from '../model/same-items.js';

/** The entry object, its arrays and lru-cache's bookkeeping, beside the JSON and 8 B per array value. */
const ENTRY_BYTES = 320;
const ARRAY_VALUE_BYTES = 8;
/** A user's streams asked by several dashboards at once (other metrics, another step) keep an entry each. */
const ENTRIES_PER_FIRST_STREAM = 4;

export interface Printed {
  readonly plan: object;
  readonly argumentsKey: string;
  readonly streams: readonly unknown[];
  /** Pairs: an effect's owner (the planned field), then its subject. */
  readonly effects: readonly unknown[];
  readonly json: Buffer;
}

export interface PrintedStreamsStats {
  readonly hits: number;
  readonly misses: number;
  readonly bytes: number;
  readonly entries: number;
}

export interface PrintedStreams {
  /** What `plan` printed before of these very streams under these arguments. */
  find(plan: object, argumentsKey: string, streams: readonly unknown[]): Printed | undefined;
  /** Keeps what was printed (the arrays must not change afterwards). */
  keep(printed: Printed): void;
  stats(): PrintedStreamsStats;
}

export function createPrintedStreams(options: { readonly maxBytes: number }): PrintedStreams {
  let hits = 0;
  let misses = 0;
  // Keyed by the first stream: a user's streams begin with their own.
  const lru = new LRUCache<object, Printed[]>({
    maxSize: Math.max(1, options.maxBytes),
    sizeCalculation: (variants) =>
      variants.reduce(
        (bytes, printed) =>
          bytes +
          ENTRY_BYTES +
          printed.json.length +
          ARRAY_VALUE_BYTES * (printed.streams.length + printed.effects.length),
        0,
      ),
  });
  const firstOf = (streams: readonly unknown[]) => {
    const first = streams[0];
    return typeof first === 'object' && first !== null ? first : undefined;
  };
  return {
    find(plan, argumentsKey, streams) {
      const first = firstOf(streams);
      const found = (first === undefined ? undefined : lru.get(first))?.find(
        (printed) =>
          printed.plan === plan &&
          printed.argumentsKey === argumentsKey &&
          sameItems(printed.streams, streams),
      );
      if (found === undefined) misses += 1;
      else hits += 1;
      return found;
    },
    keep(printed) {
      const first = firstOf(printed.streams);
      if (first === undefined) return;
      const others = (lru.peek(first) ?? []).filter(
        (other) => other.plan !== printed.plan || other.argumentsKey !== printed.argumentsKey,
      );
      lru.set(first, [printed, ...others.slice(0, ENTRIES_PER_FIRST_STREAM - 1)]);
    },
    stats: () => ({ hits, misses, bytes: lru.calculatedSize, entries: lru.size }),
  };
}
