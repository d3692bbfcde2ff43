import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { callQuery, HOUR_MS, rfc3339, signedGet } from '../../helpers/signed-get.js';

let child: ChildProcess | undefined;

afterEach(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
});

/** Starts `npm run simulator`'s entry point on a free port and resolves with what it printed first. */
async function startMain(): Promise<{ url: string; output: () => string }> {
  const started = spawn(process.execPath, ['--import', 'tsx', 'src/simulator/main.ts'], {
    cwd: new URL('../../..', import.meta.url),
    env: {
      ...process.env,
      SIMULATOR_PORT: '0',
      SIMULATOR_HOST: '127.0.0.1',
      SIMULATOR_ACCESS_KEY: 'AKMAINTEST',
      SIMULATOR_SECRET_KEY: 'SKMAINTEST',
      SIMULATOR_SAMPLE_INTERVAL_MS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  let output = '';
  started.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  started.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const deadline = Date.now() + 20_000;
  while (!/gateway: /.test(output)) {
    if (started.exitCode !== null || Date.now() > deadline)
      throw new Error(`simulator did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const url = /listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
  return { url, output: () => output };
}

describe('npm run simulator', () => {
  it('serves signed calls with the configured key pair and stops cleanly on SIGTERM', async () => {
    const { url, output } = await startMain();
    expect(output()).toContain('access key AKMAINTEST, secret key SKMAINTEST');

    const nowMs = Date.now();
    const answer = await signedGet(
      url,
      callQuery({ StartTime: rfc3339(nowMs - 2 * HOUR_MS), EndTime: rfc3339(nowMs - HOUR_MS) }),
      { credentials: { accessKeyId: 'AKMAINTEST', secretAccessKey: 'SKMAINTEST' }, signedAt: nowMs },
    );
    expect(answer.status).toBe(200);

    const exited = once(child as ChildProcess, 'exit');
    child?.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(output()).toContain('SIGTERM: stopping');
  });
});
