/**
 * The client-side guard for the upstream's per-account rate limit (10 requests/s, answered with 429 beyond).
 *
 * A sliding log, not a token bucket: a bucket of 10 that refills at 10/s lets 10 through at once and 10 more
 * over the next second, 20 within ~1 s, which the upstream refuses. Here slot k may never be granted earlier
 * than slot k - rate counts from, plus one window (1 s plus a margin for clock skew and timer jitter).
 *
 * When a slot counts from is the subtle part. The upstream counts requests when they reach it, and the time
 * from our grant to that moment varies: a request on a fresh connection (TCP + TLS handshake) or queued in
 * the Pool arrives tens to hundreds of ms later than one on a warm socket. Counting from the grant, a burst
 * on cold connections followed one window later by a burst on warm ones lands inside one upstream second and
 * draws 429s (measured against the simulator: cold arrivals spread over 60 ms, so a 50 ms margin is not
 * enough). `run()` therefore counts a slot from when its request settled, which is never before the upstream
 * saw it, so no upstream window can hold more than `rate` of them whatever the latency. The price is that a
 * slow upstream lowers our throughput to `rate` per (window + latency), which is the safe direction, and that
 * `rate` requests which never end would block everyone: hence a deadline on every attempt (the client's
 * `attemptMs`) and a bound on every wait here (`maxWaitMs`), whatever the plan said at enqueue.
 */
import type { Flow } from '../model/flow.js';
import { FairQueue, type FairWaiter, UNATTRIBUTED } from './fair-queue.js';
import { createHoldEstimate, planGrants } from './grant-plan.js';
import { RateLimitedError } from './upstream-error.js';

export interface RateLimiterOptions {
  /** Grants allowed per window; the upstream's limit for one access key. */
  requestsPerSecond: number;
  /** Added to the 1 s window, for clock skew between us and the upstream's counter and for timer jitter. */
  marginMs: number;
  /** The longest a caller waits for its turn in the queue, whatever holds it up (see `run`). */
  maxWaitMs: number;
  /**
   * Grants allowed per window right now, at most `requestsPerSecond`: a replica's share of the rate, which
   * follows how many replicas are alive (see redis/replica-membership.ts). Default `requestsPerSecond`.
   */
  currentRate?: () => number;
  /** No grant before this, on `now`'s clock: a replica taking over its share waits out the shared window. */
  notBefore?: () => number;
  /**
   * Measures the window and the waits, which are intervals and nothing else: a monotonic clock, by default
   * `performance.now`. Never the wall clock (which NTP steps and tests move): a step back would hold every
   * turn for as long as the step, and a step ahead would let a second burst into the upstream's same second.
   */
  now?: () => number;
}

export interface RateLimiter {
  /**
   * Waits for the caller's turn, then runs `task()` and passes its outcome through. Turns go round-robin across
   * flows (see fair-queue.ts); calls without a flow share one. The slot counts from when the task settles
   * rather than from the grant, so the request's travel time to the upstream cannot squeeze two windows into
   * one; later turns may wait for it.
   *
   * Rejects with RateLimitedError, taking no turn and never starting the task, when the turn would come more
   * than maxWaitMs after the caller asked: at once when that is planned (served after every caller ahead of
   * it), else as soon as it is known, or when maxWaitMs have passed while requests ahead of it are still running.
   * An abort while waiting rejects with the signal's reason without starting the task, and the turn stays used
   * (if it comes within maxWaitMs), counted from its grant: the caller may already be past the point of no
   * return, so the safe side is to count it.
   */
  run<T>(task: () => Promise<T>, signal?: AbortSignal, flow?: Flow): Promise<T>;
  /** Callers currently waiting for their turn. */
  readonly queueLength: number;
  /** Flows with a caller waiting for its turn. */
  readonly queuedFlows: number;
}

interface Slot {
  /** When the slot was granted; used to plan later turns (a lower bound while its request is running). */
  readonly grantedAt: number;
  /** What the window is measured from: the end of its task (Infinity while it runs), or an abort's grant. */
  countsFrom: number;
}

interface Waiter extends FairWaiter {
  /** Null once the caller aborted: the slot is still taken when the turn comes, but nobody is told. */
  settle: ((outcome: Slot | RateLimitedError) => void) | null;
}

/** One limiter per access key; the composition root owns it, there is no shared instance. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { requestsPerSecond: rate, marginMs, maxWaitMs, now = () => performance.now() } = options;
  if (!Number.isInteger(rate) || rate < 1)
    throw new RangeError('requestsPerSecond must be a positive integer');
  if (!(marginMs >= 0) || !(maxWaitMs >= 0)) throw new RangeError('marginMs and maxWaitMs must be >= 0');
  const windowMs = 1000 + marginMs;
  const currentRate = options.currentRate ?? (() => rate);
  const notBefore = options.notBefore ?? (() => Number.NEGATIVE_INFINITY);
  /** Between 1 and `rate`, whatever the option says: the log holds `rate` slots; 0 would block forever. */
  const allowed = () => Math.max(1, Math.min(rate, Math.floor(currentRate())));
  /** The last `rate` slots granted, oldest first. */
  const slots: Slot[] = [];
  const queue = new FairQueue<Waiter>();
  let waiting = 0;
  let timer: NodeJS.Timeout | null = null;
  const hold = createHoldEstimate(rate);

  /** The times of the next grants from the log at `at`, each slot held `holdMs` (see grant-plan.ts). */
  function plan(at: number, holdMs: number): (k: number) => number {
    const log = slots.map((slot) =>
      Number.isFinite(slot.countsFrom) ? slot.countsFrom : Math.max(slot.grantedAt + holdMs, at),
    );
    return planGrants(Math.max(at, notBefore()), allowed(), windowMs, log, holdMs);
  }

  /** `running`: a task will start and end the slot; else (an aborted waiter) it counts from the grant. */
  function grant(at: number, running: boolean): Slot {
    const slot = { grantedAt: at, countsFrom: running ? Number.POSITIVE_INFINITY : at };
    slots.push(slot);
    if (slots.length > rate) slots.shift();
    return slot;
  }

  /** The earliest the log and `notBefore` allow the next grant; Infinity while the limiting task runs. */
  function earliestByLog(): number {
    const r = allowed();
    const limiting = slots.length >= r ? slots[slots.length - r] : undefined;
    return Math.max(
      notBefore(),
      limiting === undefined ? Number.NEGATIVE_INFINITY : limiting.countsFrom + windowMs,
    );
  }

  /**
   * Refuses, then grants, then sleeps. The oldest waiter is refused once its turn cannot come within maxWaitMs
   * of its asking: as soon as the log says so, or at that moment when a running task blocks it, since a task
   * may never settle (an upstream that drips its answer), and the plan is only a lower bound. The refused
   * waiter leaves the queue, so the callers behind it are not held up by a turn nobody will use. That holds
   * for an aborted waiter too: it keeps its turn while the turn may still come in time, but past that a live
   * caller would have been refused and sent nothing, so there is nothing left to count. Deadlines follow
   * arrival order, so only the oldest's needs a timer.
   */
  function drain() {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    for (let oldest = queue.oldest(); oldest !== undefined; oldest = queue.oldest()) {
      const at = now();
      // Re-checked against the log, not only the plan: a late timer or a slow task must not let the next
      // grant squeeze in early. Infinity while the limiting task runs: it re-drains when it settles.
      const due = earliestByLog();
      const deadline = oldest.askedAt + maxWaitMs;
      if (due > deadline && (Number.isFinite(due) || at >= deadline)) {
        queue.remove(oldest, false);
        const known = Number.isFinite(due);
        const waitMs = Math.ceil((known ? due : at) - oldest.askedAt);
        oldest.settle?.(new RateLimitedError(waitMs, maxWaitMs, !known));
      } else if (due <= at) {
        const planned = plan(at, hold.meanMs);
        const chosen = queue.next((waiter, k) => planned(k) <= waiter.askedAt + maxWaitMs) as Waiter;
        queue.remove(chosen, true);
        // An aborted waiter's slot counts from now: its turn is used, and no task will end it.
        const slot = grant(at, chosen.settle !== null);
        chosen.settle?.(slot);
      } else {
        timer = setTimeout(drain, Math.min(due, deadline) - at);
        return;
      }
    }
  }

  function take(signal?: AbortSignal, flow: Flow = UNATTRIBUTED): Promise<Slot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const at = now();
    const waitMs = plan(at, 0)(queue.length) - at;
    if (waitMs > maxWaitMs) return Promise.reject(new RateLimitedError(Math.ceil(waitMs), maxWaitMs));
    if (queue.length === 0 && earliestByLog() <= at) return Promise.resolve(grant(at, true));

    return new Promise<Slot>((resolve, reject) => {
      const waiter: Waiter = { flow, askedAt: at, settle: null };
      const onAbort = () => {
        waiter.settle = null;
        waiting--;
        reject(signal?.reason);
      };
      waiter.settle = (outcome) => {
        signal?.removeEventListener('abort', onAbort);
        waiting--;
        if (outcome instanceof RateLimitedError) reject(outcome);
        else resolve(outcome);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
      waiting++;
      if (queue.length === 1) drain();
    });
  }

  return {
    get queueLength() {
      return waiting;
    },

    get queuedFlows() {
      return queue.flowCount;
    },

    async run<T>(task: () => Promise<T>, signal?: AbortSignal, flow?: Flow): Promise<T> {
      const slot = await take(signal, flow);
      try {
        return await task();
      } finally {
        slot.countsFrom = now();
        hold.add(slot.countsFrom - slot.grantedAt);
        if (queue.length > 0) drain();
      }
    },
  };
}
