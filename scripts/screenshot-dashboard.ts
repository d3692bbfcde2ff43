/**
 * `npm run screenshot`: writes docs/dashboard.png, the README's picture of the dashboard, from the real page on
 * a gateway on the simulator (no hand-made image to go stale). The clock is pinned, so the same room shows the
 * same data on every run.
 */
import { loadConfig } from '../src/config/config.js';
import { startGateway } from '../src/gateway.js';
import { launchChromium } from '../test/helpers/chromium.js';

// An hour of the README tour's room in which its users have RTT spikes, loss bursts and stalls to show.
const NOW_MS = Date.UTC(2026, 0, 1, 12, 0, 0);
const VIEW = '?app=demo-app&room=demo-room&users=alice,bob,host,guest-1&range=1h';
const OUTPUT = new URL('../docs/dashboard.png', import.meta.url);

const gateway = await startGateway(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }), { now: () => NOW_MS });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1345 }, colorScheme: 'light' });
  await page.goto(new URL(`/${VIEW}`, gateway.graphqlUrl).href);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 60_000 });
  // The top of the page: the ranking and the first rows of charts; the rest is more of the same.
  await page.screenshot({ path: OUTPUT.pathname });
  console.log(`wrote ${OUTPUT.pathname}`);
} finally {
  await browser.close();
  await gateway.close();
}
