import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startArchiveSweep } from '../../../src/archive/archive-sweep.js';
import { createSlotArchive } from '../../../src/archive/slot-archive.js';
import { openSqliteArchive } from '../../../src/archive/sqlite-archive.js';
import { EMPTY_SLOT_ENTRY } from '../../../src/slots/slot-entry.js';
import { slotCacheKey } from '../../../src/slots/window-cache.js';

const DAY_MS = 86_400_000;
const SLOT_MS = 300_000;
const NOW = 1_767_225_600_000;

const keyAt = (slotStartMs: number) =>
  slotCacheKey({ appId: 'a', roomId: 'r', userId: 'u1', direction: 'up', slotStartMs, slotMs: SLOT_MS });

const dir = mkdtempSync(join(tmpdir(), 'callq-sweep-'));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the archive sweep', () => {
  it('deletes, at start, the slots that start before the archive retention and keeps the rest', async () => {
    const archive = createSlotArchive({
      backend: openSqliteArchive(join(dir, 'sweep.sqlite')),
      upstream: 'u',
      now: () => NOW,
      log: () => {},
    });
    // 3 000 old slots: more than one batch of the sweep.
    const old = Array.from({ length: 3_000 }, (_, index) => keyAt(NOW - 120 * DAY_MS + index * SLOT_MS));
    const kept = [keyAt(NOW - 89 * DAY_MS), keyAt(NOW - DAY_MS)];
    archive.putMany([...old, ...kept].map((key) => [key, EMPTY_SLOT_ENTRY] as const));
    await archive.flush();

    const swept: number[] = [];
    const sweep = startArchiveSweep({
      archive,
      retentionMs: 90 * DAY_MS,
      now: () => NOW,
      onSwept: (deleted) => swept.push(deleted),
    });
    await expect.poll(() => swept).toEqual([3_000]);
    sweep.stop();
    expect([...(await archive.getMany([...old.slice(0, 5), ...kept])).keys()]).toEqual(kept);
    await archive.close();
  });
});
