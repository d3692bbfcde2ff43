/**
 * The gateway as a real process, started as `npm start` starts it (node + tsx on src/main.ts), for tests
 * that need several replicas or the process's own startup and shutdown; or as `npm start` itself, for the
 * signals a terminal or systemd delivers to the whole process group.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface GatewayProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>;
  stop(): Promise<number | null>;
}

/** `nodeOptions`: flags for node itself, e.g. a heap limit. */
export function spawnGateway(env: Record<string, string>, nodeOptions: readonly string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeOptions, '--import', 'tsx', 'src/main.ts'], {
    // An archive is a test's own choice, in its own temp dir: never ./data.
    env: { PATH: process.env.PATH ?? '', PORT: '0', ARCHIVE_URL: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * `npm start` itself: npm, the shell it runs the script in, and whatever the script starts, leading their
 * own process group, so that `process.kill(-child.pid, signal)` reaches every process of the chain as
 * Ctrl-C or systemd's KillMode=control-group does.
 */
export function spawnNpmStart(env: Record<string, string>): ChildProcess {
  return spawn('npm', ['start'], {
    // No update check: it would reach for the registry and print into the output the test reads.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      npm_config_update_notifier: 'false',
      PORT: '0',
      ARCHIVE_URL: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
}

export async function startGatewayProcess(
  env: Record<string, string>,
  spawnProcess: (env: Record<string, string>) => ChildProcess = spawnGateway,
): Promise<GatewayProcess> {
  const child = spawnProcess(env);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${output}`)));
  });
  return {
    url,
    child,
    output: () => output,
    async query(query, variables) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as never;
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}
