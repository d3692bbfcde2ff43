/**
 * What the archive needs of a database: rows of whole settled slots under (upstream identity, app, room, user,
 * direction, slot size, slot start), written once and never changed. SQLite (embedded) and PostgreSQL (shared
 * by replicas) implement it; everything above it (batching, health, the slot format) is theirs in common.
 */
import type { SlotKey } from '../slots/window-cache.js';

export interface ArchivedSlotRow {
  readonly key: SlotKey;
  /** The slot's bytes (archived-slot-format.ts). */
  readonly body: Buffer;
}

/** One user of a room kept recorded (recorder.ts): its slots are fetched as they settle, up to `untilMs`. */
export interface RecordingRow {
  readonly appId: string;
  readonly roomId: string;
  readonly userId: string;
  readonly untilMs: number;
  /** Where the recorder has got to: every slot before it was fetched (and so archived). */
  readonly recordedToMs: number;
}

export interface ArchiveBackend {
  /** `sqlite` or `postgres`, for logs and metrics. */
  readonly kind: string;
  /**
   * The bodies of those of `keys` that are archived under `upstream`, by position (undefined: not archived).
   * Rejects when the database fails; callers keep `keys` short (a chunk), so one call never holds the event
   * loop (SQLite is synchronous) or a connection for long.
   */
  read(upstream: string, keys: readonly SlotKey[]): Promise<Array<Buffer | undefined>>;
  /** Inserts the rows that are not archived yet, in one transaction; a row already there is left as it is. */
  write(upstream: string, rows: readonly ArchivedSlotRow[], archivedAtMs: number): Promise<void>;
  /** Deletes at most `limit` slots that start before `beforeMs`; resolves how many it deleted. */
  sweep(beforeMs: number, limit: number): Promise<number>;
  /**
   * Adds recordings; one already there keeps the later `untilMs` and the earlier `recordedToMs` of the two, so
   * asking again only ever widens what is recorded.
   */
  upsertRecordings(upstream: string, rows: readonly RecordingRow[]): Promise<void>;
  /** The recordings not done yet (`recordedToMs < untilMs`). */
  activeRecordings(upstream: string): Promise<RecordingRow[]>;
  /** Moves a recording's `recordedToMs` on (never back). */
  advanceRecording(upstream: string, row: RecordingRow, recordedToMs: number): Promise<void>;
  /** Bytes the archive takes in its database (file pages, or the table's relation size). */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Versions of the archive's tables, applied in order on start; the database records how many it has. A new
 * version is appended, never edited: a database made by an older build then migrates forward. Written in the
 * SQL both engines accept; `{blob}` is the engine's byte type.
 */
export const ARCHIVE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE slots (
    upstream TEXT NOT NULL,
    app_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    slot_ms BIGINT NOT NULL,
    slot_start_ms BIGINT NOT NULL,
    archived_at_ms BIGINT NOT NULL,
    body {blob} NOT NULL,
    PRIMARY KEY (upstream, app_id, room_id, user_id, direction, slot_ms, slot_start_ms)
  );
  CREATE INDEX slots_by_start ON slots (slot_start_ms);`,
  `CREATE TABLE recordings (
    upstream TEXT NOT NULL,
    app_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    until_ms BIGINT NOT NULL,
    recorded_to_ms BIGINT NOT NULL,
    PRIMARY KEY (upstream, app_id, room_id, user_id)
  );`,
];
