/**
 * The embedded archive: one SQLite file (better-sqlite3), in WAL mode so that a read never waits for the
 * writer's transaction and a crash never leaves half a batch. better-sqlite3 is synchronous: each call here
 * does one chunk's work (the caller keeps chunks small), so the event loop is held for a chunk at a time.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ARCHIVE_MIGRATIONS, type ArchiveBackend, type RecordingRow } from './archive-backend.js';

export function openSqliteArchive(path: string): ArchiveBackend {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // WAL makes NORMAL durable against a process crash; only a power loss may lose the last batches, which are
  // fetched again from the upstream while it still has them.
  db.pragma('synchronous = NORMAL');
  // Another process (a second gateway on the same file) may hold the write lock for a batch: wait that long.
  db.pragma('busy_timeout = 2000');
  migrate(db);

  const select = db.prepare<unknown[], { body: Buffer }>(
    `SELECT body FROM slots WHERE upstream = ? AND app_id = ? AND room_id = ? AND user_id = ? AND direction = ?
       AND slot_ms = ? AND slot_start_ms = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO slots (upstream, app_id, room_id, user_id, direction, slot_ms, slot_start_ms, archived_at_ms, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const sweepStatement = db.prepare(
    'DELETE FROM slots WHERE rowid IN (SELECT rowid FROM slots WHERE slot_start_ms < ? LIMIT ?)',
  );
  const pages = db.prepare<[], { bytes: number }>(
    'SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()',
  );
  const upsertRecording = db.prepare(
    `INSERT INTO recordings (upstream, app_id, room_id, user_id, until_ms, recorded_to_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (upstream, app_id, room_id, user_id) DO UPDATE SET
         until_ms = max(until_ms, excluded.until_ms), recorded_to_ms = min(recorded_to_ms, excluded.recorded_to_ms)`,
  );
  const upsertAll = db.transaction((upstream: string, rows: readonly RecordingRow[]) => {
    for (const row of rows) {
      upsertRecording.run(upstream, row.appId, row.roomId, row.userId, row.untilMs, row.recordedToMs);
    }
  });
  const active = db.prepare<[string], RecordingRow>(
    `SELECT app_id AS appId, room_id AS roomId, user_id AS userId, until_ms AS untilMs,
       recorded_to_ms AS recordedToMs FROM recordings WHERE upstream = ? AND recorded_to_ms < until_ms`,
  );
  const advance = db.prepare(
    `UPDATE recordings SET recorded_to_ms = max(recorded_to_ms, ?)
       WHERE upstream = ? AND app_id = ? AND room_id = ? AND user_id = ?`,
  );
  const writeAll = db.transaction(
    (upstream: string, rows: Parameters<ArchiveBackend['write']>[1], archivedAtMs: number) => {
      for (const { key, body } of rows) {
        insert.run(
          upstream,
          key.appId,
          key.roomId,
          key.userId,
          key.direction,
          key.slotMs,
          key.slotStartMs,
          archivedAtMs,
          body,
        );
      }
    },
  );

  return {
    kind: 'sqlite',
    async read(upstream, keys) {
      return keys.map(
        (key) =>
          select.get(upstream, key.appId, key.roomId, key.userId, key.direction, key.slotMs, key.slotStartMs)
            ?.body,
      );
    },
    async write(upstream, rows, archivedAtMs) {
      writeAll(upstream, rows, archivedAtMs);
    },
    async sweep(beforeMs, limit) {
      return sweepStatement.run(beforeMs, limit).changes;
    },
    async upsertRecordings(upstream, rows) {
      upsertAll(upstream, rows);
    },
    async activeRecordings(upstream) {
      return active.all(upstream);
    },
    async advanceRecording(upstream, row, recordedToMs) {
      advance.run(recordedToMs, upstream, row.appId, row.roomId, row.userId);
    },
    async sizeBytes() {
      return pages.get()?.bytes ?? 0;
    },
    async close() {
      db.close();
    },
  };
}

/** Creates the tables, or brings an older file's up to this build's version, in one transaction. */
function migrate(db: Database.Database): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = db.prepare<[], { version: number }>('SELECT version FROM schema_version').get();
    const current = row?.version ?? 0;
    if (current > ARCHIVE_MIGRATIONS.length) {
      throw new Error(
        `the archive's schema is version ${current}, newer than this build's ${ARCHIVE_MIGRATIONS.length}`,
      );
    }
    for (const migration of ARCHIVE_MIGRATIONS.slice(current))
      db.exec(migration.replaceAll('{blob}', 'BLOB'));
    if (row === undefined)
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(ARCHIVE_MIGRATIONS.length);
    else db.prepare('UPDATE schema_version SET version = ?').run(ARCHIVE_MIGRATIONS.length);
  })();
}
