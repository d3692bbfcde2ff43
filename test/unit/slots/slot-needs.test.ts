import { describe, expect, it } from 'vitest';
import { slotNeedsOf } from '../../../src/slots/slot-needs.js';

const MINUTE_MS = 60_000;
const SLOT_MS = 5 * MINUTE_MS;
const H10 = Date.UTC(2024, 0, 1, 10);

describe('slotNeedsOf', () => {
  it('lists every slot of an aligned range, each with the directions in the order asked', () => {
    const needs = slotNeedsOf(
      { userId: 'alice', fromMs: H10, toMs: H10 + 15 * MINUTE_MS, directions: ['down', 'up'] },
      SLOT_MS,
    );
    expect(needs).toEqual(
      [0, 5, 10].map((minute) => [
        { userId: 'alice', slotStartMs: H10 + minute * MINUTE_MS, direction: 'down' },
        { userId: 'alice', slotStartMs: H10 + minute * MINUTE_MS, direction: 'up' },
      ]),
    );
  });

  it('covers the partial slots at both ends of an unaligned range', () => {
    const needs = slotNeedsOf(
      { userId: 'bob', fromMs: H10 + 2 * MINUTE_MS, toMs: H10 + 11 * MINUTE_MS, directions: ['up'] },
      SLOT_MS,
    );
    expect(needs.map(([need]) => need?.slotStartMs)).toEqual([
      H10,
      H10 + 5 * MINUTE_MS,
      H10 + 10 * MINUTE_MS,
    ]);
  });

  it('gives a one-millisecond range its one slot, and ends before a slot starting exactly at `to`', () => {
    expect(
      slotNeedsOf({ userId: 'c', fromMs: H10, toMs: H10 + 1, directions: ['up'] }, SLOT_MS),
    ).toHaveLength(1);
    expect(
      slotNeedsOf({ userId: 'c', fromMs: H10, toMs: H10 + SLOT_MS, directions: ['up'] }, SLOT_MS),
    ).toHaveLength(1);
  });
});
