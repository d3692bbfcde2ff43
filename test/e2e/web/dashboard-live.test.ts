/**
 * The dashboard's live mode: the liveCallQuality subscription over SSE, on a gateway whose clock the test moves
 * by hand (its pollers run on real timers at a short interval, the tail is never cached), so new data arrives
 * exactly when the test says.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { presenceOf } from '../../../src/simulator/episodes.js';
import { launchChromium } from '../../helpers/chromium.js';
import { drawnCharts, drawnLine, openDashboard } from '../../helpers/dashboard-page.js';
import { type ManualClock, manualClock } from '../../helpers/manual-clock.js';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

// alice and bob are in this room from the live window before it to five minutes after (checked below).
const START_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
const WINDOW_S = 900;
const ROOM = { appId: 'app-live', roomId: 'room-live' };
const VIEW = '?app=app-live&room=room-live&users=alice,bob&range=live';

const SERIES_QUERY = `query ($appId: ID!, $roomId: ID!, $userIds: [ID!]!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: $appId, roomId: $roomId, userIds: $userIds, from: $from, to: $to) {
    userId streams { direction peerId metric(name: "Rtt") { series { times values } } }
  }
}`;

let browser: Browser;
let harness: TestGateway | undefined;
let clock: ManualClock;

beforeAll(async () => {
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function start(): Promise<TestGateway> {
  clock = manualClock(START_MS);
  harness = await startTestGateway({
    now: clock.now,
    // Polls far apart compared with one poll's duration, so the clock can be moved between two of them.
    env: { LIVE_POLL_INTERVAL_MS: '500', CACHE_TAIL_TTL_MS: '0' },
  });
  return harness;
}

/** The Rtt lines the API answers for [from, to), by the page's labels. */
async function apiRtt(gateway: TestGateway, fromMs: number, toMs: number) {
  const answer = await gateway.query<{
    callQuality: Array<{
      userId: string;
      streams: Array<{
        direction: string;
        peerId: string | null;
        metric: { series: { times: number[]; values: number[] } } | null;
      }>;
    }>;
  }>(SERIES_QUERY, {
    ...ROOM,
    userIds: ['alice', 'bob'],
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
  });
  const lines = new Map<string, { times: number[]; values: number[] }>();
  for (const user of answer.data?.callQuality ?? []) {
    for (const stream of user.streams) {
      const label = stream.direction === 'UP' ? `${user.userId} ↑` : `${user.userId} ← ${stream.peerId}`;
      if (stream.metric) lines.set(label, stream.metric.series);
    }
  }
  return lines;
}

it('runs at an instant where alice and bob are in the room throughout', () => {
  const present = ['alice', 'bob'].map((userId) => presenceOf(ROOM.appId, ROOM.roomId, userId));
  for (let timeMs = START_MS - WINDOW_S * 1000; timeMs <= START_MS + 300_000; timeMs += 10_000) {
    expect(present.map((isPresent) => isPresent(timeMs))).toEqual([true, true]);
  }
});

describe('the dashboard live', () => {
  it('adds the new points as the tail moves, and drops those the window left', {
    timeout: 40_000,
  }, async () => {
    const gateway = await start();
    const dashboard = await openDashboard(browser, gateway.gateway.graphqlUrl, VIEW);
    await dashboard.waitForState('live');
    const rttOf = async () => (await drawnCharts(dashboard.page)).find((chart) => chart.metric === 'Rtt');
    const before = await rttOf();
    if (!before) throw new Error('no Rtt chart');
    const lastBefore = before.data[0]?.at(-1) ?? 0;

    // Moved just after a poll's upstream call, not while one is out: room-poller.ts reads the clock before its
    // load, so a poll that read it before the move but fetched after would send the new points with the old
    // window (and the page would rightly keep the points that window still holds).
    const polls = gateway.simulator.calls.length;
    await expect.poll(() => gateway.simulator.calls.length, { timeout: 10_000 }).toBeGreaterThan(polls);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const t1 = clock.advance(60_000);
    await dashboard.page.waitForFunction(
      (last) => {
        const charts = (
          window as never as { __callq: { charts(): Array<{ metric: string; data: number[][] }> } }
        ).__callq.charts();
        return (charts.find((chart) => chart.metric === 'Rtt')?.data[0]?.at(-1) ?? 0) > last;
      },
      lastBefore,
      { timeout: 20_000 },
    );
    const after = await rttOf();
    if (!after) throw new Error('no Rtt chart');
    const expected = await apiRtt(gateway, t1 - WINDOW_S * 1000, t1);
    expect(after.labels).toEqual([...expected.keys()]);
    for (const [label, series] of expected) {
      expect(drawnLine(after, label), label).toEqual(series);
    }
    // Six new samples per line at 10 s, as many left the window's start.
    expect(drawnLine(after, 'alice ↑').times.at(-1)).toBe(
      (drawnLine(before, 'alice ↑').times.at(-1) as number) + 60_000,
    );
    expect(dashboard.outside).toEqual([]);
  });

  it('resumes the subscription after its connection drops', { timeout: 40_000 }, async () => {
    const gateway = await start();
    const dashboard = await openDashboard(browser, gateway.gateway.graphqlUrl, '');
    const subscriptions: string[] = [];
    await dashboard.page.route('**/graphql', (route) => {
      if (route.request().headers().accept !== 'text/event-stream') return route.continue();
      subscriptions.push(route.request().url());
      // The first connection fails as a network drop would; the page must come back on its own.
      return subscriptions.length === 1 ? route.abort('connectionreset') : route.continue();
    });
    await dashboard.page.goto(new URL(`/${VIEW}`, gateway.gateway.graphqlUrl).href);
    await dashboard.waitForState('live');
    expect(subscriptions).toHaveLength(2);
    expect((await drawnCharts(dashboard.page)).length).toBeGreaterThan(5);
  });
  it('resumes when an open event stream ends without completing', { timeout: 40_000 }, async () => {
    const gateway = await start();
    const dashboard = await openDashboard(browser, gateway.gateway.graphqlUrl, '');
    let subscriptions = 0;
    await dashboard.page.route('**/graphql', (route) => {
      if (route.request().headers().accept !== 'text/event-stream') return route.continue();
      subscriptions += 1;
      if (subscriptions > 1) return route.continue();
      // One event, then the stream just ends, as when a proxy or the network cuts it: no `complete` event.
      const event = {
        data: { liveCallQuality: { initial: true, windowFrom: new Date(START_MS).toISOString(), users: [] } },
      };
      return route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        body: `event: next\ndata: ${JSON.stringify(event)}\n\n`,
      });
    });
    await dashboard.page.goto(new URL(`/${VIEW}`, gateway.gateway.graphqlUrl).href);
    await expect
      .poll(async () => (await drawnCharts(dashboard.page)).length, { timeout: 20_000 })
      .toBeGreaterThan(5);
    expect(subscriptions).toBe(2);
    expect(await dashboard.state()).toBe('live');
  });
});
