import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Node resolves `graphql` to its CommonJS build (Pothos and Yoga get that one); Vite would pick the .mjs
    // build for our sources, and two copies of graphql refuse to share a schema. Both projects extend this.
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
  },
  test: {
    // End-to-end tests bind loopback ports and wait on real rate limits; a shared 2-core machine needs headroom.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The JSON report is what .ci/run counts, so a run that executed no test can never look green. One report
    // for the whole run, whichever projects it ran.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
    projects: [
      // In process: no socket, no child process, no Redis, no browser (npm run test:unit).
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // One module graph for all unit files, so Yoga, Pothos and the schema load once rather than once per
          // file (half the project's time). Safe while unit tests leave no state behind: no vi.mock, and fake
          // timers restored after each test.
          isolate: false,
        },
      },
      // Over real loopback HTTP, to the simulator or a fake, and with Redis, Chromium or child processes.
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'] } },
    ],
  },
});
