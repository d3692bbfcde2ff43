/**
 * The simulator's flow limit as a client meets it, over loopback HTTP and in real time (the limiter alone:
 * test/unit/simulator/sliding-window-limiter.test.ts).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../src/simulator/simulator.js';
import { CREDENTIALS, callQuery, NOW, signedGet } from '../../helpers/signed-get.js';

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
