import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArchiveBackend } from '../../../src/archive/archive-backend.js';
import { createSlotArchive, type SlotArchive } from '../../../src/archive/slot-archive.js';
import { openSqliteArchive } from '../../../src/archive/sqlite-archive.js';
import type { StreamDetail } from '../../../src/model/call-detail.js';
import { decodeSlotEntry, encodeSlotEntry, type SlotEntry } from '../../../src/slots/slot-entry.js';
import { slotCacheKey } from '../../../src/slots/window-cache.js';

const SLOT_MS = 300_000;
const SLOT_START = 1_767_225_600_000;
const UPSTREAM = '["https://rtc.volcengineapi.com","1b4f0e9851971998"]';

function entryOf(userId: string, value: number): SlotEntry {
  const stream: StreamDetail = {
    userId,
    direction: 'up',
    peerId: null,
    metrics: [
      {
        name: 'AudioSendBitrate',
        description: 'audio bitrate',
        unit: 'kbps',
        times: Float64Array.from([SLOT_START, SLOT_START + 10_000]),
        values: Float64Array.from([value, value + 1]),
      },
    ],
  };
  return encodeSlotEntry([stream], SLOT_START, SLOT_START + SLOT_MS, SLOT_START, SLOT_START + SLOT_MS);
}

const keyOf = (userId: string, slotStartMs = SLOT_START) =>
  slotCacheKey({ appId: 'a', roomId: 'r', userId, direction: 'up', slotStartMs, slotMs: SLOT_MS });

let dir: string;
let lines: string[];
const open: SlotArchive[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'callq-archive-unit-'));
  lines = [];
});
afterEach(async () => {
  for (const archive of open.splice(0)) await archive.close();
  rmSync(dir, { recursive: true, force: true });
});

function archiveAt(backend: ArchiveBackend, upstream = UPSTREAM): SlotArchive {
  const archive = createSlotArchive({
    backend,
    upstream,
    now: () => SLOT_START + 8 * 86_400_000,
    log: (level, message) => lines.push(`${level}: ${message}`),
    readChunk: 2,
    retryMs: 0,
  });
  open.push(archive);
  return archive;
}

describe('the SQLite archive', () => {
  it('keeps whole slots across a reopen, per upstream identity, read in chunks', async () => {
    const path = join(dir, 'nested', 'archive.sqlite');
    const first = archiveAt(openSqliteArchive(path));
    first.putMany([
      [keyOf('u1'), entryOf('u1', 1)],
      [keyOf('u2'), entryOf('u2', 2)],
      [keyOf('u3'), entryOf('u3', 3)],
    ]);
    await first.close();
    open.splice(0);

    const reopened = archiveAt(openSqliteArchive(path));
    const keys = [keyOf('u1'), keyOf('u2'), keyOf('u3'), keyOf('u4'), 'not a slot key'];
    const found = await reopened.getMany(keys);
    expect([...found.keys()]).toEqual([keyOf('u1'), keyOf('u2'), keyOf('u3')]);
    expect(decodeSlotEntry(found.get(keyOf('u2')) as SlotEntry, 'u2', 'up')).toEqual(
      decodeSlotEntry(entryOf('u2', 2), 'u2', 'up'),
    );
    // Another account's gateway on the same file reads none of them.
    const other = archiveAt(openSqliteArchive(path), '["https://rtc.volcengineapi.com","ffffffffffffffff"]');
    expect((await other.getMany(keys)).size).toBe(0);
  });

  it('writes a slot once: a later write of the same key leaves the first', async () => {
    const archive = archiveAt(openSqliteArchive(join(dir, 'a.sqlite')));
    archive.putMany([[keyOf('u1'), entryOf('u1', 1)]]);
    await archive.flush();
    archive.putMany([[keyOf('u1'), entryOf('u1', 99)]]);
    await archive.flush();
    const found = await archive.getMany([keyOf('u1')]);
    expect(decodeSlotEntry(found.get(keyOf('u1')) as SlotEntry, 'u1', 'up')[0]?.metrics[0]?.values).toEqual(
      Float64Array.from([1, 2]),
    );
  });

  it('records its schema version, in WAL mode, and sweeps slots older than a bound', async () => {
    const path = join(dir, 'a.sqlite');
    const archive = archiveAt(openSqliteArchive(path));
    archive.putMany([
      [keyOf('u1', SLOT_START), entryOf('u1', 1)],
      [keyOf('u1', SLOT_START + SLOT_MS), entryOf('u1', 2)],
    ]);
    await archive.flush();
    expect(await archive.sweep(SLOT_START + SLOT_MS)).toBe(1);
    expect([
      ...(await archive.getMany([keyOf('u1', SLOT_START), keyOf('u1', SLOT_START + SLOT_MS)])).keys(),
    ]).toEqual([keyOf('u1', SLOT_START + SLOT_MS)]);
    expect(await archive.sizeBytes()).toBeGreaterThan(0);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: 2 }]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses a file of a newer schema at open', () => {
    const path = join(dir, 'newer.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (99)');
    db.close();
    expect(() => openSqliteArchive(path)).toThrow(/version 99, newer than this build's 2/);
  });
});

describe('a failing archive', () => {
  /** A database that fails while `failing` is set: the fault a broken disk or a stopped PostgreSQL gives. */
  function flakyBackend() {
    const state = { failing: false, reads: 0 };
    const inner = openSqliteArchive(join(dir, 'flaky.sqlite'));
    const fail = () => Promise.reject(new Error('disk I/O error'));
    const backend: ArchiveBackend = {
      ...inner,
      read: (upstream, keys) => {
        state.reads++;
        return state.failing ? fail() : inner.read(upstream, keys);
      },
      write: (upstream, rows, at) => (state.failing ? fail() : inner.write(upstream, rows, at)),
      sweep: (before, limit) => (state.failing ? fail() : inner.sweep(before, limit)),
      sizeBytes: () => (state.failing ? fail() : inner.sizeBytes()),
      close: () => inner.close(),
    };
    return { state, backend };
  }

  it('reads as misses while down, with one log line down and one back up', async () => {
    const { state, backend } = flakyBackend();
    const archive = archiveAt(backend);
    archive.putMany([[keyOf('u1'), entryOf('u1', 1)]]);
    await archive.flush();

    state.failing = true;
    expect((await archive.getMany([keyOf('u1')])).size).toBe(0);
    expect((await archive.getMany([keyOf('u1')])).size).toBe(0);
    archive.putMany([[keyOf('u2'), entryOf('u2', 2)]]);
    await archive.flush();
    expect(archive.healthy).toBe(false);
    expect(await archive.sizeBytes()).toBeNull();

    state.failing = false;
    expect((await archive.getMany([keyOf('u1'), keyOf('u2')])).size).toBe(1);
    expect(archive.healthy).toBe(true);
    expect(lines).toEqual([
      'warn: archive (sqlite) unavailable, serving from the upstream only: disk I/O error',
      'info: archive (sqlite) is available again',
    ]);
  });

  it('stops reading at the first failing chunk of a request', async () => {
    const { state, backend } = flakyBackend();
    const archive = archiveAt(backend);
    state.failing = true;
    await archive.getMany([keyOf('u1'), keyOf('u2'), keyOf('u3'), keyOf('u4'), keyOf('u5')]);
    expect(state.reads).toBe(1);
  });
});
