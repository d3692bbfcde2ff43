/**
 * What the archive's end-to-end tests stand on: a simulator on a clock moved by hand, with coarse samples (the
 * tests are about where data comes from, not how much of it there is), and a temporary folder for the archive
 * file. Made before each test; after it, the gateway the test started is closed and the folder removed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { type Simulator, startSimulator } from '../../src/simulator/simulator.js';
import { type ManualClock, manualClock } from './manual-clock.js';
import { TEST_CREDENTIALS, type TestGateway } from './test-gateway.js';

export interface ArchiveTestbed {
  readonly dir: string;
  readonly clock: ManualClock;
  readonly simulator: Simulator;
  /** The gateway the test runs; set it, and it is closed after the test. */
  gateway: TestGateway | undefined;
}

export function useArchiveTestbed(folderPrefix: string): ArchiveTestbed {
  const bed = { gateway: undefined } as { -readonly [K in keyof ArchiveTestbed]: ArchiveTestbed[K] };
  beforeEach(async () => {
    bed.dir = await mkdtemp(join(tmpdir(), folderPrefix));
    bed.clock = manualClock(Date.now());
    bed.simulator = await startSimulator({
      credentials: TEST_CREDENTIALS,
      now: bed.clock.now,
      sampleIntervalMs: 60_000,
    });
  });
  afterEach(async () => {
    await bed.gateway?.close();
    bed.gateway = undefined;
    await bed.simulator.close();
    await rm(bed.dir, { recursive: true, force: true });
  });
  return bed;
}
