import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, type RateLimiterOptions } from '../../../src/upstream/rate-limiter.js';
import { RateLimitedError } from '../../../src/upstream/upstream-error.js';

// Fake timers also fake Date.now, which is the limiter's injected clock here: time only moves when we say.
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const WINDOW_MS = 1050;
const HOUR_MS = 3_600_000;

function limiter(overrides: Partial<RateLimiterOptions> = {}) {
  return createRateLimiter({
    requestsPerSecond: 3,
    marginMs: 50,
    maxWaitMs: 10_000,
    now: () => Date.now(),
    ...overrides,
  });
}

/** Starts `count` runs at the current instant; records when each task starts (or how the run failed). */
function runAll(
  target: ReturnType<typeof limiter>,
  count: number,
  signals: (AbortSignal | undefined)[] = [],
) {
  const grants: Array<number | null> = new Array(count).fill(null);
  const failures: unknown[] = new Array(count).fill(null);
  const order: number[] = [];
  const settled = Array.from({ length: count }, (_, i) =>
    target
      .run(async () => {
        grants[i] = Date.now();
        order.push(i);
      }, signals[i])
      .catch((error: unknown) => {
        failures[i] = error;
      }),
  );
  return { grants, failures, order, settled: Promise.all(settled) };
}

describe('createRateLimiter', () => {
  it('grants `rate` at once, then each next one a window after the one `rate` places before it', async () => {
    const target = limiter();
    const run = runAll(target, 8);
    await vi.advanceTimersByTimeAsync(5_000);
    await run.settled;
    expect(run.grants).toEqual([0, 0, 0, 1050, 1050, 1050, 2100, 2100]);
    expect(run.order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(target.queueLength).toBe(0);
  });

  it('never lets more than `rate` grants into any window of 1000 + margin ms under a staggered load', async () => {
    const target = limiter({ requestsPerSecond: 10, marginMs: 50, maxWaitMs: 60_000 });
    const grants: number[] = [];
    const pending: Promise<void>[] = [];
    for (let step = 0; step < 60; step++) {
      for (let i = 0; i < (step % 4) + 1; i++)
        pending.push(target.run(async () => void grants.push(Date.now())));
      await vi.advanceTimersByTimeAsync(37);
    }
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all(pending);
    expect(grants).toHaveLength(pending.length);
    for (let k = 10; k < grants.length; k++) {
      expect((grants[k] as number) - (grants[k - 10] as number)).toBeGreaterThanOrEqual(1050);
    }
  });

  it('frees turns as the window slides, so a later caller does not wait', async () => {
    const target = limiter();
    await Promise.all([0, 1, 2].map(() => target.run(async () => {})));
    await vi.advanceTimersByTimeAsync(1049);
    const early = runAll(target, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(early.grants).toEqual([null]);
    expect(target.queueLength).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(early.grants).toEqual([1050]);
    await vi.advanceTimersByTimeAsync(2000);
    const late = runAll(target, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(late.grants).toEqual([3050]);
  });

  it('refuses at once, without taking a turn, callers whose turn is more than maxWaitMs away', async () => {
    const target = limiter({ requestsPerSecond: 2, maxWaitMs: 1050 });
    const run = runAll(target, 7);
    await vi.advanceTimersByTimeAsync(0);
    // Turns 0, 0, 1050, 1050 fit; 2100 is more than 1050 ms away.
    expect(run.failures.slice(0, 4)).toEqual([null, null, null, null]);
    for (const failure of run.failures.slice(4)) {
      expect(failure).toBeInstanceOf(RateLimitedError);
      expect(failure).toMatchObject({
        code: 'RATE_LIMITED',
        waitMs: 2100,
        maxWaitMs: 1050,
        retryable: false,
      });
    }
    expect(target.queueLength).toBe(2);
    await vi.advanceTimersByTimeAsync(1050);
    await run.settled;
    expect(run.grants).toEqual([0, 0, 1050, 1050, null, null, null]);
    // The refused callers took no turn: the next caller gets the slot right after the granted ones.
    const next = runAll(target, 1);
    await vi.advanceTimersByTimeAsync(1050);
    expect(next.grants).toEqual([2100]);
  });

  it('rejects an aborted waiter with the abort reason and keeps its turn consumed', async () => {
    const target = limiter({ requestsPerSecond: 1 });
    const controller = new AbortController();
    const run = runAll(target, 3, [undefined, controller.signal, undefined]);
    await vi.advanceTimersByTimeAsync(100);
    expect(target.queueLength).toBe(2);
    const reason = new Error('client went away');
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(run.failures[1]).toBe(reason);
    expect(target.queueLength).toBe(1);
    await vi.advanceTimersByTimeAsync(5_000);
    await run.settled;
    // Waiter 2 still waits for the turn waiter 1 would have used (at 1050) to slide out of the window.
    expect(run.grants).toEqual([0, null, 2100]);
  });

  it('refuses a queued caller at maxWaitMs while running tasks hold every slot, and serves the next one', async () => {
    const target = limiter({ requestsPerSecond: 2, maxWaitMs: 3_000 });
    const finish: Array<() => void> = [];
    const running = [0, 1].map(() => target.run(() => new Promise<void>((resolve) => finish.push(resolve))));
    // Planned one window after the two grants (1050), well within maxWait; but the tasks do not settle.
    const first = runAll(target, 1);
    await vi.advanceTimersByTimeAsync(2_000);
    const second = runAll(target, 1);
    await vi.advanceTimersByTimeAsync(999);
    expect(first.failures).toEqual([null]);
    expect(target.queueLength).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(first.failures[0]).toBeInstanceOf(RateLimitedError);
    expect(first.failures[0]).toMatchObject({
      code: 'RATE_LIMITED',
      waitMs: 3_000,
      maxWaitMs: 3_000,
      message:
        'this call waited 3000 ms for the upstream rate limit, the most allowed is 3000 ms: the calls ahead of it are still running',
    });
    expect(target.queueLength).toBe(1);
    // One task settles at 3500: the refused caller took no turn, so the second gets that slot a window later.
    await vi.advanceTimersByTimeAsync(500);
    finish[0]?.();
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    expect(second.grants).toEqual([3_500 + WINDOW_MS]);
    finish[1]?.();
    await Promise.all(running);
  });

  it('refuses a queued caller as soon as a settled task puts its turn past maxWaitMs', async () => {
    const target = limiter({ requestsPerSecond: 1, maxWaitMs: 2_000 });
    let finish = () => {};
    const running = target.run(() => new Promise<void>((resolve) => (finish = resolve)));
    const waiter = runAll(target, 1);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(waiter.failures).toEqual([null]);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    // Counted from 1500, its turn is 2550: more than 2000 ms after it asked, which is known at once.
    expect(waiter.failures[0]).toMatchObject({ code: 'RATE_LIMITED', waitMs: 1_500 + WINDOW_MS });
    expect(target.queueLength).toBe(0);
    await running;
  });

  it('drops an aborted waiter at maxWaitMs, so its unused turn does not hold up the callers behind it', async () => {
    const target = limiter({ requestsPerSecond: 1, maxWaitMs: 3_000 });
    let finish = () => {};
    const running = target.run(() => new Promise<void>((resolve) => (finish = resolve)));
    const controller = new AbortController();
    const aborted = runAll(target, 1, [controller.signal]);
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error('client went away'));
    await vi.advanceTimersByTimeAsync(1_900);
    const behind = runAll(target, 1);
    // The task settles after the aborted waiter's wait passed 3000 ms: had it kept its turn (at 4250), the
    // caller behind it would have had to wait until 5300, past its own 5000.
    await vi.advanceTimersByTimeAsync(1_200);
    finish();
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    expect(aborted.grants).toEqual([null]);
    expect(behind.grants).toEqual([3_200 + WINDOW_MS]);
    await running;
  });

  it('rejects at once when the signal is already aborted, taking no turn', async () => {
    const target = limiter({ requestsPerSecond: 1 });
    const reason = new Error('already gone');
    let started = false;
    const refused = target.run(async () => {
      started = true;
    }, AbortSignal.abort(reason));
    await expect(refused).rejects.toBe(reason);
    const run = runAll(target, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(run.grants).toEqual([0]);
    expect(started).toBe(false);
  });

  it('measures the window from actual grants when a timer fires late', async () => {
    let skewMs = 0;
    // A clock that jumps ahead of the timers models a blocked event loop: a timer fires later than planned.
    const clock = () => Date.now() + skewMs;
    const target = limiter({ requestsPerSecond: 1, now: clock });
    const grants: number[] = [];
    const pending = [0, 1, 2].map(() => target.run(async () => void grants.push(clock())));
    await vi.advanceTimersByTimeAsync(0);
    expect(grants).toEqual([0]);
    skewMs = 400;
    await vi.advanceTimersByTimeAsync(1050);
    // Planned for 1050, granted at 1450: the third caller, planned for 2100, must now wait until 2500.
    expect(grants).toEqual([0, 1450]);
    await vi.advanceTimersByTimeAsync(1049);
    expect(grants).toEqual([0, 1450]);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(pending);
    expect(grants).toEqual([0, 1450, 2500]);
  });

  it('run() counts a slot from when its task settles, so slow requests push later turns back', async () => {
    const target = limiter({ requestsPerSecond: 2 });
    const finish: Array<() => void> = [];
    const started: number[] = [];
    const task = () =>
      new Promise<void>((resolve) => {
        started.push(Date.now());
        finish.push(resolve);
      });
    const runs = [0, 1, 2, 3].map(() => target.run(task));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 0]);
    // The first request takes 300 ms to settle (a cold connection): its slot counts from 300, not 0.
    await vi.advanceTimersByTimeAsync(300);
    finish[0]?.();
    await vi.advanceTimersByTimeAsync(1049);
    expect(started).toEqual([0, 0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual([0, 0, 1350]);
    // The second task is still running: the fourth turn waits for it to settle, however long that takes.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(started).toEqual([0, 0, 1350]);
    finish[1]?.();
    await vi.advanceTimersByTimeAsync(1049);
    expect(started).toEqual([0, 0, 1350]);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual([0, 0, 1350, 7400]);
    for (const done of finish.slice(2)) done();
    await Promise.all(runs);
  });

  it('run() passes the task result and error through, and counts a failed task until it failed', async () => {
    const target = limiter({ requestsPerSecond: 1 });
    await expect(target.run(async () => 'value')).resolves.toBe('value');
    await vi.advanceTimersByTimeAsync(1050);
    const failure = new Error('upstream said no');
    const failing = target.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      throw failure;
    });
    const assertion = expect(failing).rejects.toBe(failure);
    await vi.advanceTimersByTimeAsync(200);
    await assertion;
    const next = target.run(async () => Date.now());
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(next).resolves.toBe(1050 + 200 + 1050);
  });

  it('run() never starts the task of a caller that aborted while waiting', async () => {
    const target = limiter({ requestsPerSecond: 1 });
    await target.run(async () => {});
    const controller = new AbortController();
    let started = false;
    const waiting = target.run(async () => {
      started = true;
    }, controller.signal);
    const assertion = expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    controller.abort();
    await assertion;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(started).toBe(false);
    expect(target.queueLength).toBe(0);
  });

  it('runs on a monotonic clock by default: a step of the wall clock neither frees nor holds a turn', async () => {
    const target = createRateLimiter({ requestsPerSecond: 1, marginMs: 50, maxWaitMs: 10_000 });
    // Fake timers move performance.now with the timers, and setSystemTime moves only the wall clock.
    const started: number[] = [];
    const task = async () => void started.push(performance.now());
    await target.run(task);
    // NTP steps the wall clock an hour ahead: the window still has its 1050 ms to run.
    vi.setSystemTime(Date.now() + HOUR_MS);
    const afterStepAhead = target.run(task);
    await vi.advanceTimersByTimeAsync(WINDOW_MS - 1);
    expect(started).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    await afterStepAhead;
    // And two hours back: the next turn is one window away, not two hours (which maxWaitMs would refuse).
    vi.setSystemTime(Date.now() - 2 * HOUR_MS);
    const afterStepBack = target.run(task);
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    await afterStepBack;
    expect(started).toEqual([0, WINDOW_MS, 2 * WINDOW_MS]);
  });

  it('validates its options', () => {
    expect(() => limiter({ requestsPerSecond: 0 })).toThrow(RangeError);
    expect(() => limiter({ requestsPerSecond: 2.5 })).toThrow(RangeError);
    expect(() => limiter({ marginMs: -1 })).toThrow(RangeError);
  });
});
