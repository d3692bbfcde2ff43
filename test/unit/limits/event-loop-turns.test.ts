import { describe, expect, it } from 'vitest';
import { createEventLoopTurns } from '../../../src/limits/event-loop-turns.js';

describe('createEventLoopTurns', () => {
  it('gives an operation all the turns it asks for before the next operation gets one', async () => {
    const turns = createEventLoopTurns();
    const first = turns.forOperation();
    const second = turns.forOperation();
    const order: string[] = [];
    const asked = [
      first().then(() => order.push('first 1')),
      second().then(() => order.push('second 1')),
      first().then(() => order.push('first 2')),
      second().then(() => order.push('second 2')),
    ];
    await Promise.all(asked);
    expect(order).toEqual(['first 1', 'first 2', 'second 1', 'second 2']);
  });

  it('hands out one turn per iteration of the event loop, never two in one', async () => {
    const turns = createEventLoopTurns().forOperation();
    let iterations = 0;
    let counting = true;
    const count = () => {
      iterations += 1;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const seen: number[] = [];
    await Promise.all([1, 2, 3].map(() => turns().then(() => seen.push(iterations))));
    counting = false;
    // Each turn saw a later iteration than the one before it.
    expect(new Set(seen).size).toBe(3);
  });
});
