import { describe, expect, it } from 'vitest';
import type { CallDetailQuery, CallDetailResult } from '../../../src/model/call-detail.js';
import {
  CircuitOpenError,
  type CircuitState,
  createCircuitBreaker,
} from '../../../src/upstream/circuit-breaker.js';
import {
  RateLimitedError,
  UpstreamResponseError,
  UpstreamUnavailableError,
} from '../../../src/upstream/upstream-error.js';
import { manualClock } from '../../helpers/manual-clock.js';

const query: CallDetailQuery = {
  appId: 'app-1',
  roomId: 'room-1',
  userIds: ['viewer-1'],
  startMs: 0,
  endMs: 60_000,
  direction: 0,
};
const result: CallDetailResult = { requestId: 'req-1', streams: [], startMs: 0 };
const THRESHOLD = 3;
const OPEN_MS = 10_000;

const unavailable = () => new UpstreamUnavailableError('ListCallDetail got no complete answer (ECONNRESET)');
const responseError = (httpStatus: number, upstreamCode: string) =>
  new UpstreamResponseError(upstreamCode, {
    upstreamCode,
    httpStatus,
    requestId: null,
    retryAfterMs: null,
  });

type Outcome = 'ok' | Error | Promise<CallDetailResult>;

/** A breaker on an injected clock around an inner fetch that answers the queued outcomes, counting calls. */
function setup() {
  const clock = manualClock(1_000_000);
  const transitions: Array<[CircuitState, CircuitState]> = [];
  const breaker = createCircuitBreaker({
    failureThreshold: THRESHOLD,
    openMs: OPEN_MS,
    now: clock.now,
    onStateChange: (state, previous) => transitions.push([previous, state]),
  });
  const outcomes: Outcome[] = [];
  let innerCalls = 0;
  const fetch = breaker.wrap(async () => {
    innerCalls++;
    const outcome = outcomes.shift() ?? 'ok';
    if (outcome === 'ok') return result;
    if (outcome instanceof Error) throw outcome;
    return outcome;
  });
  /** Runs one call with the given inner outcome; resolves to 'ok' or the error it rejected with. */
  const call = (outcome: Outcome = 'ok', signal?: AbortSignal) => {
    outcomes.push(outcome);
    return fetch(query, signal).then(
      () => 'ok' as const,
      (error: unknown) => error,
    );
  };
  return {
    breaker,
    transitions,
    call,
    /** Calls that reached the inner fetch. */
    innerCalls: () => innerCalls,
    advance: clock.advance,
    async failTimes(count: number) {
      for (let i = 0; i < count; i++) await call(unavailable());
    },
  };
}

function deferred() {
  let resolve: (value: CallDetailResult) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<CallDetailResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('closed', () => {
  it('opens after exactly failureThreshold consecutive failures, then fails fast without the inner fetch', async () => {
    const t = setup();
    await t.failTimes(THRESHOLD - 1);
    expect(t.breaker.state).toBe('closed');
    expect(await t.call(responseError(503, 'ServiceUnavailable'))).toMatchObject({ httpStatus: 503 });
    expect(t.breaker.state).toBe('open');
    expect(t.transitions).toEqual([['closed', 'open']]);
    expect(t.innerCalls()).toBe(THRESHOLD);

    const refused = await t.call();
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(refused).toBeInstanceOf(UpstreamUnavailableError);
    expect(refused).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfterMs: OPEN_MS });
    expect((refused as Error).message).toBe(
      `the upstream is failing: calls to it are paused for another ${OPEN_MS} ms`,
    );
    t.advance(4_000);
    expect(await t.call()).toMatchObject({ retryAfterMs: OPEN_MS - 4_000 });
    expect(t.innerCalls()).toBe(THRESHOLD);
  });

  it('counts 429 and 5xx answers (after retries) as failures, like no answer at all', async () => {
    const t = setup();
    await t.call(responseError(429, 'FlowLimitExceeded'));
    await t.call(responseError(500, 'InternalError'));
    await t.call(unavailable());
    expect(t.breaker.state).toBe('open');
  });

  it('counts a body that is not the API envelope as a failure: whatever answers is not serving the API', async () => {
    const t = setup();
    for (let i = 0; i < THRESHOLD; i++) await t.call(responseError(200, 'InvalidResponse'));
    expect(t.breaker.state).toBe('open');
  });

  it('a success resets the count: only consecutive failures open it', async () => {
    const t = setup();
    await t.failTimes(THRESHOLD - 1);
    expect(await t.call('ok')).toBe('ok');
    await t.failTimes(THRESHOLD - 1);
    expect(t.breaker.state).toBe('closed');
    await t.failTimes(1);
    expect(t.breaker.state).toBe('open');
  });

  it('a non-retryable upstream error resets the count (the upstream answered) and is passed on unchanged', async () => {
    const t = setup();
    const badParameter = responseError(400, 'InvalidParameter');
    await t.failTimes(THRESHOLD - 1);
    expect(await t.call(badParameter)).toBe(badParameter);
    await t.failTimes(THRESHOLD - 1);
    expect(t.breaker.state).toBe('closed');
    expect(t.transitions).toEqual([]);
  });

  it('RATE_LIMITED and aborts neither count nor reset', async () => {
    const t = setup();
    await t.failTimes(THRESHOLD - 1);
    const refusal = new RateLimitedError(12_000, 10_000);
    for (let i = 0; i < 5; i++) expect(await t.call(refusal)).toBe(refusal);
    const controller = new AbortController();
    controller.abort();
    // What the client rethrows for an aborted request: the signal's reason, whatever the transport said.
    expect(await t.call(controller.signal.reason, controller.signal)).toMatchObject({ name: 'AbortError' });
    // A transport error seen on an aborted signal is the abort, not an upstream failure.
    await t.call(unavailable(), controller.signal);
    expect(t.breaker.state).toBe('closed');
    await t.failTimes(1);
    expect(t.breaker.state).toBe('open');
  });

  it('calls that started before the circuit opened do not decide it when they settle late', async () => {
    const t = setup();
    const lateSuccess = deferred();
    const lateFailure = deferred();
    const late = [t.call(lateSuccess.promise), t.call(lateFailure.promise)];
    await t.failTimes(THRESHOLD);
    t.advance(OPEN_MS);
    const trial = deferred();
    const trialCall = t.call(trial.promise);
    lateSuccess.resolve(result);
    lateFailure.reject(unavailable());
    expect(await Promise.all(late)).toEqual(['ok', expect.any(UpstreamUnavailableError)]);
    // Only the trial's outcome may close or re-open it.
    expect(t.breaker.state).toBe('half-open');
    expect(await t.call()).toBeInstanceOf(CircuitOpenError);
    trial.resolve(result);
    expect(await trialCall).toBe('ok');
    expect(t.breaker.state).toBe('closed');
  });
});

describe('half-open', () => {
  it('reads half-open once openMs has passed, and a successful trial closes the circuit', async () => {
    const t = setup();
    await t.failTimes(THRESHOLD);
    t.advance(OPEN_MS - 1);
    expect(t.breaker.state).toBe('open');
    expect(await t.call()).toMatchObject({ retryAfterMs: 1 });
    t.advance(1);
    expect(t.breaker.state).toBe('half-open');
    expect(await t.call('ok')).toBe('ok');
    expect(t.breaker.state).toBe('closed');
    expect(t.transitions).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
    // Closed again with a fresh count: it takes the full threshold to open it.
    await t.failTimes(THRESHOLD - 1);
    expect(t.breaker.state).toBe('closed');
    expect(t.innerCalls()).toBe(THRESHOLD + 1 + THRESHOLD - 1);
  });

  it('lets exactly one of several concurrent calls through; the others fail fast', async () => {
    const t = setup();
    await t.failTimes(THRESHOLD);
    t.advance(OPEN_MS);
    const trial = deferred();
    const calls = [t.call(trial.promise), t.call(), t.call(), t.call()];
    const refused = await Promise.all(calls.slice(1));
    expect(t.innerCalls()).toBe(THRESHOLD + 1);
    for (const error of refused) {
      expect(error).toBeInstanceOf(CircuitOpenError);
      expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfterMs: 0 });
    }
    expect(t.breaker.state).toBe('half-open');
    trial.resolve(result);
    expect(await calls[0]).toBe('ok');
    expect(t.breaker.state).toBe('closed');
    expect(await Promise.all([t.call(), t.call()])).toEqual(['ok', 'ok']);
    expect(t.innerCalls()).toBe(THRESHOLD + 3);
  });

  it('a failed trial re-opens the circuit for openMs from the failure', async () => {
    const t = setup();
    await t.failTimes(THRESHOLD);
    t.advance(OPEN_MS + 5_000);
    const trial = deferred();
    const pending = t.call(trial.promise);
    t.advance(2_000);
    trial.reject(responseError(502, 'HTTP_502'));
    expect(await pending).toMatchObject({ httpStatus: 502 });
    expect(t.breaker.state).toBe('open');
    expect(await t.call()).toMatchObject({ retryAfterMs: OPEN_MS });
    t.advance(OPEN_MS);
    expect(await t.call('ok')).toBe('ok');
    expect(t.breaker.state).toBe('closed');
    expect(t.innerCalls()).toBe(THRESHOLD + 2);
    expect(t.transitions.map(([, state]) => state)).toEqual([
      'open',
      'half-open',
      'open',
      'half-open',
      'closed',
    ]);
  });

  it('a non-retryable answer to the trial closes the circuit: the upstream is back', async () => {
    const t = setup();
    await t.failTimes(THRESHOLD);
    t.advance(OPEN_MS);
    await t.call(responseError(403, 'AccessDenied'));
    expect(t.breaker.state).toBe('closed');
  });

  it('a trial refused by our own limiter tells nothing: the next call is the trial', async () => {
    const t = setup();
    await t.failTimes(THRESHOLD);
    t.advance(OPEN_MS);
    expect(await t.call(new RateLimitedError(12_000, 10_000))).toBeInstanceOf(RateLimitedError);
    expect(t.breaker.state).toBe('half-open');
    expect(await t.call('ok')).toBe('ok');
    expect(t.breaker.state).toBe('closed');
    expect(t.innerCalls()).toBe(THRESHOLD + 2);
  });
});

describe('options', () => {
  it('refuses a threshold below 1 and a negative open period', () => {
    expect(() => createCircuitBreaker({ failureThreshold: 0, openMs: 1_000 })).toThrow(RangeError);
    expect(() => createCircuitBreaker({ failureThreshold: 1.5, openMs: 1_000 })).toThrow(RangeError);
    expect(() => createCircuitBreaker({ failureThreshold: 1, openMs: -1 })).toThrow(RangeError);
  });
});
