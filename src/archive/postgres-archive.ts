/**
 * The shared archive: one PostgreSQL database that every replica reads and writes, so a slot archived through
 * one replica is served by the others. Every wait is bounded (connecting, each query), so an outage costs a
 * request at most one bound before the archive is marked down (slot-archive.ts) and skipped.
 */
import pg from 'pg';
import { ARCHIVE_MIGRATIONS, type ArchiveBackend } from './archive-backend.js';

export interface PostgresArchiveOptions {
  readonly url: string;
  /** Bound on connecting and on every query. */
  readonly timeoutMs?: number;
}

/** Any number unlikely to be another application's lock: serializes the migrations of replicas starting at once. */
const MIGRATION_LOCK = 0x63616c6c71;

export function openPostgresArchive(options: PostgresArchiveOptions): ArchiveBackend {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const pool = new pg.Pool({
    connectionString: options.url,
    max: 4,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away emits here; unhandled, it would end the process.
  pool.on('error', () => {});
  let migrated: Promise<void> | null = null;
  /** Migrates once per process, retried after a failure (PostgreSQL may be down when the gateway starts). */
  const ready = () => {
    migrated ??= migrate(pool).catch((error: unknown) => {
      migrated = null;
      throw error;
    });
    return migrated;
  };

  return {
    kind: 'postgres',
    async read(upstream, keys) {
      await ready();
      const result = await pool.query<{ i: number; body: Buffer }>(
        `SELECT k.i, s.body FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])
           WITH ORDINALITY AS k(app_id, room_id, user_id, direction, slot_ms, slot_start_ms, i)
           JOIN slots s ON s.upstream = $1 AND s.app_id = k.app_id AND s.room_id = k.room_id
             AND s.user_id = k.user_id AND s.direction = k.direction AND s.slot_ms = k.slot_ms
             AND s.slot_start_ms = k.slot_start_ms`,
        [
          upstream,
          keys.map((key) => key.appId),
          keys.map((key) => key.roomId),
          keys.map((key) => key.userId),
          keys.map((key) => key.direction),
          keys.map((key) => key.slotMs),
          keys.map((key) => key.slotStartMs),
        ],
      );
      const bodies: Array<Buffer | undefined> = keys.map(() => undefined);
      for (const row of result.rows) bodies[Number(row.i) - 1] = row.body;
      return bodies;
    },
    async write(upstream, rows, archivedAtMs) {
      await ready();
      await pool.query(
        `INSERT INTO slots (upstream, app_id, room_id, user_id, direction, slot_ms, slot_start_ms, archived_at_ms, body)
           SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[],
             $8::bigint[], $9::bytea[])
           ON CONFLICT DO NOTHING`,
        [
          upstream,
          rows.map(({ key }) => key.appId),
          rows.map(({ key }) => key.roomId),
          rows.map(({ key }) => key.userId),
          rows.map(({ key }) => key.direction),
          rows.map(({ key }) => key.slotMs),
          rows.map(({ key }) => key.slotStartMs),
          rows.map(() => archivedAtMs),
          rows.map(({ body }) => body),
        ],
      );
    },
    async sweep(beforeMs, limit) {
      await ready();
      const result = await pool.query(
        `DELETE FROM slots WHERE ctid IN (SELECT ctid FROM slots WHERE slot_start_ms < $1 LIMIT $2)`,
        [beforeMs, limit],
      );
      return result.rowCount ?? 0;
    },
    async upsertRecordings(upstream, rows) {
      await ready();
      await pool.query(
        `INSERT INTO recordings (upstream, app_id, room_id, user_id, until_ms, recorded_to_ms)
           SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
           ON CONFLICT (upstream, app_id, room_id, user_id) DO UPDATE SET
             until_ms = GREATEST(recordings.until_ms, excluded.until_ms),
             recorded_to_ms = LEAST(recordings.recorded_to_ms, excluded.recorded_to_ms)`,
        [
          upstream,
          rows.map((row) => row.appId),
          rows.map((row) => row.roomId),
          rows.map((row) => row.userId),
          rows.map((row) => row.untilMs),
          rows.map((row) => row.recordedToMs),
        ],
      );
    },
    async activeRecordings(upstream) {
      await ready();
      const result = await pool.query<{
        app_id: string;
        room_id: string;
        user_id: string;
        until_ms: string;
        recorded_to_ms: string;
      }>(
        `SELECT app_id, room_id, user_id, until_ms, recorded_to_ms FROM recordings
           WHERE upstream = $1 AND recorded_to_ms < until_ms`,
        [upstream],
      );
      return result.rows.map((row) => ({
        appId: row.app_id,
        roomId: row.room_id,
        userId: row.user_id,
        untilMs: Number(row.until_ms),
        recordedToMs: Number(row.recorded_to_ms),
      }));
    },
    async advanceRecording(upstream, row, recordedToMs) {
      await ready();
      await pool.query(
        `UPDATE recordings SET recorded_to_ms = GREATEST(recorded_to_ms, $1)
           WHERE upstream = $2 AND app_id = $3 AND room_id = $4 AND user_id = $5`,
        [recordedToMs, upstream, row.appId, row.roomId, row.userId],
      );
    },
    async sizeBytes() {
      await ready();
      const result = await pool.query<{ bytes: string }>(
        `SELECT pg_total_relation_size('slots')::text AS bytes`,
      );
      return Number(result.rows[0]?.bytes ?? 0);
    },
    async close() {
      await pool.end();
    },
  };
}

/** Creates or migrates the tables in one transaction, under a lock, so replicas starting together agree. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const row = (await client.query<{ version: number }>('SELECT version FROM schema_version')).rows[0];
    const current = row?.version ?? 0;
    if (current > ARCHIVE_MIGRATIONS.length) {
      throw new Error(
        `the archive's schema is version ${current}, newer than this build's ${ARCHIVE_MIGRATIONS.length}`,
      );
    }
    for (const migration of ARCHIVE_MIGRATIONS.slice(current)) {
      await client.query(migration.replaceAll('{blob}', 'BYTEA'));
    }
    if (row === undefined) {
      await client.query('INSERT INTO schema_version (version) VALUES ($1)', [ARCHIVE_MIGRATIONS.length]);
    } else {
      await client.query('UPDATE schema_version SET version = $1', [ARCHIVE_MIGRATIONS.length]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
