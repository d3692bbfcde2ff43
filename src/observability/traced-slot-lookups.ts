/**
 * Where a load's data came from, in its trace: one span per DataLoader batch (the source's `load`), the window
 * cache's hits and misses of that batch as its attributes, and a child span for each shared-store (Redis) lookup.
 * Wrappers around the slots layer's interfaces, made only when tracing is on, so the slots layer knows nothing of
 * tracing and costs nothing more when it is off.
 *
 * A batch serves every load of one tick of one operation, yet it runs once: its span is a child of the
 * resolver whose load opened the batch (the context DataLoader scheduled it in, a later tick but the same async
 * context), and the resolvers that joined it see it through their own span's duration. One parent rather than a
 * link per load: a 200-user operation would carry 200 links to say what the batch's keys attribute says.
 */
import { context, createContextKey, type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { CallDetailSource, SecondLevelSlotStore } from '../slots/call-detail-source.js';
import type { WindowCache } from '../slots/window-cache.js';

/** Window cache lookups of the batch whose context they run in. */
interface Lookups {
  hits: number;
  misses: number;
}

const LOOKUPS = createContextKey('callq window cache lookups');

function failedWith(span: Span, error: unknown): never {
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.setAttribute('error.type', error instanceof Error ? error.name : 'UNEXPECTED');
  span.end();
  throw error;
}

export function traceCallDetailSource(source: CallDetailSource, tracer: Tracer): CallDetailSource {
  return {
    load(requests, flow) {
      const span = tracer.startSpan('callDetail.load', {
        attributes: { 'callq.load.keys': requests.length },
      });
      const lookups: Lookups = { hits: 0, misses: 0 };
      const active = trace.setSpan(context.active(), span).setValue(LOOKUPS, lookups);
      return context
        .with(active, () => source.load(requests, flow))
        .then(
          (answers) => {
            span.setAttributes({
              'callq.window_cache.hits': lookups.hits,
              'callq.window_cache.misses': lookups.misses,
              'callq.load.failed_keys': answers.filter((answer) => answer instanceof Error).length,
            });
            span.end();
            return answers;
          },
          (error: unknown) => failedWith(span, error),
        );
    },
  };
}

/**
 * Counts every `get`, and every entry of a settled run, into the batch it runs for; lookups outside a traced
 * batch (live polls) are not counted.
 */
export function traceWindowCache(cache: WindowCache): WindowCache {
  return {
    get(key, immutableOnly) {
      const entry = cache.get(key, immutableOnly);
      const lookups = context.active().getValue(LOOKUPS) as Lookups | undefined;
      if (lookups !== undefined) {
        if (entry === undefined) lookups.misses += 1;
        else lookups.hits += 1;
      }
      return entry;
    },
    peekImmutable: (key) => cache.peekImmutable(key),
    set: (key, entry, immutable) => cache.set(key, entry, immutable),
    settledRun(...args) {
      const entries = cache.settledRun(...args);
      const lookups = context.active().getValue(LOOKUPS) as Lookups | undefined;
      if (lookups !== undefined) lookups.hits += entries.length;
      return entries;
    },
    stats: () => cache.stats(),
  };
}

/** Which second-level store a span is of: its span name's and its attributes' prefixes. */
const STORE_NAMES = {
  sharedStore: 'shared_store',
  archive: 'archive',
} as const;

/** A span per lookup of a second-level store (Redis, or the archive behind it) within a traced batch. */
export function traceSharedStore(
  store: SecondLevelSlotStore,
  tracer: Tracer,
  name: keyof typeof STORE_NAMES = 'sharedStore',
): SecondLevelSlotStore {
  const attribute = STORE_NAMES[name];
  return {
    getMany(keys) {
      // Only within a traced batch: a lookup of its own would be a trace of one span.
      if (trace.getSpan(context.active()) === undefined) return store.getMany(keys);
      const span = tracer.startSpan(`${name}.getMany`, {
        attributes: { [`callq.${attribute}.keys`]: keys.length },
      });
      return store.getMany(keys).then(
        (found) => {
          span.setAttribute(`callq.${attribute}.found`, found.size);
          span.end();
          return found;
        },
        (error: unknown) => failedWith(span, error),
      );
    },
    putMany: (entries) => store.putMany(entries),
  };
}
