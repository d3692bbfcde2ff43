/**
 * The simulator serves what its generator computes, whatever the call around a user: over loopback HTTP (the
 * generator alone: test/unit/simulator/synthetic-data.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../src/simulator/simulator.js';
import {
  generateUserCallDetail,
  type SimulatedUserCallDetail,
} from '../../../src/simulator/synthetic-data.js';
import { CREDENTIALS, callQuery, HOUR_MS, NOW, rfc3339, signedGet } from '../../helpers/signed-get.js';
import { base, candidates, hasGap, START, timesOf } from '../../helpers/synthetic-data-fixture.js';

describe('determinism over HTTP', () => {
  let simulator: Simulator;
  const range = { StartTime: rfc3339(START), EndTime: rfc3339(START + HOUR_MS) };
  const entriesOf = async (overrides: Record<string, string>): Promise<SimulatedUserCallDetail[]> =>
    (await signedGet(simulator.url, callQuery({ ...range, ...overrides }))).json.Result.UserCallDetail;

  beforeAll(async () => {
    simulator = await startSimulator({ credentials: CREDENTIALS, now: () => NOW, requestsPerSecond: 1000 });
  });

  afterAll(async () => {
    await simulator.close();
  });

  it('answers the same query with the same Result', async () => {
    const query = callQuery({ ...range, UserId: 'u1,u2,u3' });
    const first = await signedGet(simulator.url, query);
    const second = await signedGet(simulator.url, query);
    expect(second.json.Result).toEqual(first.json.Result);
    expect(first.json.Result.UserCallDetail.length).toBeGreaterThan(0);
  });

  it("serves a user's data alone exactly as alongside 19 others", async () => {
    const others = candidates.slice(0, 19);
    const alone = await entriesOf({ UserId: 'u1' });
    const shared = await entriesOf({ UserId: [...others.slice(0, 10), 'u1', ...others.slice(10)].join(',') });
    expect(shared.filter((entry) => entry.UserId === 'u1')).toEqual(alone);
    expect(new Set(shared.map((entry) => entry.UserId)).size).toBeGreaterThan(10);
  });

  it('serves one hour exactly as two half hours merged (the shared boundary point once)', async () => {
    const userIds = candidates.slice(0, 8).join(',');
    const middle = rfc3339(START + HOUR_MS / 2);
    const whole = await entriesOf({ UserId: userIds });
    const first = await entriesOf({ UserId: userIds, EndTime: middle });
    const second = await entriesOf({ UserId: userIds, StartTime: middle });

    const keyOf = (entry: SimulatedUserCallDetail) =>
      `${entry.UserId}/${entry.Direction}/${entry.PeerId ?? ''}`;
    const merged = new Map<string, SimulatedUserCallDetail>();
    for (const entry of [...first, ...second]) {
      const known = merged.get(keyOf(entry));
      if (known === undefined) {
        merged.set(keyOf(entry), structuredClone(entry));
        continue;
      }
      for (const [index, detail] of known.CallDetail.entries()) {
        const seen = new Set(detail.Data.map((point) => point.Time));
        const more = entry.CallDetail[index]?.Data.filter((point) => !seen.has(point.Time)) ?? [];
        detail.Data.push(...more);
      }
    }
    expect([...merged.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)))).toEqual(
      [...whole].sort((a, b) => keyOf(a).localeCompare(keyOf(b))),
    );
    // Both halves include the boundary instant, as the upstream does.
    const boundary = START + HOUR_MS / 2;
    const firstHasIt = first.some((entry) => timesOf(entry).includes(boundary));
    const secondHasIt = second.some((entry) => timesOf(entry).includes(boundary));
    expect([firstHasIt, secondHasIt]).toEqual([true, true]);
  });

  it('serves the gaps of a user who was away part of the time', async () => {
    const gappy = candidates.find((userId) =>
      hasGap(timesOf(generateUserCallDetail({ ...base, userId })[0]), 10_000),
    );
    expect(gappy).toBeDefined();
    const [up] = await entriesOf({ UserId: gappy ?? '' });
    expect(hasGap(timesOf(up), 10_000)).toBe(true);
  });
});
