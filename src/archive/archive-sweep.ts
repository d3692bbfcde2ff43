/**
 * The archive's own retention (ARCHIVE_RETENTION_DAYS): slots that start longer ago than that are deleted in
 * the background, once at start and then every `intervalMs`, in batches (slot-archive.ts), so a sweep never
 * holds the database or the event loop for long. Replicas on one PostgreSQL sweep the same rows; a delete
 * finding them gone is harmless.
 */
import type { SlotArchive } from './slot-archive.js';

export interface ArchiveSweepOptions {
  readonly archive: SlotArchive;
  readonly retentionMs: number;
  /** The gateway's clock. */
  readonly now: () => number;
  readonly intervalMs?: number;
  readonly onSwept?: (deleted: number) => void;
}

export interface ArchiveSweep {
  /** Sweeps now; resolves how many slots it deleted. */
  sweepNow(): Promise<number>;
  stop(): void;
}

export function startArchiveSweep(options: ArchiveSweepOptions): ArchiveSweep {
  const sweepNow = async () => {
    const deleted = await options.archive.sweep(options.now() - options.retentionMs);
    if (deleted > 0) options.onSwept?.(deleted);
    return deleted;
  };
  // One sweep at a time: a slow database must not pile sweeps up behind each other.
  let sweeping = false;
  const tick = () => {
    if (sweeping) return;
    sweeping = true;
    void sweepNow().finally(() => {
      sweeping = false;
    });
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? 3_600_000);
  // A sweep due is no reason to keep a stopping process alive.
  timer.unref();
  return {
    sweepNow,
    stop: () => clearInterval(timer),
  };
}
