import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../src/simulator/simulator.js';
import { SlidingWindowLimiter } from '../../../src/simulator/sliding-window-limiter.js';
import { CREDENTIALS, callQuery, NOW, signedGet } from '../../helpers/signed-get.js';

describe('SlidingWindowLimiter', () => {
  function limiterAt(clock: { nowMs: number }) {
    return new SlidingWindowLimiter({ limit: 3, windowMs: 1000, clock: () => clock.nowMs });
  }

  it('allows `limit` attempts in any window and refuses the next', () => {
    const clock = { nowMs: 0 };
    const limiter = limiterAt(clock);
    expect([1, 2, 3, 4].map(() => limiter.tryAcquire('ak'))).toEqual([true, true, true, false]);
    clock.nowMs = 999;
    expect(limiter.tryAcquire('ak')).toBe(false);
  });

  it('counts refused attempts too, as the upstream counts what it receives', () => {
    const clock = { nowMs: 0 };
    const limiter = limiterAt(clock);
    for (let attempt = 0; attempt < 4; attempt += 1) limiter.tryAcquire('ak');
    clock.nowMs = 999;
    limiter.tryAcquire('ak'); // refused, yet it occupies the window until 1999
    clock.nowMs = 1000;
    // In (0, 1000]: the refused attempt at 999 plus these.
    expect([1, 2, 3].map(() => limiter.tryAcquire('ak'))).toEqual([true, true, false]);
    clock.nowMs = 1999;
    expect(limiter.tryAcquire('ak')).toBe(false);
    clock.nowMs = 2000;
    expect(limiter.tryAcquire('ak')).toBe(true);
  });

  it('keeps keys apart', () => {
    const limiter = limiterAt({ nowMs: 0 });
    for (let attempt = 0; attempt < 3; attempt += 1) limiter.tryAcquire('ak1');
    expect(limiter.tryAcquire('ak1')).toBe(false);
    expect(limiter.tryAcquire('ak2')).toBe(true);
  });
});

describe('FlowLimitExceeded over HTTP', () => {
  let simulator: Simulator | undefined;

  afterEach(async () => {
    await simulator?.close();
  });

  it('answers the 11th request within a second with 429 FlowLimitExceeded, across AppIds', async () => {
    simulator = await startSimulator({ credentials: CREDENTIALS, now: () => NOW });
    const url = simulator.url;
    const first = await Promise.all(
      Array.from({ length: 10 }, (_, index) => signedGet(url, callQuery({ AppId: `app-${index}` }))),
    );
    const eleventh = await signedGet(url, callQuery({ AppId: 'app-other' }));

    expect(first.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(eleventh.status).toBe(429);
    expect(eleventh.json.ResponseMetadata.Error).toMatchObject({ Code: 'FlowLimitExceeded', CodeN: 100018 });
    expect(simulator.calls.at(-1)).toMatchObject({
      appId: 'app-other',
      httpStatus: 429,
      errorCode: 'FlowLimitExceeded',
    });

    // Real time is the subject here; the window is one second, so a little over one second frees it.
    await sleep(1100);
    expect((await signedGet(url, callQuery())).status).toBe(200);
  });

  it('does not count requests that fail authentication', async () => {
    simulator = await startSimulator({ credentials: CREDENTIALS, now: () => NOW, requestsPerSecond: 2 });
    const url = simulator.url;
    const forged = { credentials: { ...CREDENTIALS, secretAccessKey: 'SKFORGED' } };
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await signedGet(url, callQuery(), forged)).status).toBe(401);
    }
    const genuine = [await signedGet(url, callQuery()), await signedGet(url, callQuery())];
    expect(genuine.map((answer) => answer.status)).toEqual([200, 200]);
  });

  it('counts requests refused for their parameters', async () => {
    simulator = await startSimulator({ credentials: CREDENTIALS, now: () => NOW, requestsPerSecond: 2 });
    const url = simulator.url;
    expect((await signedGet(url, callQuery({ Direction: '9' }))).status).toBe(400);
    expect((await signedGet(url, callQuery({ Direction: '9' }))).status).toBe(400);
    expect((await signedGet(url, callQuery())).status).toBe(429);
  });
});
