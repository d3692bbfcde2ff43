/**
 * Opens the gateway's dashboard in Chromium with every host but 127.0.0.1 refused, and records what was refused:
 * the page must work on a machine without internet access, so a test asserts the list stays empty.
 */
import type { Browser, Page } from 'playwright-core';

export interface DashboardPage {
  readonly page: Page;
  /** Every URL the page tried to load from another host (each refused), and any uncaught page error. */
  readonly outside: string[];
  /** The browser console's errors, Content-Security-Policy violations among them. */
  readonly consoleErrors: string[];
  /** What the page's own debug hook (window.__callq) says: 'loading', 'ready', 'live', 'error', ... */
  state(): Promise<string>;
  /** Waits until the page is in one of these states. */
  waitForState(...states: string[]): Promise<void>;
}

export interface DrawnChart {
  readonly metric: string;
  readonly labels: string[];
  /** Each line's colour and dash, as uPlot strokes it. */
  readonly styles: string[];
  /** uPlot's data: x in seconds, then one column per line (null where the line has no point). */
  readonly data: Array<Array<number | null>>;
}

export async function openDashboard(
  browser: Browser,
  graphqlUrl: string,
  search: string,
  options: { colorScheme?: 'light' | 'dark'; timezoneId?: string } = {},
): Promise<DashboardPage> {
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    timezoneId: options.timezoneId ?? 'UTC',
    locale: 'en-US',
  });
  const page = await context.newPage();
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    outside.push(url.href);
    return route.abort('blockedbyclient');
  });
  page.on('pageerror', (error) => outside.push(`page error: ${error.message}`));
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  await page.goto(new URL(`/${search}`, graphqlUrl).href);
  const state = () => page.evaluate(() => document.body.dataset.state ?? '');
  return {
    page,
    outside,
    consoleErrors,
    state,
    async waitForState(...states) {
      await page.waitForFunction((wanted) => wanted.includes(document.body.dataset.state ?? ''), states, {
        timeout: 20_000,
      });
    },
  };
}

/** What the page's charts draw, read from its uPlot instances. */
export function drawnCharts(page: Page): Promise<DrawnChart[]> {
  return page.evaluate(() => (window as unknown as { __callq: { charts(): DrawnChart[] } }).__callq.charts());
}

/** One line of a drawn chart as (unix ms, value) pairs, its gaps left out. */
export function drawnLine(chart: DrawnChart, label: string): { times: number[]; values: number[] } {
  const column = chart.data[chart.labels.indexOf(label) + 1] ?? [];
  const times: number[] = [];
  const values: number[] = [];
  column.forEach((value, i) => {
    if (value === null) return;
    times.push(Math.round((chart.data[0]?.[i] ?? Number.NaN) * 1000));
    values.push(value);
  });
  return { times, values };
}
