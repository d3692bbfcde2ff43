import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { type GatewayProcess, spawnGateway, startGatewayProcess } from '../helpers/gateway-process.js';

let gateway: GatewayProcess | undefined;
afterEach(async () => {
  gateway?.child.kill('SIGKILL');
  gateway = undefined;
});

describe('npm start', () => {
  it('runs on the embedded simulator without credentials, serves data, and stops cleanly on SIGTERM', async () => {
    gateway = await startGatewayProcess({});
    expect(gateway.output()).toContain('SIMULATED');

    const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('query RoomQuality');
    expect(html).not.toMatch(/https?:\/\/(unpkg|cdn)/);

    const toMs = Date.now() - 600_000;
    const body = await gateway.query<{ callQuality: Array<{ streams: unknown[] }> }>(
      `{ callQuality(appId: "a", roomId: "r", userIds: ["alice"], from: "${new Date(toMs - 600_000).toISOString()}",
          to: "${new Date(toMs).toISOString()}") { streams { metrics { name } } } }`,
    );
    expect(body.data?.callQuality[0]?.streams.length).toBeGreaterThan(0);

    expect(await gateway.stop()).toBe(0);
  });

  it('turns GraphiQL off with GRAPHIQL=false', async () => {
    gateway = await startGatewayProcess({ GRAPHIQL: 'false' });
    const page = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('RoomQuality');
  });

  it('refuses to start on invalid configuration, naming every bad variable', async () => {
    const child = spawnGateway({ PORT: 'x', VOLC_ACCESSKEY: 'AK' });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('VOLC_SECRETKEY');
  });

  it('says in one line, without a stack trace, when its port is taken', async () => {
    gateway = await startGatewayProcess({});
    const port = new URL(gateway.url).port;
    const second = spawnGateway({ PORT: port });
    let stderr = '';
    second.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(second, 'exit');
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `callq could not start on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}`,
    );
  });
});
