/**
 * The archive as the call-detail source sees it: a second-level store of whole settled slots behind the window
 * cache (and Redis), kept past the upstream's retention. Reads go in small chunks, one turn of the event loop
 * each; writes are queued and written in batches after the request that fetched them has its answer.
 *
 * The archive is never a dependency of an answer the upstream can give: a failing database (a broken or full
 * disk, PostgreSQL away) turns every read into a miss and every write into a skipped one, with one log line
 * when it goes down and one when it is back, and a probe at most every `retryMs` in between, so a dead
 * database costs a request nothing.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SecondLevelSlotStore } from '../slots/call-detail-source.js';
import type { SlotEntry } from '../slots/slot-entry.js';
import type { SlotKey } from '../slots/window-cache.js';
import type { ArchiveBackend, RecordingRow } from './archive-backend.js';
import { decodeArchivedSlot, encodeArchivedSlot } from './archived-slot-format.js';
import { parseSlotKey } from './archived-slot-key.js';

export interface SlotArchiveOptions {
  readonly backend: ArchiveBackend;
  /** Whose slots these are: `upstreamIdentity(endpoint, accessKeyId)`; never shared across accounts. */
  readonly upstream: string;
  /** The gateway's clock, for `archived_at_ms`. */
  readonly now: () => number;
  /** One line per health transition. */
  readonly log: (level: 'warn' | 'info', message: string) => void;
  /** Keys read per database call (one event-loop turn each). */
  readonly readChunk?: number;
  /** Rows written per transaction. */
  readonly writeBatch?: number;
  /** Rows waiting to be written beyond which new ones are dropped (fetched again if ever needed). */
  readonly maxPendingWrites?: number;
  /** While down, how often one operation is let through to find out whether the database is back. */
  readonly retryMs?: number;
}

export interface SlotArchive extends SecondLevelSlotStore {
  readonly kind: string;
  readonly healthy: boolean;
  /** Resolves once every write queued so far was written (or skipped). */
  flush(): Promise<void>;
  /** Deletes the slots that start before `beforeMs`, a batch per turn; resolves how many. */
  sweep(beforeMs: number): Promise<number>;
  /** The recordings kept in the archive (recorder.ts); each resolves undefined while the database is down. */
  readonly recordings: {
    upsert(rows: readonly RecordingRow[]): Promise<true | undefined>;
    active(): Promise<RecordingRow[] | undefined>;
    advance(row: RecordingRow, recordedToMs: number): Promise<true | undefined>;
  };
  /** Bytes on disk, or null while the database is down. */
  sizeBytes(): Promise<number | null>;
  /** Writes what is queued, then closes the database. */
  close(): Promise<void>;
}

const SWEEP_BATCH = 1_000;

export function createSlotArchive(options: SlotArchiveOptions): SlotArchive {
  const { backend, upstream } = options;
  const readChunk = options.readChunk ?? 256;
  const writeBatch = options.writeBatch ?? 500;
  const maxPending = options.maxPendingWrites ?? 20_000;
  const retryMs = options.retryMs ?? 5_000;
  let healthy = true;
  let retryAtMs = 0;
  // Entries, not their bytes: encoding waits for the write, off the path of the request that fetched them.
  let pending: Array<{ readonly key: SlotKey; readonly entry: SlotEntry }> = [];
  let flushing: Promise<void> | null = null;

  /** Whether to touch the database now: always while healthy, once per `retryMs` while down. */
  const mayTry = () => healthy || performance.now() >= retryAtMs;
  const up = () => {
    if (healthy) return;
    healthy = true;
    options.log('info', `archive (${backend.kind}) is available again`);
  };
  const down = (error: unknown) => {
    retryAtMs = performance.now() + retryMs;
    if (!healthy) return;
    healthy = false;
    const reason = error instanceof Error ? error.message : String(error);
    options.log('warn', `archive (${backend.kind}) unavailable, serving from the upstream only: ${reason}`);
  };
  async function guarded<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (!mayTry()) return undefined;
    try {
      const result = await work();
      up();
      return result;
    } catch (error) {
      down(error);
      return undefined;
    }
  }

  async function writePending(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending.slice(0, writeBatch);
      pending = pending.slice(writeBatch);
      // Off the request path: the answer that fetched these went out before the first batch is written.
      await nextTurn();
      await guarded(() =>
        backend.write(
          upstream,
          batch.map(({ key, entry }) => ({ key, body: encodeArchivedSlot(entry) })),
          options.now(),
        ),
      );
    }
  }
  const scheduleFlush = () => {
    flushing ??= writePending().finally(() => {
      flushing = null;
    });
    return flushing;
  };

  return {
    kind: backend.kind,
    get healthy() {
      return healthy;
    },
    async getMany(keys) {
      const found = new Map<string, SlotEntry>();
      const parsed = keys.flatMap((key) => {
        const slot = parseSlotKey(key);
        return slot === undefined ? [] : [{ key, slot }];
      });
      for (let start = 0; start < parsed.length; start += readChunk) {
        if (start > 0) await nextTurn();
        const chunk = parsed.slice(start, start + readChunk);
        const bodies = await guarded(() =>
          backend.read(
            upstream,
            chunk.map(({ slot }) => slot),
          ),
        );
        if (bodies === undefined) break;
        bodies.forEach((body, index) => {
          const key = chunk[index]?.key;
          if (body === undefined || key === undefined) return;
          try {
            found.set(key, decodeArchivedSlot(body));
          } catch {
            // A row of a format this build does not read: a miss, as if never archived.
          }
        });
      }
      return found;
    },
    putMany(entries) {
      if (!mayTry()) return;
      for (const [key, entry] of entries) {
        const slot = parseSlotKey(key);
        if (slot === undefined || pending.length >= maxPending) continue;
        pending.push({ key: slot, entry });
      }
      if (pending.length > 0) void scheduleFlush();
    },
    flush: () =>
      (flushing ?? Promise.resolve()).then(() => (pending.length > 0 ? scheduleFlush() : undefined)),
    async sweep(beforeMs) {
      let deleted = 0;
      for (;;) {
        const count = await guarded(() => backend.sweep(beforeMs, SWEEP_BATCH));
        if (count === undefined) return deleted;
        deleted += count;
        if (count < SWEEP_BATCH) return deleted;
        await nextTurn();
      }
    },
    recordings: {
      upsert: (rows) => guarded(() => backend.upsertRecordings(upstream, rows).then(() => true as const)),
      active: () => guarded(() => backend.activeRecordings(upstream)),
      advance: (row, recordedToMs) =>
        guarded(() => backend.advanceRecording(upstream, row, recordedToMs).then(() => true as const)),
    },
    async sizeBytes() {
      return (await guarded(() => backend.sizeBytes())) ?? null;
    },
    async close() {
      await scheduleFlush();
      await backend.close().catch(() => {});
    },
  };
}
