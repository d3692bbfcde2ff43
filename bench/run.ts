/**
 * `npm run bench`: every benchmark in sequence, each in its own Node process (so one's heap, JIT state and
 * core pinning cannot skew the next), each writing its own section of bench/RESULTS.md. A missed target does
 * not stop the others; the run exits non-zero if any benchmark did.
 *
 * Run: node --import tsx bench/run.ts
 */
import { spawnSync } from 'node:child_process';

const BENCHMARKS: ReadonlyArray<{ file: string; nodeArgs: readonly string[] }> = [
  { file: 'bench/cache-memory.ts', nodeArgs: ['--expose-gc'] },
  { file: 'bench/archive-bytes.ts', nodeArgs: [] },
  { file: 'bench/upstream-efficiency.ts', nodeArgs: [] },
  { file: 'bench/cold-query.ts', nodeArgs: [] },
  { file: 'bench/live-room.ts', nodeArgs: [] },
  { file: 'bench/live-subscribers.ts', nodeArgs: [] },
  { file: 'bench/cache-hit-throughput.ts', nodeArgs: [] },
  { file: 'bench/live-dashboard.ts', nodeArgs: [] },
  { file: 'bench/compression.ts', nodeArgs: [] },
  { file: 'bench/incident-detection.ts', nodeArgs: [] },
  { file: 'bench/dashboard-page.ts', nodeArgs: [] },
  { file: 'bench/archive-read.ts', nodeArgs: [] },
];
// The whole run takes about two minutes on 2 cores; one benchmark hanging must not hold it open.
const BENCHMARK_TIMEOUT_MS = 120_000;

const failed: string[] = [];
const startedAt = performance.now();
for (const { file, nodeArgs } of BENCHMARKS) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, [...nodeArgs, '--import', 'tsx', file], {
    stdio: 'inherit',
    timeout: BENCHMARK_TIMEOUT_MS,
  });
  if (result.status !== 0) failed.push(`${file} (${result.signal ?? `exit ${result.status}`})`);
}
console.log(`\nall benchmarks: ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);
if (failed.length > 0) {
  console.log(`missed a target or failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
