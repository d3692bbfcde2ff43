/**
 * The rate limiter's turns across flows (upstream/fair-queue.ts), through createRateLimiter: round-robin
 * between principals and their operations, every call still served, and no turn given away that would cost an earlier caller its
 * maxWaitMs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFlow, type Flow } from '../../../src/model/flow.js';
import { createRateLimiter, type RateLimiterOptions } from '../../../src/upstream/rate-limiter.js';
import { RateLimitedError } from '../../../src/upstream/upstream-error.js';

// Fake timers also fake Date.now, the limiter's injected clock here: time moves only when the test moves it.
beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

function limiter(overrides: Partial<RateLimiterOptions> = {}) {
  return createRateLimiter({
    requestsPerSecond: 3,
    marginMs: 50,
    maxWaitMs: 10_000,
    now: () => Date.now(),
    ...overrides,
  });
}

/** Every grant, in order, as `<label><index within its flow>@<time>`; refusals as `<label><index>!`. */
function recorder(target: ReturnType<typeof limiter>) {
  const log: string[] = [];
  const pending: Promise<void>[] = [];
  const counts = new Map<string, number>();
  return {
    log,
    /** Queues `count` calls of `flow` now, as one operation's planned calls are. */
    ask(label: string, flow: Flow, count: number) {
      for (let i = 0; i < count; i++) {
        const index = counts.get(label) ?? 0;
        counts.set(label, index + 1);
        pending.push(
          target
            .run(async () => void log.push(`${label}${index}@${Date.now()}`), undefined, flow)
            .catch((error: unknown) => {
              expect(error).toBeInstanceOf(RateLimitedError);
              log.push(`${label}${index}!`);
            }),
        );
      }
    },
    settled: () => Promise.all(pending),
  };
}

describe('fair turns across flows', () => {
  it("serves a later operation's one call at the next free turn, not after a long export's queue", async () => {
    const target = limiter();
    const calls = recorder(target);
    calls.ask('export', createFlow('anonymous'), 12);
    await vi.advanceTimersByTimeAsync(10);
    calls.ask('dash', createFlow('anonymous'), 1);
    expect(target.queuedFlows).toBe(2);
    await vi.advanceTimersByTimeAsync(10_000);
    await calls.settled();

    // First come, first served would have granted the dashboard at 4200, after all 12 export calls.
    expect(calls.log).toEqual([
      'export0@0',
      'export1@0',
      'export2@0',
      'export3@1050',
      'dash0@1050',
      'export4@1050',
      'export5@2100',
      'export6@2100',
      'export7@2100',
      'export8@3150',
      'export9@3150',
      'export10@3150',
      'export11@4200',
    ]);
    expect(target.queueLength).toBe(0);
    expect(target.queuedFlows).toBe(0);
  });

  it('takes turns round-robin between operations queued together, and completes every one of them', async () => {
    const target = limiter({ requestsPerSecond: 2 });
    const calls = recorder(target);
    const [a, b, c] = [createFlow('anonymous'), createFlow('anonymous'), createFlow('anonymous')];
    calls.ask('a', a, 4);
    calls.ask('b', b, 2);
    calls.ask('c', c, 3);
    await vi.advanceTimersByTimeAsync(10_000);
    await calls.settled();

    // The first two take the free turns at once; then one per operation per round, the same two per window.
    expect(calls.log).toEqual([
      'a0@0',
      'a1@0',
      'a2@1050',
      'b0@1050',
      'c0@2100',
      'a3@2100',
      'b1@3150',
      'c1@3150',
      'c2@4200',
    ]);
  });

  it('gives each principal one turn per round, however many operations it runs', async () => {
    const target = limiter({ requestsPerSecond: 2 });
    const calls = recorder(target);
    calls.ask('a', createFlow('batch-client'), 4);
    calls.ask('b', createFlow('batch-client'), 4);
    calls.ask('c', createFlow('dashboard-client'), 4);
    await vi.advanceTimersByTimeAsync(10_000);
    await calls.settled();

    // Operations alone would give the batch client two turns in three; its two share one in two.
    expect(calls.log).toEqual([
      'a0@0',
      'a1@0',
      'a2@1050',
      'c0@1050',
      'b0@2100',
      'c1@2100',
      'a3@3150',
      'c2@3150',
      'b1@4200',
      'c3@4200',
      'b2@5250',
      'b3@5250',
    ]);
  });

  it('lends an export its slack only: a later flow never pushes an admitted call past maxWaitMs', async () => {
    // 9 calls at 3 per window end at 2100, exactly the wait allowed: the export has no slack to lend.
    const target = limiter({ maxWaitMs: 2100 });
    const calls = recorder(target);
    calls.ask('export', createFlow('anonymous'), 9);
    await vi.advanceTimersByTimeAsync(1100);
    // Planned behind the export's last three (first come, first served), they fit within their own wait.
    calls.ask('late', createFlow('anonymous'), 3);
    await vi.advanceTimersByTimeAsync(10_000);
    await calls.settled();

    // Round robin alone would have served late0 at 2100 and refused export8, which asked at 0.
    expect(calls.log).toEqual([
      'export0@0',
      'export1@0',
      'export2@0',
      'export3@1050',
      'export4@1050',
      'export5@1050',
      'export6@2100',
      'export7@2100',
      'export8@2100',
      'late0@3150',
      'late1@3150',
      'late2@3150',
    ]);
  });

  it('on a slow upstream, lends only the slack left once every slot is held for as long as tasks take', async () => {
    // Tasks of 500 ms make a window 1550 ms: 9 calls end at 3100, within 4000, but with no window to spare.
    const target = limiter({ maxWaitMs: 4000 });
    const log: string[] = [];
    const ask = (label: string, flow: Flow) =>
      target
        .run(
          async () => {
            log.push(`${label}@${Date.now()}`);
            await new Promise((resolve) => setTimeout(resolve, 500));
          },
          undefined,
          flow,
        )
        .catch(() => void log.push(`${label}!`));
    const exportFlow = createFlow('anonymous');
    const pending = Array.from({ length: 9 }, (_, i) => ask(`export${i}`, exportFlow));
    await vi.advanceTimersByTimeAsync(100);
    pending.push(ask('dash0', createFlow('anonymous')));
    await vi.advanceTimersByTimeAsync(10_000);
    await Promise.all(pending);

    // Planned as if slots counted from their grants, the dashboard would have gone at 1550 and the export's
    // last two been refused at 4000. First come, first served, the dashboard misses its deadline just the same.
    expect(log).toEqual([
      'export0@0',
      'export1@0',
      'export2@0',
      'export3@1550',
      'export4@1550',
      'export5@1550',
      'export6@3100',
      'export7@3100',
      'export8@3100',
      'dash0!',
    ]);
  });

  it('still refuses, at once, a call that would not be served within maxWaitMs after everyone ahead', async () => {
    const target = limiter({ maxWaitMs: 2100 });
    const calls = recorder(target);
    calls.ask('export', createFlow('anonymous'), 9);
    calls.ask('dash', createFlow('anonymous'), 1);
    // Refused before any time passes: after the export's nine, its turn would come at 3150.
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.log).toEqual(['export0@0', 'export1@0', 'export2@0', 'dash0!']);
    await vi.advanceTimersByTimeAsync(10_000);
    await calls.settled();
    expect(calls.log.filter((entry) => entry.startsWith('export'))).toHaveLength(9);
  });

  it('calls that name no flow share one, behind which a flow still gets its turn', async () => {
    const target = limiter();
    const calls = recorder(target);
    for (let i = 0; i < 6; i++) {
      void target.run(async () => void calls.log.push(`anon@${Date.now()}`));
    }
    calls.ask('dash', createFlow('anonymous'), 1);
    expect(target.queuedFlows).toBe(2);
    await vi.advanceTimersByTimeAsync(5_000);
    await calls.settled();
    expect(calls.log).toEqual([
      'anon@0',
      'anon@0',
      'anon@0',
      'anon@1050',
      'dash0@1050',
      'anon@1050',
      'anon@2100',
    ]);
  });
});
