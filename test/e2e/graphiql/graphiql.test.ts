/**
 * GraphiQL in a real browser with every outside origin blocked: the page, its editor and the example query must
 * work on a machine without internet access, since "npm start, open GraphiQL" is how people first try callq.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphiqlExampleQuery } from '../../../src/http/graphiql-example.js';
import { launchChromium } from '../../helpers/chromium.js';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

// Monaco renders only the lines in view; a tall window keeps the first metric name (line ~53) visible.
const VIEWPORT = { width: 1280, height: 2400 };

let harness: TestGateway | undefined;
let browser: Browser | undefined;
const contexts: BrowserContext[] = [];
const blocked: string[] = [];

/** A fresh browser profile (its own storage, where GraphiQL keeps the last query) that can reach only the gateway. */
async function offlineContext(): Promise<BrowserContext> {
  if (!harness || !browser) throw new Error('beforeAll did not start the gateway and browser');
  const context = await browser.newContext({ viewport: VIEWPORT });
  contexts.push(context);
  const gatewayOrigin = new URL(harness.gateway.graphqlUrl).origin;
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === gatewayOrigin) {
      await route.continue();
      return;
    }
    blocked.push(url);
    await route.abort('internetdisconnected');
  });
  return context;
}

/** The query editor's text as a user reads it (Monaco draws spaces as no-break spaces). */
async function editorText(page: Page): Promise<string> {
  const queryEditor = page.locator('.graphiql-query-editor .view-lines');
  await queryEditor.filter({ hasText: 'query RoomQuality' }).waitFor();
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, one line per row, is what a user reads.
  return (await queryEditor.innerText()).replace(/\u00a0/g, ' ');
}

/** Runs one of the example's operations: with several in the editor, the run button asks which. */
async function runOperation(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: /Execute query/ }).click();
  await page.getByRole('menuitem', { name }).click();
}

/** The result pane's text once it shows `pattern`. */
async function resultText(page: Page, pattern: RegExp): Promise<string> {
  const resultPane = page.locator('.graphiql-response .view-lines');
  await resultPane.filter({ hasText: pattern }).waitFor();
  // Monaco draws spaces as no-break spaces.
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, one line per row, is what a user reads.
  return (await resultPane.innerText()).replace(/\u00a0/g, ' ');
}

beforeAll(async () => {
  harness = await startTestGateway();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await harness?.close();
});

describe('GraphiQL', () => {
  // Loading the ~9 MB page with its inlined assets takes 5-10 s on a busy 2-core machine.
  it('runs the example query with no request leaving the gateway origin', { timeout: 60_000 }, async () => {
    if (!harness) throw new Error('beforeAll did not start the gateway');
    const page = await (await offlineContext()).newPage();
    await page.goto(harness.gateway.graphqlUrl);
    await editorText(page);

    const execution = page.waitForResponse(
      (response) =>
        response.request().method() === 'POST' && /RoomQuality/.test(response.request().postData() ?? ''),
    );
    await runOperation(page, 'RoomQuality');
    const executed = (await (await execution).json()) as { data?: unknown; errors?: unknown };

    const shown = await resultText(page, /"(data|errors)"/);

    const evidence = `blocked outside requests: ${JSON.stringify(blocked)}\nresult pane:\n${shown.slice(0, 2000)}`;
    expect(shown, evidence).toContain('"callQuality"');
    expect(shown, evidence).toMatch(/"userId":\s*"alice"/);
    expect(shown, evidence).toMatch(/"name":\s*"Rtt"/);
    expect(shown, evidence).not.toContain('"errors"');
    expect(executed.errors, evidence).toBeUndefined();
    expect(harness.simulator.calls.length).toBeGreaterThan(0);
    // The page worked with everything else blocked; it also tries nothing else today, and any new outside request
    // (a font, a CDN script, telemetry) would stall or leak on an offline machine, so it fails here to be noticed.
    expect(blocked).toEqual([]);
  });

  it('runs the example subscription over SSE: the first window shows', { timeout: 60_000 }, async () => {
    if (!harness) throw new Error('beforeAll did not start the gateway');
    const page = await (await offlineContext()).newPage();
    await page.goto(harness.gateway.graphqlUrl);
    await editorText(page);

    const subscribed = page.waitForResponse((response) =>
      /LiveRoom/.test(response.request().url() + (response.request().postData() ?? '')),
    );
    await runOperation(page, 'LiveRoom');
    const response = await subscribed;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(/^text\/event-stream/);
    const shown = await resultText(page, /"liveCallQuality"/);
    const evidence = `blocked outside requests: ${JSON.stringify(blocked)}\nresult pane:\n${shown.slice(0, 2000)}`;
    expect(shown, evidence).toMatch(/"initial":\s*true/);
    expect(shown, evidence).toMatch(/"userId":\s*"alice"/);
    expect(shown, evidence).not.toContain('"errors"');
    expect(harness.gateway.live.stats().subscriptions).toBe(1);
    // The run button stops a running subscription; the gateway sees its client leave.
    await page.getByRole('button', { name: /Stop query/ }).click();
    await expect.poll(() => harness?.gateway.live.stats().subscriptions).toBe(0);
  });

  // The page is built once per process; a range fixed then would leave the retention after six days of uptime.
  it("dates the example from the browser's clock, not from when the page was built", {
    timeout: 60_000,
  }, async () => {
    if (!harness) throw new Error('beforeAll did not start the gateway');
    const context = await offlineContext();
    // Two days back: still inside the retention, and far from any range the server's clock would give.
    const browserNow = Date.now() - 2 * 24 * 3_600_000;
    await context.clock.setFixedTime(browserNow);
    const page = await context.newPage();
    await page.goto(harness.gateway.graphqlUrl);

    const shown = await editorText(page);
    const range = /from: "[^"]+"\s+to: "[^"]+"/;
    const expected = range.exec(graphiqlExampleQuery(browserNow))?.[0].replace(/\s+/g, ' ');
    expect(expected).toBeDefined();
    expect(range.exec(shown)?.[0].replace(/\s+/g, ' '), shown).toBe(expected);
  });
});
