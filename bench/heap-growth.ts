/**
 * What a structure holds in memory, measured the way the cache's byte bound is meant: heapUsed + arrayBuffers
 * (the typed arrays' numbers live outside the heap), before and after building it, each time after the garbage
 * is really gone. Needs `node --expose-gc`.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Several full collections, with pauses: V8 frees array-buffer backing stores on a background thread. */
async function settledBytes(): Promise<number> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let round = 0; round < 6; round += 1) {
    gc();
    await sleep(20);
  }
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * The bytes `build`'s result holds, and what `summarize` reads of it. The result itself is not handed back: a
 * suspended async caller keeps what it once held reachable, and a previous result still alive when the next
 * measurement starts but freed during it would be subtracted from that one.
 */
export async function heapGrowth<T, S>(
  build: () => T,
  summarize: (value: T) => S,
): Promise<{ bytes: number; summary: S }> {
  const before = await settledBytes();
  const value = build();
  const after = await settledBytes();
  return { bytes: after - before, summary: summarize(value) };
}
