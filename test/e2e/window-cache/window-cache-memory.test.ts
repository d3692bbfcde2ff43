/**
 * CACHE_MAX_MB is real memory: what the window cache counts against its byte bound is what its entries, keys and
 * lru-cache's bookkeeping take on the heap, within 0.8..1.3, for entries with data and for empty slots, short
 * and long user ids, 60 s and the default 300 s slots; and with the default slots the compact entries
 * (slot-encoding.ts) keep a point in at most 12 bytes, key and bookkeeping included; fed five times what it
 * holds, it keeps no more than that. Measured in a child process of its own (window-cache-memory-probe.ts, with
 * --expose-gc), where nothing else allocates.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MemoryCase } from '../../helpers/window-cache-memory-probe.js';

const PROBE = fileURLToPath(new URL('../../helpers/window-cache-memory-probe.ts', import.meta.url));
// About 25 s of CPU; on 2 cores shared with other work, a few times that in wall time.
const PROBE_TIMEOUT_MS = 150_000;
const MIN_RATIO = 0.8;
const MAX_RATIO = 1.3;
const MAX_BYTES_PER_POINT = 12;
const CASES = [
  ...['data', 'empty'].flatMap((kind) =>
    [8, 128].flatMap((idLength) =>
      [60, 300].map((slotS) => `${kind}, ${idLength}-char user ids, ${slotS} s slots`),
    ),
  ),
  // No two entries share the texts of one answer: only their interning keeps each entry from its own copy.
  'data, 8-char user ids, 300 s slots, one call per user and slot',
  // Entries evicted leave nothing behind: not their keys in the index of settled slots either.
  'empty, 8-char user ids, 60 s slots, 5 times what the cache holds',
];

const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(1);

describe('window cache memory, measured in a child process', () => {
  const measured = new Map<string, MemoryCase>();

  beforeAll(async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', PROBE],
      {
        timeout: PROBE_TIMEOUT_MS,
      },
    );
    for (const line of stdout.trim().split('\n')) {
      const figures = JSON.parse(line) as MemoryCase;
      measured.set(figures.name, figures);
      console.info(
        `${figures.name}: ${figures.entries} entries, accounted ${mib(figures.accountedBytes)} MiB, heap + ` +
          `arrayBuffers grew ${mib(figures.measuredBytes)} MiB, ratio ` +
          (figures.measuredBytes / figures.accountedBytes).toFixed(2) +
          (figures.points > 0 ? `, ${(figures.measuredBytes / figures.points).toFixed(1)} B/point` : ''),
      );
    }
  }, PROBE_TIMEOUT_MS);

  it.each(CASES)(`counts what the entries weigh within ${MIN_RATIO}..${MAX_RATIO}: %s`, (name) => {
    const figures = measured.get(name);
    expect(figures, `the probe measured "${name}"`).toBeDefined();
    if (!figures) return;
    // Several MiB accounted (compact entries of 300 s slots make only a few), or noise could pass for a ratio.
    expect(figures.accountedBytes).toBeGreaterThan(3 * 1024 ** 2);
    const ratio = figures.measuredBytes / figures.accountedBytes;
    expect(ratio).toBeGreaterThanOrEqual(MIN_RATIO);
    expect(ratio).toBeLessThanOrEqual(MAX_RATIO);
  });

  it.each(CASES.filter((name) => name.startsWith('data') && name.includes('300 s')))(
    `keeps a point in at most ${MAX_BYTES_PER_POINT} bytes with the default slots: %s`,
    (name) => {
      const figures = measured.get(name);
      expect(figures, `the probe measured "${name}"`).toBeDefined();
      if (!figures) return;
      expect(figures.points).toBeGreaterThan(100_000);
      expect(figures.measuredBytes / figures.points).toBeLessThanOrEqual(MAX_BYTES_PER_POINT);
    },
  );
});
