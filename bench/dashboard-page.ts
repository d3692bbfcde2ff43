/**
 * The dashboard page on loopback, in headless Chromium: its weight (compressed bytes on the wire of everything
 * it loads: the page, its modules and styles, uPlot, and the GraphQL answer it draws) and the time from
 * navigation to its first chart (the `callq:first-chart` mark charts.js sets).
 *
 * Run: node --import tsx bench/dashboard-page.ts
 */
import { existsSync } from 'node:fs';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { pastRange, startBenchGateway } from './bench-gateway.js';
import { environmentLine, markdownTable, median, writeSection } from './results-file.js';

const HEADING = '## Dashboard page';
const TARGET_KB = 300;
const ROUNDS = 5;
const USERS = ['alice', 'bob', 'host', 'guest-1'];
const CHROMIUM = '/usr/bin/chromium';

interface Load {
  readonly firstChartMs: number;
  readonly assetBytes: number;
  readonly dataBytes: number;
  readonly requests: number;
}

/** One navigation: what went over the wire (bodies as sent, compressed, and headers) and when a chart showed. */
async function load(page: Page, url: string): Promise<Load> {
  const responses: Array<Promise<{ data: boolean; bytes: number }>> = [];
  const onResponse = (response: import('playwright-core').Response) => {
    responses.push(
      response
        .request()
        .sizes()
        .then((sizes) => ({
          data: new URL(response.url()).pathname === '/graphql',
          bytes: sizes.responseBodySize + sizes.responseHeadersSize,
        })),
    );
  };
  page.on('response', onResponse);
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
  page.off('response', onResponse);
  const sizes = await Promise.all(responses);
  const firstChartMs = await page.evaluate(
    () => performance.getEntriesByName('callq:first-chart')[0]?.startTime ?? Number.NaN,
  );
  const sum = (data: boolean) => sizes.filter((size) => size.data === data).reduce((a, b) => a + b.bytes, 0);
  return { firstChartMs, assetBytes: sum(false), dataBytes: sum(true), requests: sizes.length };
}

function row(name: string, loads: readonly Load[]): string[] {
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const first = loads[0] as Load;
  return [
    name,
    `${median(loads.map((one) => one.firstChartMs)).toFixed(0)}`,
    kb(first.assetBytes),
    kb(first.dataBytes),
    `**${kb(first.assetBytes + first.dataBytes)}**`,
    String(first.requests),
  ];
}

if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
const startedAt = performance.now();
const bench = await startBenchGateway();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const { from, to } = pastRange(1, 10);
const view = new URLSearchParams({
  app: 'demo-app',
  room: 'demo-room',
  users: USERS.join(','),
  range: 'custom',
  from,
  to,
});
const url = new URL(`/?${view}`, bench.gateway.graphqlUrl).href;
const contexts: BrowserContext[] = [];
const fresh = async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  contexts.push(context);
  return context.newPage();
};

try {
  const cold = [await load(await fresh(), url)];
  const newBrowser: Load[] = [];
  for (let round = 0; round < ROUNDS; round++) newBrowser.push(await load(await fresh(), url));
  const cachedPage = await fresh();
  await load(cachedPage, url);
  const reloads: Load[] = [];
  for (let round = 0; round < ROUNDS; round++) reloads.push(await load(cachedPage, url));

  const weightKb = ((newBrowser[0]?.assetBytes ?? 0) + (newBrowser[0]?.dataBytes ?? 0)) / 1024;
  const met = weightKb <= TARGET_KB;
  writeSection(HEADING, [
    environmentLine('node --import tsx bench/dashboard-page.ts'),
    '',
    `The page at \`/\` in headless Chromium (1440 x 900) on loopback, showing the README tour's room: ${USERS.length} users ` +
      `(${USERS.join(', ')}), both directions, a past hour at full resolution (12 charts, a line per stream, the ` +
      'incidents and the ranking). Bytes are what went over the wire, headers included: every asset Brotli-compressed, ' +
      'the GraphQL answer too. Time to first chart is from navigation start to the first uPlot chart drawn ' +
      `(median of ${ROUNDS}, one run for the first row). Target: at most ${TARGET_KB} KB for a browser's first visit. ` +
      `Run time ${((performance.now() - startedAt) / 1000).toFixed(0)} s.`,
    '',
    markdownTable(
      ['load', 'time to first chart (ms)', 'assets KB', 'GraphQL answer KB', 'page weight KB', 'requests'],
      [
        row('first visit, gateway just started (assets compressed, data fetched upstream)', cold),
        row('first visit of a new browser, gateway warm', newBrowser),
        row('reload: assets cached as immutable, page revalidated (304)', reloads),
      ],
    ),
    '',
    met
      ? `Target met: ${weightKb.toFixed(1)} KB.`
      : `**Target missed**: ${weightKb.toFixed(1)} KB, more than ${TARGET_KB} KB.`,
  ]);
  if (!met) process.exitCode = 1;
} finally {
  for (const context of contexts) await context.close();
  await browser.close();
  await bench.close();
}
