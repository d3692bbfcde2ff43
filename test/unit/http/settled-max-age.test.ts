import { describe, expect, it } from 'vitest';
import { settledMaxAgeSeconds } from '../../../src/http/settled-max-age.js';

const DAY_MS = 86_400_000;
const NOW = Date.UTC(2026, 0, 10, 12);
const CAP_SECONDS = 30 * 86_400;

describe('settledMaxAgeSeconds', () => {
  it('lets an answer be reused until its range leaves the retention, at most the cap', () => {
    const fromMs = NOW - 5.5 * DAY_MS;
    // Half a day left of the upstream's 6 days.
    expect(settledMaxAgeSeconds(fromMs, NOW, CAP_SECONDS, 6 * DAY_MS)).toBe(43_200);
    // With an archive keeping 90 days, the operator's cap decides.
    expect(settledMaxAgeSeconds(fromMs, NOW, CAP_SECONDS, 90 * DAY_MS)).toBe(CAP_SECONDS);
    expect(settledMaxAgeSeconds(NOW - 89.5 * DAY_MS, NOW, CAP_SECONDS, 90 * DAY_MS)).toBe(43_200);
  });

  it('gives 0 to a range already past the retention, and the cap to an answer with no range', () => {
    expect(settledMaxAgeSeconds(NOW - 7 * DAY_MS, NOW, CAP_SECONDS, 6 * DAY_MS)).toBe(0);
    expect(settledMaxAgeSeconds(Number.POSITIVE_INFINITY, NOW, CAP_SECONDS, 6 * DAY_MS)).toBe(CAP_SECONDS);
  });
});
