import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

/** Starts the gateway as `npm start` does and waits for the line that says where GraphQL is. */
async function start(env: Record<string, string>): Promise<{ url: string; output: () => string }> {
  child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    child?.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child?.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${output}`)));
  });
  return { url, output: () => output };
}

describe('npm start', () => {
  it('runs on the embedded simulator without credentials, serves data, and stops cleanly on SIGTERM', async () => {
    const gateway = await start({});
    expect(gateway.output()).toContain('SIMULATED');

    const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('query RoomQuality');
    expect(html).not.toMatch(/https?:\/\/(unpkg|cdn)/);

    const toMs = Date.now() - 600_000;
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ callQuality(appId: "a", roomId: "r", userIds: ["alice"], from: "${new Date(toMs - 600_000).toISOString()}",
          to: "${new Date(toMs).toISOString()}") { streams { metrics { name } } } }`,
      }),
    });
    const body = (await response.json()) as { data: { callQuality: Array<{ streams: unknown[] }> } };
    expect(body.data.callQuality[0]?.streams.length).toBeGreaterThan(0);

    child?.kill('SIGTERM');
    const [code] = await once(child as ChildProcess, 'exit');
    expect(code).toBe(0);
  });

  it('turns GraphiQL off with GRAPHIQL=false', async () => {
    const gateway = await start({ GRAPHIQL: 'false' });
    const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('RoomQuality');
  });

  it('refuses to start on invalid configuration, naming every bad variable', async () => {
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { PATH: process.env.PATH ?? '', PORT: 'x', VOLC_ACCESSKEY: 'AK' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('VOLC_SECRETKEY');
  });
});
