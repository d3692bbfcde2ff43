/**
 * The dashboard at `/`, in headless Chromium against a gateway on the simulator, with every outside host
 * refused: what it draws and lists is what the public API answers for the same view. The clock is pinned, so
 * the room's data (its RTT spikes, loss bursts and stalls) is the same on every run.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/chromium.js';
import { drawnCharts, drawnLine, openDashboard } from '../../helpers/dashboard-page.js';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const NOW_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
const ROOM = { appId: 'demo-app', roomId: 'demo-room' };
const USERS = ['alice', 'bob'];
const VIEW = `?app=demo-app&room=demo-room&users=${USERS.join(',')}&range=15m`;

interface ApiStream {
  direction: 'UP' | 'DOWN';
  peerId: string | null;
  metrics: Array<{ name: string; unit: string; series: { times: number[]; values: number[] } }>;
  incidents: Array<{ kind: string; metric: string; start: string; end: string }>;
}

// The test's own query, not the page's: the page must show what any client of the API would read.
const ROOM_QUERY = `query ($appId: ID!, $roomId: ID!, $userIds: [ID!]!, $from: DateTime, $to: DateTime, $last: Int) {
  callQuality(appId: $appId, roomId: $roomId, userIds: $userIds, from: $from, to: $to, last: $last) {
    userId
    streams { direction peerId metrics { name unit series { times values } } incidents { kind metric start end } }
  }
  roomOverview(appId: $appId, roomId: $roomId, userIds: $userIds, from: $from, to: $to, last: $last) { users { userId } }
}`;

const labelOf = (userId: string, stream: ApiStream) =>
  stream.direction === 'UP' ? `${userId} ↑` : `${userId} ← ${stream.peerId}`;

let harness: TestGateway;
let browser: Browser;

beforeAll(async () => {
  harness = await startTestGateway({ now: () => NOW_MS });
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

async function apiRoom(variables: Record<string, unknown>) {
  const answer = await harness.query<{
    callQuality: Array<{ userId: string; streams: ApiStream[] }>;
    roomOverview: { users: Array<{ userId: string }> };
  }>(ROOM_QUERY, { ...ROOM, userIds: USERS, ...variables });
  expect(answer.errors).toBeUndefined();
  if (!answer.data) throw new Error('no data');
  return answer.data;
}

describe('the dashboard page', () => {
  it('loads from the gateway alone: compressed, cached, no outside host', { timeout: 30_000 }, async () => {
    const dashboard = await openDashboard(browser, harness.gateway.graphqlUrl, VIEW);
    const assets: Array<{ url: string; encoding?: string; cacheControl?: string }> = [];
    dashboard.page.on('response', (response) => {
      if (new URL(response.url()).pathname.startsWith('/dashboard/')) {
        assets.push({
          url: response.url(),
          encoding: response.headers()['content-encoding'],
          cacheControl: response.headers()['cache-control'],
        });
      }
    });
    await dashboard.page.reload();
    await dashboard.waitForState('ready');
    expect(dashboard.outside).toEqual([]);
    expect(assets.map((asset) => new URL(asset.url).pathname.split('/').at(-1)).sort()).toEqual([
      'api.js',
      'auth.js',
      'charts.js',
      'dashboard.css',
      'graphiql-link.js',
      'main.js',
      'queries.js',
      'series.js',
      'sse.js',
      'tables.js',
      'time.js',
      'uplot.css',
      'uplot.js',
      'view.js',
    ]);
    for (const asset of assets) {
      expect(asset.encoding, asset.url).toBe('br');
      expect(asset.cacheControl, asset.url).toBe('public, max-age=31536000, immutable');
    }

    const pageUrl = new URL('/', harness.gateway.graphqlUrl);
    const first = await fetch(pageUrl, { headers: { 'accept-encoding': 'gzip' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-encoding')).toBe('gzip');
    expect(first.headers.get('cache-control')).toBe('no-cache');
    expect(first.headers.get('content-security-policy')).toContain("script-src 'self'");
    const etag = first.headers.get('etag') ?? '';
    await first.arrayBuffer();
    const again = await fetch(pageUrl, { headers: { 'accept-encoding': 'gzip', 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const stale = await fetch(new URL('/dashboard/an-old-version/main.js', pageUrl));
    expect(stale.status).toBe(404);
    // The page's strict Content-Security-Policy refused nothing it needs.
    expect(dashboard.consoleErrors).toEqual([]);
  });

  it("draws every stream's series as the API answers it, one chart per metric", async () => {
    const dashboard = await openDashboard(browser, harness.gateway.graphqlUrl, VIEW);
    await dashboard.waitForState('ready');
    const charts = await drawnCharts(dashboard.page);
    const api = await apiRoom({ last: 900 });

    const expected = new Map<string, Map<string, { times: number[]; values: number[] }>>();
    for (const user of api.callQuality) {
      for (const stream of user.streams) {
        for (const metric of stream.metrics) {
          const lines = expected.get(metric.name) ?? new Map();
          lines.set(labelOf(user.userId, stream), metric.series);
          expected.set(metric.name, lines);
        }
      }
    }
    expect(charts.map((chart) => chart.metric)).toEqual([...expected.keys()]);
    expect(charts.length).toBeGreaterThan(5);
    for (const chart of charts) {
      const lines = expected.get(chart.metric);
      expect(chart.labels).toEqual([...(lines?.keys() ?? [])]);
      for (const [label, series] of lines ?? []) {
        expect(series.times.length, `${chart.metric} ${label}`).toBeGreaterThan(0);
        expect(drawnLine(chart, label), `${chart.metric} ${label}`).toEqual(series);
      }
    }
    // All charts share one time axis.
    expect(new Set(charts.map((chart) => `${chart.data[0]?.[0]}..${chart.data[0]?.at(-1)}`)).size).toBe(1);
    expect(dashboard.outside).toEqual([]);
  });

  it("lists the API's incidents, and ranks the users as roomOverview does", async () => {
    const dashboard = await openDashboard(browser, harness.gateway.graphqlUrl, VIEW);
    await dashboard.waitForState('ready');
    const shown = await dashboard.page.$$eval('#incidents tbody tr[data-start]', (rows) =>
      rows.map((row) => {
        const data = (row as HTMLElement).dataset;
        return `${data.user} ${data.direction} ${data.peer} ${data.kind} ${data.metric} ${data.start} ${data.end}`;
      }),
    );
    const api = await apiRoom({ last: 900 });
    const expected = api.callQuality.flatMap((user) =>
      user.streams.flatMap((stream) =>
        stream.incidents.map(
          (incident) =>
            `${user.userId} ${stream.direction} ${stream.peerId ?? ''} ${incident.kind} ${incident.metric} ${incident.start} ${incident.end}`,
        ),
      ),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect([...shown].sort()).toEqual([...expected].sort());

    const ranked = await dashboard.page.$$eval('#overview tbody tr', (rows) =>
      rows.map((row) => (row as HTMLElement).dataset.user),
    );
    expect(ranked).toEqual(api.roomOverview.users.map((user) => user.userId));
  });

  it("shows the API's own message for a bad range", async () => {
    const from = new Date(NOW_MS - 600_000).toISOString();
    const to = new Date(NOW_MS - 1_200_000).toISOString();
    const dashboard = await openDashboard(
      browser,
      harness.gateway.graphqlUrl,
      `?app=demo-app&room=demo-room&users=alice&range=custom&from=${from}&to=${to}`,
    );
    await dashboard.waitForState('error');
    const answer = await harness.query(ROOM_QUERY, { ...ROOM, userIds: ['alice'], from, to });
    const message = answer.errors?.[0]?.message ?? '';
    expect(message).toMatch(/to/);
    expect(await dashboard.page.locator('#error').textContent()).toBe(message);
    expect(await drawnCharts(dashboard.page)).toEqual([]);
    // Nothing claims the range had no incidents: it was never answered.
    expect(await dashboard.page.locator('#incidents tbody tr').count()).toBe(0);
  });

  it('keeps the view in the URL and opens the same query in GraphiQL', async () => {
    const dashboard = await openDashboard(browser, harness.gateway.graphqlUrl, VIEW);
    await dashboard.waitForState('ready');
    await dashboard.page.getByLabel('Users', { exact: true }).fill('carol, dave');
    await dashboard.page.getByLabel('Range').selectOption('1h');
    await dashboard.page.getByLabel('Up (sent)').uncheck();
    await dashboard.page.getByRole('button', { name: 'Show' }).press('Enter');
    await dashboard.waitForState('ready');
    const search = new URL(dashboard.page.url()).searchParams;
    expect(Object.fromEntries(search)).toEqual({
      app: 'demo-app',
      room: 'demo-room',
      users: 'carol,dave',
      range: '1h',
      directions: 'DOWN',
    });
    const charts = await drawnCharts(dashboard.page);
    expect(charts.flatMap((chart) => chart.labels).every((label) => label.includes('←'))).toBe(true);

    const link = new URL(
      (await dashboard.page.getByRole('link', { name: /GraphiQL/ }).getAttribute('href')) ?? '',
      dashboard.page.url(),
    );
    expect(link.pathname).toBe('/graphql');
    expect(link.searchParams.get('query')).toMatch(/^query Dashboard/);
    expect(JSON.parse(link.searchParams.get('variables') ?? '')).toMatchObject({
      appId: 'demo-app',
      roomId: 'demo-room',
      userIds: ['carol', 'dave'],
      directions: ['DOWN'],
      last: 3600,
    });

    // The shared link shows the same view in a new page.
    const shared = await openDashboard(browser, harness.gateway.graphqlUrl, `?${search}`);
    await shared.waitForState('ready');
    expect(await shared.page.getByLabel('Users', { exact: true }).inputValue()).toBe('carol, dave');
    expect((await drawnCharts(shared.page)).map((chart) => chart.metric)).toEqual(
      charts.map((c) => c.metric),
    );
  });
  it("finds a room's users from one, as participants does", async () => {
    const dashboard = await openDashboard(browser, harness.gateway.graphqlUrl, VIEW);
    await dashboard.waitForState('ready');
    const users = dashboard.page.getByLabel('Users', { exact: true });
    await users.fill('alice');
    await dashboard.page.getByRole('button', { name: 'Find users' }).click();
    const answer = await harness.query<{ participants: { userIds: string[] } }>(
      `query ($appId: ID!, $roomId: ID!) {
        participants(appId: $appId, roomId: $roomId, userIds: ["alice"], last: 900) { userIds }
      }`,
      ROOM,
    );
    const found = answer.data?.participants.userIds ?? [];
    expect(found.length).toBeGreaterThan(1);
    await expect.poll(() => users.inputValue()).toBe(found.join(', '));
  });
  it("shows times in the browser's zone with UTC on hover", async () => {
    const dashboard = await openDashboard(browser, harness.gateway.graphqlUrl, VIEW, {
      timezoneId: 'Asia/Shanghai',
    });
    await dashboard.waitForState('ready');
    const start = dashboard.page.locator('#incidents tbody tr[data-start] time').first();
    const iso = (await start.getAttribute('datetime')) ?? '';
    const utc = new Date(iso);
    expect(await start.getAttribute('title')).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`);
    // Shanghai is UTC+8, without daylight saving.
    const localHour = (utc.getUTCHours() + 8) % 24;
    const shown = (await start.textContent()) ?? '';
    expect(shown).toContain(`${String(localHour % 12 || 12).padStart(2, '0')}:${iso.slice(14, 16)}`);
  });

  it('is readable in light and in dark, and every control is reached with Tab', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const dashboard = await openDashboard(browser, harness.gateway.graphqlUrl, VIEW, { colorScheme });
      await dashboard.waitForState('ready');
      const contrast = await dashboard.page.evaluate(() => {
        const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const luminance = (css: string) => {
          const [r = 0, g = 0, b = 0] = rgb(css).map((c) => {
            const v = c / 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const style = getComputedStyle(document.body);
        const [light, dark] = [luminance(style.color), luminance(style.backgroundColor)].sort(
          (a, b) => b - a,
        );
        return {
          ratio: ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05),
          background: luminance(style.backgroundColor),
        };
      });
      expect(contrast.ratio, colorScheme).toBeGreaterThan(7);
      if (colorScheme === 'dark') expect(contrast.background).toBeLessThan(0.05);
      else expect(contrast.background).toBeGreaterThan(0.9);

      const reached: string[] = [];
      for (let press = 0; press < 9; press++) {
        await dashboard.page.keyboard.press('Tab');
        reached.push(
          await dashboard.page.evaluate(() => {
            const element = document.activeElement as HTMLElement | null;
            const label = element?.closest('label')?.textContent?.trim().split(/\s+/)[0];
            return label ?? element?.textContent?.trim() ?? '';
          }),
        );
      }
      expect(reached).toEqual([
        'Open this query in GraphiQL',
        'App',
        'Room',
        'Users',
        'Find users',
        'Range',
        'Up',
        'Down',
        'Show',
      ]);
    }
  });
  it('tells more than ten lines apart: the colours repeat with a dash', async () => {
    const dashboard = await openDashboard(
      browser,
      harness.gateway.graphqlUrl,
      '?app=demo-app&room=room-of-12&users=alice,bob&range=15m&directions=DOWN',
    );
    await dashboard.waitForState('ready');
    const rtt = (await drawnCharts(dashboard.page)).find((chart) => chart.metric === 'Rtt');
    expect(rtt?.labels.length).toBeGreaterThan(10);
    expect(new Set(rtt?.styles).size).toBe(rtt?.labels.length);
  });
});
