import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from '../../../src/simulator/sliding-window-limiter.js';
import { type ManualClock, manualClock } from '../../helpers/manual-clock.js';

describe('SlidingWindowLimiter', () => {
  function limiterAt(clock: ManualClock) {
    return new SlidingWindowLimiter({ limit: 3, windowMs: 1000, clock: clock.now });
  }

  it('allows `limit` attempts in any window and refuses the next', () => {
    const clock = manualClock(0);
    const limiter = limiterAt(clock);
    expect([1, 2, 3, 4].map(() => limiter.tryAcquire('ak'))).toEqual([true, true, true, false]);
    clock.set(999);
    expect(limiter.tryAcquire('ak')).toBe(false);
  });

  it('counts refused attempts too, as the upstream counts what it receives', () => {
    const clock = manualClock(0);
    const limiter = limiterAt(clock);
    for (let attempt = 0; attempt < 4; attempt += 1) limiter.tryAcquire('ak');
    clock.set(999);
    limiter.tryAcquire('ak'); // refused, yet it occupies the window until 1999
    clock.set(1000);
    // In (0, 1000]: the refused attempt at 999 plus these.
    expect([1, 2, 3].map(() => limiter.tryAcquire('ak'))).toEqual([true, true, false]);
    clock.set(1999);
    expect(limiter.tryAcquire('ak')).toBe(false);
    clock.set(2000);
    expect(limiter.tryAcquire('ak')).toBe(true);
  });

  it('keeps keys apart', () => {
    const limiter = limiterAt(manualClock(0));
    for (let attempt = 0; attempt < 3; attempt += 1) limiter.tryAcquire('ak1');
    expect(limiter.tryAcquire('ak1')).toBe(false);
    expect(limiter.tryAcquire('ak2')).toBe(true);
  });
});
