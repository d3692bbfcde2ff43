/**
 * A newcomer's first browser app, in a real browser: a page served from another loopback origin (their dev
 * server) fetches a chart frame and callQuality from a gateway on the embedded simulator with default settings,
 * and shows them. The browser asks for a compressed answer, as browsers do, and decodes it itself.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { type RunningGateway, startGateway } from '../../../src/gateway.js';
import { launchChromium } from '../../helpers/chromium.js';
import { pastRange } from '../../helpers/test-gateway.js';

const QUERY = `query ($app: ID!, $room: ID!, $users: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: $app, roomId: $room, userIds: $users, from: $from, to: $to) {
    userId final streams { direction peerId metrics(names: ["Rtt"]) { name summary { avg max } } }
  }
  frame(appId: $app, roomId: $room, userIds: $users, metric: "Rtt", from: $from, to: $to, maxDataPoints: 60) {
    unit times columns { userId direction peerId values }
  }
}`;

/** What a dev server's page would do: one JSON POST to the gateway, the answer written into the page. */
function pageHtml(graphqlUrl: string, variables: Record<string, unknown>): string {
  const request = JSON.stringify({ query: QUERY, variables }).replace(/</g, '\\u003c');
  return `<!doctype html><html><body><pre id="result">loading</pre><script>
fetch(${JSON.stringify(graphqlUrl)}, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: ${JSON.stringify(request)},
})
  .then((response) => response.text())
  .then((text) => { document.getElementById('result').textContent = text; })
  .catch((error) => { document.getElementById('result').textContent = 'failed: ' + error; });
</script></body></html>`;
}

let gateway: RunningGateway | undefined;
let devServer: Server | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  gateway = await startGateway(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }));
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (devServer ? devServer.close(resolve) : resolve(undefined)));
  await gateway?.close();
});

describe('a page from a local dev server', () => {
  it('reads a frame and callQuality from the simulator with default settings', {
    timeout: 60_000,
  }, async () => {
    if (!gateway || !browser) throw new Error('beforeAll did not start the gateway and browser');
    const { from, to } = pastRange(1);
    const variables = { app: 'demo-app', room: 'demo-room', users: ['alice', 'bob'], from, to };
    const html = pageHtml(gateway.graphqlUrl, variables);
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(html);
    });
    devServer = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const pageUrl = `http://localhost:${(server.address() as AddressInfo).port}/`;
    expect(new URL(pageUrl).origin).not.toBe(new URL(gateway.graphqlUrl).origin);

    const page = await browser.newPage();
    const answer = page.waitForResponse((response) => response.url() === gateway?.graphqlUrl);
    await page.goto(pageUrl);
    expect((await answer).headers()['content-encoding']).toMatch(/^(gzip|br)$/);
    const result = page.locator('#result');
    await result.filter({ hasNotText: 'loading' }).waitFor();
    const shown = (await result.textContent()) ?? '';

    const direct = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables }),
    });
    const expected = (await direct.json()) as {
      data?: { callQuality: unknown[]; frame: { times: number[]; columns: { userId: string }[] } };
      errors?: unknown;
    };
    expect(expected.errors).toBeUndefined();
    expect(expected.data?.callQuality).toHaveLength(2);
    // An hour at 60 data points: one-minute buckets, a column per stream of both users.
    expect(expected.data?.frame.times).toHaveLength(60);
    expect(new Set(expected.data?.frame.columns.map((column) => column.userId))).toEqual(
      new Set(['alice', 'bob']),
    );
    expect(JSON.stringify(expected)).toContain('"name":"Rtt"');
    expect(JSON.parse(shown.startsWith('{') ? shown : 'null'), shown.slice(0, 500)).toEqual(expected);
  });
});
