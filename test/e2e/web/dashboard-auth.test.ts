/**
 * The dashboard on a gateway with authentication on: it asks for the API key when the API answers
 * UNAUTHENTICATED (again after a wrong one), sends it as a Bearer credential, and keeps it for the tab only,
 * never in the URL.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../../helpers/chromium.js';
import { drawnCharts, openDashboard } from '../../helpers/dashboard-page.js';
import { startTestGateway, type TestGateway } from '../../helpers/test-gateway.js';

const NOW_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
const KEY = 'dashboard-key-0123456789';

let harness: TestGateway;
let browser: Browser;

beforeAll(async () => {
  harness = await startTestGateway({
    now: () => NOW_MS,
    env: { AUTH_API_KEYS: JSON.stringify([{ name: 'dashboard', key: KEY, appIds: ['demo-app'] }]) },
  });
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

it('asks for the API key, keeps it in sessionStorage and sends it as Bearer', {
  timeout: 40_000,
}, async () => {
  const dashboard = await openDashboard(
    browser,
    harness.gateway.graphqlUrl,
    '?app=demo-app&room=demo-room&users=alice&range=15m',
  );
  const authorizations: string[] = [];
  dashboard.page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/graphql')
      authorizations.push(request.headers().authorization ?? '');
  });
  const keyInput = dashboard.page.getByLabel('API key or token');
  await keyInput.waitFor();
  const refused = await harness.query('{ __typename }');
  expect(await dashboard.page.locator('#credential-reason').textContent()).toContain(
    refused.errors?.[0]?.message,
  );

  await keyInput.fill('not-the-key-0123456789');
  await keyInput.press('Enter');
  await dashboard.page.locator('#credential-reason', { hasText: 'invalid API key' }).waitFor();
  await keyInput.fill(KEY);
  await keyInput.press('Enter');
  await dashboard.waitForState('ready');

  expect((await drawnCharts(dashboard.page)).length).toBeGreaterThan(5);
  expect(authorizations.at(-1)).toBe(`Bearer ${KEY}`);
  expect(await dashboard.page.evaluate(() => sessionStorage.getItem('callq.credential'))).toBe(KEY);
  expect(await dashboard.page.evaluate(() => JSON.stringify(localStorage))).not.toContain(KEY);
  expect(dashboard.page.url()).not.toContain(KEY);
  expect(await dashboard.page.getByRole('link', { name: /GraphiQL/ }).getAttribute('href')).not.toContain(
    KEY,
  );
  expect(dashboard.outside).toEqual([]);
});
