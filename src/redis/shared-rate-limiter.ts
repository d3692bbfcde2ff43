/**
 * The upstream rate limit shared by every replica of the gateway: the same sliding log as the local limiter
 * (see upstream/rate-limiter.ts for why a log and why `run` counts from the end), kept in one Redis sorted
 * set per access key and checked and extended by one atomic script, so that all replicas together never
 * send more than `rate` requests in any window.
 *
 * Time is Redis' own (`TIME` inside the script): replicas whose clocks disagree still agree on the log, which
 * each maps into its own clock only to plan (see `now`).
 * A member scores when its slot counts from. A slot does not know its task's end yet, so it is written with a
 * lease (a score in the future) and re-scored to the Redis time once its task settles; while a member's
 * score is ahead of the Redis clock it counts as "ends no earlier than now", which blocks the next grant
 * until it has ended plus one window, exactly as a running task blocks the local limiter. The lease only
 * bounds how long a replica that died mid-request can hold a slot.
 *
 * Redis is a coordinator, never a dependency: an unhealthy connection, any command error or timeout sends
 * that caller (and every caller queued behind it) to `fallback`, a local limiter holding this replica's share
 * of the rate, so a query never fails because of Redis. The shares add up to the rate, and the shared budget
 * leaves out the share of every replica that may be using its own (replica-membership.ts), so the account
 * stays within the rate whichever replicas lose Redis. Nothing is logged per call: the connection reports its
 * transitions once each. Needs Redis >= 5 (writes after `TIME` in a script).
 */
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Flow } from '../model/flow.js';
import { FairQueue, type FairWaiter, UNATTRIBUTED } from '../upstream/fair-queue.js';
import { createHoldEstimate, planGrants } from '../upstream/grant-plan.js';
import type { RateLimiter } from '../upstream/rate-limiter.js';
import { RateLimitedError } from '../upstream/upstream-error.js';
import type { RedisConnection } from './redis-connection.js';
import type { ReplicaMembership } from './replica-membership.js';

export interface SharedRateLimiterOptions {
  /** The process's connection; its command timeout bounds how long a caller waits on a Redis that hangs. */
  readonly connection: RedisConnection;
  /** The sorted set of one access key, already namespaced and versioned, e.g. `callq:v1:ratelimit:<hash>`. */
  readonly key: string;
  /** Grants allowed per window across all replicas; the upstream's limit for one access key. */
  readonly requestsPerSecond: number;
  /** Added to the 1 s window, for timer jitter and for the distance between Redis' clock and the upstream's. */
  readonly marginMs: number;
  /** Callers whose turn would come later than this are refused instead of queued. */
  readonly maxWaitMs: number;
  /** Used by every call for which Redis fails; it should hold only this replica's share of the rate. */
  readonly fallback: RateLimiter;
  /** The replicas alive: the shared budget leaves room for the share of every one that may limit locally. */
  readonly membership: ReplicaMembership;
  /**
   * How long a slot counts as still running when its end never arrives (the replica died, or the
   * re-score was lost). A request has surely reached the upstream once its response headers are back, and the
   * default upstream connect + headers timeouts are 15 s: a shorter lease could free a slot whose request is
   * still on its way; a longer one lets a dead replica hold slots for longer.
   */
  readonly taskLeaseMs?: number;
  /**
   * This process's clock for planning and for the pause after a failure; Redis' `TIME` alone decides grants,
   * and the log's times are mapped into this clock by the offset seen at each reply, so it only has to measure
   * intervals: a monotonic clock, by default `performance.now`. A wall clock would be off between two replies
   * by whatever NTP stepped it: stepped back an hour, every next turn would look an hour away and be refused.
   */
  readonly now?: () => number;
}

const DEFAULT_TASK_LEASE_MS = 15_000;
// A Redis that hangs while its connection still looks ready costs each attempt a full command timeout; after
// a failure, this long without attempts keeps that to one slow caller per interval instead of every caller.
const RETRY_AFTER_FAILURE_MS = 1_000;
// Other replicas' local shares fill the whole rate: try again once a beat may have changed that.
const NO_BUDGET_RETRY_MS = 200;
// How often callers held before going local look whether Redis answers again (beats come every 500 ms).
const HOLD_RECHECK_MS = 100;

interface Script {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * KEYS: the log, the replicas (replica-membership.ts). ARGV: rate, windowMs, leaseMs, ttlMs, member, graceMs.
 * The budget is the rate less the share of every replica that may be limiting locally: one that beat within
 * the grace but is past its presentUntil, or reserves its share.
 * Reply: { redis now, 1 if granted else 0, budget, when each member of the window counts from (ascending) },
 * where a member still running counts as now: it cannot end earlier. `<=` trims as the local limiter grants: a
 * member exactly one window old no longer counts.
 */
const ACQUIRE = script(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local budget = tonumber(ARGV[1])
local replicas = redis.call('HGETALL', KEYS[2])
for i = 2, #replicas, 2 do
  local beatAt, share, reserveUntil, presentUntil = string.match(replicas[i], '^(%d+) (%d+) (%d+) (%d+)$')
  beatAt = tonumber(beatAt)
  if beatAt ~= nil and beatAt >= now - tonumber(ARGV[6])
      and (tonumber(presentUntil) < now or tonumber(reserveUntil) > now) then
    budget = budget - tonumber(share)
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
local log = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local granted = 0
if #log / 2 < budget then
  local score = now + tonumber(ARGV[3])
  redis.call('ZADD', KEYS[1], score, ARGV[5])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  log[#log + 1] = ARGV[5]
  log[#log + 1] = score
  granted = 1
end
local reply = { now, granted, budget }
for i = 2, #log, 2 do
  reply[#reply + 1] = math.min(tonumber(log[i]), now)
end
return reply
`);

/** ARGV: ttlMs, member. XX: a member already trimmed (its lease ran out) is not brought back. */
const FINISH = script(`
local t = redis.call('TIME')
redis.call('ZADD', KEYS[1], 'XX', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0
`);

/** A shared slot (by its member) or the fallback: what a caller is given. */
type Turn = { readonly member: string } | 'fallback';

interface Waiter extends FairWaiter {
  /** Null once settled or aborted. */
  settle: ((outcome: Turn | RateLimitedError) => void) | null;
}

/** One limiter per access key and process, made by the composition root next to the connection. */
export function createSharedRateLimiter(options: SharedRateLimiterOptions): RateLimiter {
  const { connection, key, requestsPerSecond: rate, marginMs, maxWaitMs, fallback, membership } = options;
  const now = options.now ?? (() => performance.now());
  const leaseMs = options.taskLeaseMs ?? DEFAULT_TASK_LEASE_MS;
  if (!Number.isInteger(rate) || rate < 1)
    throw new RangeError('requestsPerSecond must be a positive integer');
  if (!(marginMs >= 0) || !(maxWaitMs >= 0)) throw new RangeError('marginMs and maxWaitMs must be >= 0');
  if (!Number.isInteger(leaseMs) || leaseMs < 0) throw new RangeError('taskLeaseMs must be an integer >= 0');
  const windowMs = Math.ceil(1000 + marginMs);
  // Long enough for a member granted now to outlive its lease and its window; idle keys then vanish.
  const ttlMs = windowMs + leaseMs;
  const queue = new FairQueue<Waiter>();
  let waiting = 0;
  let pumping = false;
  let failedAt = Number.NEGATIVE_INFINITY;
  /** When the members of the shared window count from, in this process's clock, as of the last reply. */
  let known: number[] = [];
  /** The shared budget as of the last reply: the rate less the local shares of replicas not sharing. */
  let budget = rate;

  const sharedUsable = () => membership.sharing && now() - failedAt >= RETRY_AFTER_FAILURE_MS;

  async function evalScript(which: Script, args: Array<string | number>): Promise<unknown> {
    const keys = [key, membership.key];
    try {
      return await connection.client.evalsha(which.sha, keys.length, ...keys, ...args);
    } catch (error) {
      // Redis forgets its scripts on a restart: send the source once, which caches it again.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return connection.client.eval(which.source, keys.length, ...keys, ...args);
    }
  }

  /** One try at a shared slot: 0 when granted, else the least time before another try can succeed. */
  async function attempt(member: string): Promise<number> {
    const reply = await evalScript(ACQUIRE, [rate, windowMs, leaseMs, ttlMs, member, membership.graceMs]);
    if (!Array.isArray(reply) || !reply.every((value) => typeof value === 'number'))
      throw new TypeError('unexpected reply from the rate limit script');
    const [redisNow = 0, granted, replyBudget = rate, ...countsFrom] = reply as number[];
    const offset = now() - redisNow;
    known = countsFrom.map((at) => at + offset);
    budget = replyBudget;
    if (granted === 1) return 0;
    if (budget < 1) return NO_BUDGET_RETRY_MS;
    const limiting = countsFrom[countsFrom.length - budget] ?? redisNow;
    return Math.max(1, limiting + windowMs - redisNow);
  }

  /** Re-scores a member to now. Not awaited: until it lands, the lease keeps the slot counted. */
  function finish(member: string): void {
    if (!connection.healthy) return;
    evalScript(FINISH, [ttlMs, member]).catch(() => {
      // The lease ends the slot instead, later: the safe direction.
    });
  }

  /** How long this replica's tasks hold their shared slots, for the plan of who may go first. */
  const hold = createHoldEstimate(rate);
  /** The times of the next grants from the log as last seen, each slot held `holdMs` (see grant-plan.ts). */
  const plan = (at: number, holdMs: number) => planGrants(at, Math.max(1, budget), windowMs, known, holdMs);

  /** Every queued caller goes to the fallback, oldest first: they were all waiting on the same failing Redis. */
  function failOver(): void {
    for (let oldest = queue.oldest(); oldest !== undefined; oldest = queue.oldest()) {
      queue.remove(oldest, false);
      oldest.settle?.('fallback');
    }
  }

  /** Refuses the oldest waiters while their turn, `turnAt` at the earliest, is more than maxWaitMs after they asked. */
  function refuseUntil(turnAt: number): Waiter | undefined {
    let oldest = queue.oldest();
    while (oldest !== undefined && turnAt - oldest.askedAt > maxWaitMs) {
      queue.remove(oldest, false);
      oldest.settle?.(new RateLimitedError(Math.ceil(turnAt - oldest.askedAt), maxWaitMs));
      oldest = queue.oldest();
    }
    return oldest;
  }

  /**
   * Serves the flow whose turn it is (see fair-queue.ts), one Redis attempt at a time, sleeping between
   * refusals; refuses the oldest waiters once their turn cannot come within maxWaitMs. Without Redis, holds
   * the queue until this replica may grant locally (the others must know first, see replica-membership.ts),
   * then hands it to the fallback; a beat that answers meanwhile serves it from the shared log after all.
   */
  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (queue.length > 0) {
        if (!sharedUsable()) {
          const holdMs = membership.localWaitMs;
          if (holdMs <= 0) return failOver();
          if (refuseUntil(now() + holdMs) !== undefined) await sleep(Math.min(holdMs, HOLD_RECHECK_MS));
          continue;
        }
        const planned = plan(now(), hold.meanMs);
        const head = queue.next((waiter, k) => planned(k) <= waiter.askedAt + maxWaitMs) as Waiter;
        const member = randomUUID();
        let waitMs: number;
        try {
          waitMs = await attempt(member);
        } catch {
          // A timed-out script may still have run: end its lease now rather than let it block.
          finish(member);
          failedAt = now();
          known = [];
          membership.lost();
          continue;
        }
        const at = now();
        if (waitMs === 0) {
          // A caller that aborted during the attempt has left the queue; its slot is still used (it may be
          // past the point of no return), so it counts from now.
          if (queue.remove(head, true)) head.settle?.({ member });
          else finish(member);
          continue;
        }
        if (refuseUntil(at + waitMs) !== undefined) await sleep(waitMs);
      }
    } finally {
      pumping = false;
    }
  }

  function take(signal: AbortSignal | undefined, flow: Flow): Promise<Turn> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!sharedUsable() && membership.localWaitMs <= 0) return Promise.resolve('fallback');
    const at = now();
    const waitMs = plan(at, 0)(queue.length) - at;
    if (waitMs > maxWaitMs) return Promise.reject(new RateLimitedError(Math.ceil(waitMs), maxWaitMs));

    return new Promise<Turn>((resolve, reject) => {
      const waiter: Waiter = { flow, askedAt: at, settle: null };
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        waiter.settle = null;
        waiting--;
      };
      const onAbort = () => {
        queue.remove(waiter, false);
        done();
        reject(signal?.reason);
      };
      waiter.settle = (outcome) => {
        done();
        if (outcome instanceof RateLimitedError) reject(outcome);
        else resolve(outcome);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.push(waiter);
      waiting++;
      void pump();
    });
  }

  return {
    get queueLength() {
      return waiting + fallback.queueLength;
    },

    get queuedFlows() {
      return queue.flowCount + fallback.queuedFlows;
    },

    async run<T>(task: () => Promise<T>, signal?: AbortSignal, flow: Flow = UNATTRIBUTED): Promise<T> {
      const outcome = await take(signal, flow);
      if (outcome === 'fallback') return membership.local(() => fallback.run(task, signal, flow));
      const grantedAt = now();
      try {
        return await task();
      } finally {
        finish(outcome.member);
        hold.add(now() - grantedAt);
      }
    },
  };
}
