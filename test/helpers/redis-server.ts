/**
 * A real redis-server for tests, on a free loopback port, started and stopped by the test itself (and
 * restartable on the same port, to test recovery). Where redis-server is not installed the Redis tests are
 * skipped with a visible message, except in CI, where .ci/run installs it and a missing server is a failure.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './free-port.js';

function findRedisServer(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export const REDIS_SERVER = findRedisServer();

/** Use as `describe.skipIf(!redisAvailable())`: false (with a message) only outside CI. */
export function redisAvailable(): boolean {
  if (REDIS_SERVER !== null) return true;
  if (process.env.CI)
    throw new Error('redis-server is not installed; .ci/run must install it (apt-get install redis-server)');
  console.warn('redis-server not found: skipping the Redis tests (apt-get install redis-server to run them)');
  return false;
}

export interface TestRedis {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  /** Starts again on the same port (empty: no persistence). */
  start(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  if (REDIS_SERVER === null) throw new Error('redis-server is not installed');
  const server = REDIS_SERVER;
  const port = await freePort();
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    const proc = spawn(
      server,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
      proc.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${output}`));
      });
    });
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = null;
    if (proc === null || proc.exitCode !== null) return;
    proc.kill('SIGKILL');
    await once(proc, 'exit');
  }

  await start();
  return { url: `redis://127.0.0.1:${port}`, port, stop, start };
}
