import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../src/simulator/simulator.js';
import { CREDENTIALS, callQuery, NOW, sendSignedGet, signedGet } from '../../helpers/signed-get.js';

let simulator: Simulator;

beforeEach(async () => {
  simulator = await startSimulator({ credentials: CREDENTIALS, now: () => NOW, requestsPerSecond: 1000 });
});

afterEach(async () => {
  await simulator.close();
});

const statusOf = async (overrides: Record<string, string> = {}) =>
  (await signedGet(simulator.url, callQuery(overrides))).status;

describe('fault kinds', () => {
  it('http500 answers an InternalError envelope with HTTP 500', async () => {
    simulator.injectFault({ kind: 'http500' });
    const answer = await signedGet(simulator.url, callQuery());

    expect(answer.status).toBe(500);
    expect(answer.json.ResponseMetadata).toMatchObject({
      RequestId: expect.any(String),
      Action: 'ListCallDetail',
      Error: { Code: 'InternalError', CodeN: 100023 },
    });
    expect(answer.json.Result).toBeUndefined();
    expect(simulator.calls.at(-1)).toMatchObject({
      httpStatus: 500,
      errorCode: 'InternalError',
      fault: 'http500',
    });
  });

  it('http429 answers a FlowLimitExceeded envelope with HTTP 429', async () => {
    simulator.injectFault({ kind: 'http429' });
    const answer = await signedGet(simulator.url, callQuery());

    expect(answer.status).toBe(429);
    expect(answer.json.ResponseMetadata.Error).toMatchObject({ Code: 'FlowLimitExceeded', CodeN: 100018 });
    expect(simulator.calls.at(-1)).toMatchObject({
      httpStatus: 429,
      errorCode: 'FlowLimitExceeded',
      fault: 'http429',
    });
  });

  it('malformed answers HTTP 200 with a body that is not JSON', async () => {
    simulator.injectFault({ kind: 'malformed' });
    const answer = await signedGet(simulator.url, callQuery());

    expect(answer.status).toBe(200);
    expect(answer.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(answer.text)).toThrow();
    expect(simulator.calls.at(-1)).toMatchObject({ httpStatus: 200, errorCode: null, fault: 'malformed' });
  });

  it('truncated promises more bytes than it sends, then drops the connection', async () => {
    simulator.injectFault({ kind: 'truncated' });
    const response = await sendSignedGet(simulator.url, callQuery());

    expect(response.statusCode).toBe(200);
    expect(Number(response.headers['content-length'])).toBeGreaterThan(1000);
    await expect(response.body.text()).rejects.toThrow();
    expect(simulator.calls.at(-1)).toMatchObject({ httpStatus: 200, fault: 'truncated' });
  });

  it('reset drops the connection without any response', async () => {
    simulator.injectFault({ kind: 'reset' });
    await expect(signedGet(simulator.url, callQuery())).rejects.toThrow();
    expect(simulator.calls.at(-1)).toMatchObject({ httpStatus: 0, errorCode: null, fault: 'reset' });
  });

  it('slow waits delayMs before answering normally', async () => {
    const normal = await signedGet(simulator.url, callQuery());
    simulator.injectFault({ kind: 'slow', delayMs: 400 });
    const started = performance.now();
    const slow = await signedGet(simulator.url, callQuery());

    // A lower bound only: a busy machine may add to the delay, never take from it (timers may fire ~1 ms early).
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(slow.status).toBe(200);
    expect(slow.json.Result).toEqual(normal.json.Result);
    expect(simulator.calls.at(-1)).toMatchObject({ httpStatus: 200, fault: 'slow' });
  });

  it('close() does not wait for a pending slow answer', async () => {
    simulator.injectFault({ kind: 'slow', delayMs: 60_000 });
    const pending = signedGet(simulator.url, callQuery());
    pending.catch(() => {});
    while (simulator.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = performance.now();
    await simulator.close();

    expect(performance.now() - started).toBeLessThan(10_000);
    await expect(pending).rejects.toThrow();
  });
});

describe('fault targeting', () => {
  it('affects `times` calls, then answers normally again', async () => {
    simulator.injectFault({ kind: 'http500', times: 2 });
    expect([await statusOf(), await statusOf(), await statusOf()]).toEqual([500, 500, 200]);
  });

  it('lasts until clearFaults() without `times`', async () => {
    simulator.injectFault({ kind: 'http500' });
    expect([await statusOf(), await statusOf()]).toEqual([500, 500]);
    simulator.clearFaults();
    expect(await statusOf()).toBe(200);
  });

  it('affects only calls that `match`, and only those use up `times`', async () => {
    simulator.injectFault({ kind: 'http500', times: 1, match: (call) => call.userIds.includes('u2') });
    const statuses = [
      await statusOf({ UserId: 'u1' }),
      await statusOf({ UserId: 'u1,u3' }),
      await statusOf({ UserId: 'u1,u2' }),
      await statusOf({ UserId: 'u2' }),
    ];
    expect(statuses).toEqual([200, 200, 500, 200]);
  });

  it('gives `match` the call parameters', async () => {
    const seen: unknown[] = [];
    simulator.injectFault({
      kind: 'http500',
      match: (call) => {
        seen.push(call);
        return false;
      },
    });
    await statusOf({ AppId: 'a9', RoomId: 'r9', UserId: 'u1,bad id' });
    expect(seen).toEqual([{ appId: 'a9', roomId: 'r9', userIds: ['u1', 'bad id'] }]);
  });

  it('applies the first matching fault in injection order, one per call', async () => {
    simulator.injectFault({ kind: 'http429', times: 1 });
    simulator.injectFault({ kind: 'http500', times: 1 });
    expect([await statusOf(), await statusOf(), await statusOf()]).toEqual([429, 500, 200]);
  });

  it('spares requests refused by a check, which do not use it up', async () => {
    simulator.injectFault({ kind: 'http500', times: 1 });
    const forged = await signedGet(simulator.url, callQuery(), {
      credentials: { ...CREDENTIALS, secretAccessKey: 'SKFORGED' },
    });
    expect(forged.status).toBe(401);
    expect(await statusOf({ Direction: '5' })).toBe(400);
    expect([await statusOf(), await statusOf()]).toEqual([500, 200]);
  });

  it('refuses faults that could never behave as asked', () => {
    expect(() => simulator.injectFault({ kind: 'http500', times: 0 })).toThrow(RangeError);
    expect(() => simulator.injectFault({ kind: 'http500', times: 1.5 })).toThrow(RangeError);
    expect(() => simulator.injectFault({ kind: 'slow' })).toThrow(RangeError);
  });
});
