/**
 * The shared rate limiter against a real redis-server: two connections stand for two replicas of the gateway.
 * Real time is the subject here, so the waits are real but short (one or two windows per test).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFlow } from '../../../src/model/flow.js';
import type { RedisConnection } from '../../../src/redis/redis-connection.js';
import {
  createReplicaMembership,
  HEARTBEAT_INTERVAL_MS,
  type ReplicaMembership,
} from '../../../src/redis/replica-membership.js';
import { createSharedRateLimiter } from '../../../src/redis/shared-rate-limiter.js';
import { createRateLimiter, type RateLimiter } from '../../../src/upstream/rate-limiter.js';
import { RateLimitedError } from '../../../src/upstream/upstream-error.js';
import { busiestWindow } from '../../helpers/busiest-window.js';
import { redisAvailable } from '../../helpers/redis-server.js';
import { until, useTwoRedisReplicas } from '../../helpers/two-redis-replicas.js';

const RATE = 10;
// Wider than production's 50 ms: grant times are observed after a round trip on a noisy machine.
const MARGIN_MS = 100;
const WINDOW_MS = 1000 + MARGIN_MS;
const COMMAND_TIMEOUT_MS = 250;
const TASK_LEASE_MS = 5_000;
const HOUR_MS = 3_600_000;

/** A local limiter that counts how often the shared one fell back to it. */
function countingFallback() {
  const inner = createRateLimiter({ requestsPerSecond: RATE, marginMs: MARGIN_MS, maxWaitMs: 10_000 });
  const uses = { run: 0 };
  const limiter: RateLimiter = {
    get queueLength() {
      return inner.queueLength;
    },
    get queuedFlows() {
      return inner.queuedFlows;
    },
    run(task, signal, flow) {
      uses.run++;
      return inner.run(task, signal, flow);
    },
  };
  return { uses, limiter };
}

const exportFlow = createFlow('anonymous');

/** A turn whose task ends at once, so its slot counts from its grant. */
const turn = (limiter: RateLimiter, signal?: AbortSignal) => limiter.run(async () => {}, signal);

describe.skipIf(!redisAvailable())('shared rate limiter', () => {
  const fixture = useTwoRedisReplicas(COMMAND_TIMEOUT_MS);
  let keys = 0;
  const nextKey = () => {
    keys += 1;
    return `callq-test:v1:ratelimit:${keys}`;
  };
  const memberships: ReplicaMembership[] = [];
  afterEach(async () => {
    await Promise.all(memberships.splice(0).map((membership) => membership.close()));
  });
  const membershipOn = (connection: RedisConnection, key: string) => {
    const membership = createReplicaMembership({
      connection,
      key: `${key}:replicas`,
      replicaId: randomUUID(),
      requestsPerSecond: RATE,
      windowMs: WINDOW_MS,
      timeoutMs: COMMAND_TIMEOUT_MS,
      graceMs: 10_000,
      initialShare: 1,
    });
    memberships.push(membership);
    return membership;
  };
  const everyReplicaSharing = () =>
    until(() => memberships.every((m) => m.sharing), 'the heartbeats to answer');
  /** A replica's limiter, once its first heartbeat has answered (before that, it would use its fallback). */
  const limiterOn = async (
    connection: RedisConnection,
    key: string,
    fallback: RateLimiter,
    maxWaitMs = 10_000,
    now?: () => number,
  ) => {
    const limiter = createSharedRateLimiter({
      connection,
      key,
      requestsPerSecond: RATE,
      marginMs: MARGIN_MS,
      maxWaitMs,
      fallback,
      membership: membershipOn(connection, key),
      taskLeaseMs: TASK_LEASE_MS,
      now,
    });
    await everyReplicaSharing();
    return limiter;
  };

  it('grants 30 calls fired at once on two replicas, never more than 10 in any second', async () => {
    const key = nextKey();
    const fallback = countingFallback();
    const replicas = [
      await limiterOn(fixture.a, key, fallback.limiter),
      await limiterOn(fixture.b, key, fallback.limiter),
    ];
    const started = performance.now();
    const grants: number[] = [];

    await Promise.all(
      Array.from({ length: 30 }, (_, index) =>
        (replicas[index % 2] as RateLimiter).run(async () => void grants.push(performance.now() - started)),
      ),
    );

    expect(grants).toHaveLength(30);
    expect(busiestWindow(grants, 1000)).toBe(RATE);
    // Not overly careful either: a full window at once, then one more per window.
    expect(grants.filter((at) => at < 500)).toHaveLength(RATE);
    expect(Math.max(...grants)).toBeLessThan(2 * WINDOW_MS + 1_500);
    expect(fallback.uses).toEqual({ run: 0 });
    expect(replicas.map((replica) => replica.queueLength)).toEqual([0, 0]);
    // Idle keys vanish: the log expires one window plus the lease after its last write.
    const ttl = await fixture.raw.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(WINDOW_MS + TASK_LEASE_MS);
  });

  it("serves a later operation's call at the next window, not behind another operation's queue", async () => {
    const fallback = countingFallback();
    const replica = await limiterOn(fixture.a, nextKey(), fallback.limiter);
    const grants: string[] = [];
    const exported = Array.from({ length: 3 * RATE }, (_, index) =>
      replica.run(async () => void grants.push(`export${index}`), undefined, exportFlow),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await replica.run(async () => void grants.push('dash'), undefined, createFlow('anonymous'));

    // One window of the export, its next turn, then the dashboard's: first come, first served it would be last.
    expect(grants.indexOf('dash')).toBe(RATE + 1);
    await Promise.all(exported);
    expect(grants).toHaveLength(3 * RATE + 1);
    expect(fallback.uses).toEqual({ run: 0 });
  });

  it('run: a slot counts from when its task settled, also for the other replica', async () => {
    const key = nextKey();
    const fallback = countingFallback();
    const replicaA = await limiterOn(fixture.a, key, fallback.limiter);
    const replicaB = await limiterOn(fixture.b, key, fallback.limiter);
    // Longer than a window: a log that counted running tasks from their grant would let B in while they run.
    const taskMs = 1_300;
    const ends: number[] = [];

    const running = Array.from({ length: RATE }, () =>
      replicaA.run(async () => {
        await new Promise((resolve) => setTimeout(resolve, taskMs));
        ends.push(performance.now());
        return 'answer';
      }),
    );
    // Asked while the ten tasks run.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await turn(replicaB);
    const granted = performance.now();

    expect(await Promise.all(running)).toEqual(Array(RATE).fill('answer'));
    expect(granted - Math.min(...ends)).toBeGreaterThanOrEqual(1000);
    expect(fallback.uses).toEqual({ run: 0 });
  });

  it('refuses with RATE_LIMITED at once, without taking a slot, when the wait would exceed maxWaitMs', async () => {
    const key = nextKey();
    const fallback = countingFallback();
    const replicaA = await limiterOn(fixture.a, key, fallback.limiter);
    const impatient = await limiterOn(fixture.b, key, fallback.limiter, 300);
    await Promise.all(Array.from({ length: RATE }, () => turn(replicaA)));

    const started = performance.now();
    const outcomes = await Promise.allSettled([
      turn(impatient),
      turn(impatient),
      impatient.run(async () => 1),
    ]);

    expect(performance.now() - started).toBeLessThan(250);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      const reason = outcome.status === 'rejected' ? outcome.reason : null;
      expect(reason).toBeInstanceOf(RateLimitedError);
      expect((reason as RateLimitedError).code).toBe('RATE_LIMITED');
      expect((reason as RateLimitedError).waitMs).toBeGreaterThan(300);
    }
    expect(await fixture.raw.zcard(key)).toBe(RATE);
    expect(impatient.queueLength).toBe(0);
    expect(fallback.uses).toEqual({ run: 0 });
  });

  it('refuses a caller queued behind tasks that do not settle once its wait would pass maxWaitMs', async () => {
    const key = nextKey();
    const fallback = countingFallback();
    const replicaA = await limiterOn(fixture.a, key, fallback.limiter);
    const maxWaitMs = 1_500;
    const impatient = await limiterOn(fixture.b, key, fallback.limiter, maxWaitMs);
    const release: Array<() => void> = [];
    const running = Array.from({ length: RATE }, () =>
      replicaA.run(() => new Promise<void>((resolve) => release.push(resolve))),
    );
    await until(() => release.length === RATE, 'the tasks to start');

    // Replica B has not seen the log yet, so it queues the caller; every try then finds the window held.
    const started = performance.now();
    const refused = await turn(impatient).then(
      () => null,
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(performance.now() - started).toBeLessThan(maxWaitMs + COMMAND_TIMEOUT_MS);
    expect(impatient.queueLength).toBe(0);
    expect(await fixture.raw.zcard(key)).toBe(RATE);
    for (const done of release) done();
    await Promise.all(running);
    await turn(impatient);
    expect(fallback.uses).toEqual({ run: 0 });
  });

  it('honours an abort while waiting for a shared slot', async () => {
    const key = nextKey();
    const fallback = countingFallback();
    const replica = await limiterOn(fixture.a, key, fallback.limiter);
    await Promise.all(Array.from({ length: RATE }, () => turn(replica)));

    const controller = new AbortController();
    const waiting = turn(replica, controller.signal);
    await until(() => replica.queueLength === 1, 'the caller to queue');
    const started = performance.now();
    controller.abort(new Error('client went away'));

    await expect(waiting).rejects.toThrow('client went away');
    expect(performance.now() - started).toBeLessThan(100);
    expect(replica.queueLength).toBe(0);
  });

  it('holds the queue while Redis hangs until the others know, then hands all of it to the fallback', async () => {
    const key = nextKey();
    const fallback = countingFallback();
    const replica = await limiterOn(fixture.a, key, fallback.limiter);
    // The connection stays up and healthy; only the commands go unanswered, for longer than the hold.
    await fixture.raw.call('CLIENT', 'PAUSE', '5000', 'ALL');

    const started = performance.now();
    const answers = await Promise.all([
      turn(replica),
      turn(replica),
      replica.run(async () => 'answer'),
      turn(replica),
    ]);

    expect(answers[2]).toBe('answer');
    // The others take this replica for sharing until two beats and a command timeout after its last beat (up
    // to one interval before the pause), and may fill one window: not before then, and all at once after it.
    const elapsed = performance.now() - started;
    const presentMs = 2 * HEARTBEAT_INTERVAL_MS + COMMAND_TIMEOUT_MS;
    expect(elapsed).toBeGreaterThanOrEqual(
      COMMAND_TIMEOUT_MS + presentMs + WINDOW_MS - HEARTBEAT_INTERVAL_MS,
    );
    expect(elapsed).toBeLessThan(COMMAND_TIMEOUT_MS + presentMs + WINDOW_MS + 750);
    expect(fallback.uses).toEqual({ run: 4 });
    await until(async () => (await fixture.raw.ping()) === 'PONG', 'the pause to end');
  }, 15_000);

  it('serves a held queue from the shared log when Redis answers again before it may go local', async () => {
    const key = nextKey();
    const fallback = countingFallback();
    const replica = await limiterOn(fixture.a, key, fallback.limiter);
    await fixture.raw.call('CLIENT', 'PAUSE', String(COMMAND_TIMEOUT_MS + 300), 'ALL');

    await Promise.all([turn(replica), turn(replica), turn(replica)]);

    expect(fallback.uses).toEqual({ run: 0 });
    // Theirs, and the attempt that timed out, which Redis ran once the pause ended.
    expect(await fixture.raw.zcard(key)).toBe(4);
  });

  it('plans on a monotonic clock by default: a step of the wall clock refuses no caller the window lets in', async () => {
    const key = nextKey();
    const fallback = countingFallback();
    const replica = await limiterOn(fixture.a, key, fallback.limiter, 3_000);
    await Promise.all(Array.from({ length: RATE }, () => turn(replica)));
    const filled = performance.now();
    // NTP steps the wall clock an hour back after the replica last saw the log: planned on that clock, the
    // next turn would look an hour away and be refused at once.
    const wallClock = Date.now.bind(Date);
    const step = vi.spyOn(Date, 'now').mockImplementation(() => wallClock() - HOUR_MS);
    try {
      await turn(replica);
    } finally {
      step.mockRestore();
    }

    expect(performance.now() - filled).toBeGreaterThanOrEqual(1_000);
    expect(fallback.uses).toEqual({ run: 0 });
  });

  it('leaves Redis alone for a second after a failure, measured on the clock it is given', async () => {
    const key = nextKey();
    const fallback = countingFallback();
    let skewMs = 0;
    const replica = await limiterOn(
      fixture.a,
      key,
      fallback.limiter,
      10_000,
      () => performance.now() + skewMs,
    );
    await fixture.raw.call('CLIENT', 'PAUSE', String(COMMAND_TIMEOUT_MS + 50), 'ALL');
    const held = turn(replica);
    await until(() => memberships.every((m) => !m.sharing), 'the failure');
    await everyReplicaSharing();

    // Redis answers again, but by the replica's clock the failure was a moment ago, until that clock jumps.
    const jumped = performance.now();
    skewMs += 1_000;
    await held;
    expect(performance.now() - jumped).toBeLessThan(300);
    expect(fallback.uses).toEqual({ run: 0 });
  });

  it('without Redis: calls go to the fallback once the others know, then at once; after a restart, the shared log again', async () => {
    const key = nextKey();
    const fallback = countingFallback();
    const replicaA = await limiterOn(fixture.a, key, fallback.limiter);
    const replicaB = await limiterOn(fixture.b, key, fallback.limiter);
    await fixture.redis.stop();

    // Right after the kill (the connections may not have noticed yet), and once they have.
    for (const round of [1, 2]) {
      if (round === 2) await until(() => !fixture.a.healthy && !fixture.b.healthy, 'both replicas to notice');
      const started = performance.now();
      const answers = await Promise.all([turn(replicaA), turn(replicaB), replicaB.run(async () => round)]);
      // The first round waits for the others to know (see the test of a hanging Redis); the second does not.
      expect(performance.now() - started).toBeLessThan(round === 1 ? 4_000 : 1_000);
      expect(answers[2]).toBe(round);
    }
    expect(fallback.uses).toEqual({ run: 6 });

    await fixture.redis.start();
    await fixture.bothHealthy();
    // A replica that saw a command fail leaves Redis alone for a moment before trying it again.
    await until(async () => {
      const fallbackUses = fallback.uses.run;
      await Promise.all([turn(replicaA), turn(replicaB)]);
      return fallback.uses.run === fallbackUses;
    }, 'both replicas to share the log again');
    const usesBefore = { ...fallback.uses };

    // Every turn goes through the shared log (slowly at first: the shares used during the outage still count
    // for a moment, so the log's length says little), none through the fallback.
    await Promise.all([turn(replicaA), turn(replicaB), replicaA.run(async () => 0)]);
    expect(await fixture.raw.exists(key)).toBe(1);
    expect(fallback.uses).toEqual(usesBefore);
  }, 30_000);

  it('refuses options that would break the log', () => {
    const { limiter } = countingFallback();
    for (const requestsPerSecond of [0, 1.5, Number.NaN]) {
      expect(() =>
        createSharedRateLimiter({
          connection: fixture.a,
          key: nextKey(),
          requestsPerSecond,
          marginMs: 0,
          maxWaitMs: 0,
          fallback: limiter,
          membership: membershipOn(fixture.a, nextKey()),
        }),
      ).toThrow(RangeError);
    }
  });
});
