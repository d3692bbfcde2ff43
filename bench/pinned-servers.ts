/**
 * Servers under load as child processes, pinned to core 0 while the load generator (this process) runs on
 * core 1 (taskset, when there are two cores), so the two do not compete: shared by the benchmarks that compare
 * the gateway with a raw node:http server answering the same bytes.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';

// A child that does not come up in this time is broken; the run must end rather than hang.
const START_TIMEOUT_MS = 20_000;

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const pinning = availableParallelism() >= 2 && hasTaskset();

/** Moves this process (the load generator) to core 1 when pinning. */
export function pinLoadGenerator(): void {
  if (pinning) execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
}

/**
 * A child process on core 0 (when pinning), or on `core`, its first stdout line matching `pattern` awaited.
 */
export async function startChild(args: readonly string[], env: NodeJS.ProcessEnv, pattern: RegExp, core = 0) {
  const [command, ...rest] = pinning
    ? ['taskset', '-c', String(core), process.execPath, ...args]
    : [process.execPath, ...args];
  const child = spawn(command as string, rest, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const started = new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start`)), START_TIMEOUT_MS);
    lines.on('line', (line) => {
      const found = pattern.exec(line);
      if (found === null) return;
      clearTimeout(timer);
      resolve(found);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code}`));
    });
  });
  try {
    return { child, match: await started };
  } catch (error) {
    // Not yet in the caller's list of children to stop: a child that never came up must not outlive the run.
    child.kill('SIGKILL');
    throw error;
  }
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** autocannon's latency histogram tracks at most 10 s; a value there only says "10 s or more". */
const LATENCY_CAP_MS = 10_000;
export const latency = (ms: number) =>
  ms >= LATENCY_CAP_MS ? `>= ${LATENCY_CAP_MS} ms (tool cap)` : `${ms} ms`;
