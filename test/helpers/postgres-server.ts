/**
 * A real PostgreSQL for tests: a cluster of its own in a temp dir (initdb), a postgres server on a free loopback
 * port, started and stopped by the test itself (and restartable on the same port and data, to test an outage).
 * initdb and postgres refuse to run as root, as CI runs: then they run as the `postgres` user the Debian package
 * creates. Where PostgreSQL is not installed the tests are skipped with a visible message, except in CI, where
 * .ci/run installs it and a missing server is a failure.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';

function findBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => existsSync(join(root, name, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(root, versions[0], 'bin');
}

export const POSTGRES_BIN = findBin();

/** Use as `describe.skipIf(!postgresAvailable())`: false (with a message) only outside CI. */
export function postgresAvailable(): boolean {
  if (POSTGRES_BIN !== null) return true;
  if (process.env.CI)
    throw new Error('PostgreSQL is not installed; .ci/run must install it (apt-get install postgresql)');
  console.warn(
    'PostgreSQL not found: skipping the PostgreSQL tests (apt-get install postgresql to run them)',
  );
  return false;
}

/** Who runs the server: this process, or the `postgres` user when this process is root. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

export interface TestPostgres {
  readonly url: string;
  stop(): Promise<void>;
  /** Starts again on the same port and data directory. */
  start(): Promise<void>;
  /** Stops the server and deletes its cluster. */
  destroy(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  if (POSTGRES_BIN === null) throw new Error('PostgreSQL is not installed');
  const bin = POSTGRES_BIN;
  const user = runAs();
  const dir = mkdtempSync(join(tmpdir(), 'callq-postgres-'));
  const data = join(dir, 'data');
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
  }
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'callq', '--auth=trust', '--no-sync', '-E', 'UTF8'], {
    stdio: 'ignore',
    ...user,
  });
  const port = await freePort();
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    const proc = spawn(
      join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=off'],
      { stdio: ['ignore', 'pipe', 'pipe'], ...user },
    );
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`postgres did not start:\n${output}`)), 20_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`postgres exited with ${code}:\n${output}`));
      });
    });
  }

  async function stop(): Promise<void> {
    const proc = child;
    child = null;
    if (proc === null || proc.exitCode !== null) return;
    // Immediate shutdown: what an outage looks like to clients (connections cut, nothing waited for).
    proc.kill('SIGQUIT');
    await once(proc, 'exit');
  }

  await start();
  return {
    url: `postgres://callq@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
