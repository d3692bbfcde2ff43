/**
 * The archive the configuration asks for, opened on start. A file that cannot be opened (a read-only or full
 * disk, a file of a newer build) is told once and the gateway runs upstream-only, as it would with the archive
 * off; PostgreSQL is reached lazily, so a database still down at start is found once it comes up.
 */
import type { ArchiveTarget } from '../config/config.js';
import type { ArchiveBackend } from './archive-backend.js';
import { openPostgresArchive } from './postgres-archive.js';
import { createSlotArchive, type SlotArchive, type SlotArchiveOptions } from './slot-archive.js';
import { openSqliteArchive } from './sqlite-archive.js';

export function openArchive(
  target: ArchiveTarget | null,
  options: Omit<SlotArchiveOptions, 'backend'>,
): SlotArchive | null {
  if (target === null) return null;
  let backend: ArchiveBackend;
  try {
    backend =
      target.kind === 'sqlite' ? openSqliteArchive(target.path) : openPostgresArchive({ url: target.url });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    options.log(
      'warn',
      `archive (${target.kind}) could not be opened, serving from the upstream only: ${reason}`,
    );
    return null;
  }
  return createSlotArchive({ ...options, backend });
}
