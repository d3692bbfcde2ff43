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
      [0, 5, 10].map((minute) => {
        const slot = { slotStartMs: H10 + minute * MINUTE_MS, fromMs: H10 + minute * MINUTE_MS };
        const part = { ...slot, toMs: slot.fromMs + SLOT_MS };
        return [
          { userId: 'alice', ...part, direction: 'down' },
          { userId: 'alice', ...part, direction: 'up' },
        ];
      }),
    );
  });

  it('covers the partial slots at both ends of an unaligned range, with only the part inside it', () => {
    const needs = slotNeedsOf(
      { userId: 'bob', fromMs: H10 + 2 * MINUTE_MS, toMs: H10 + 11 * MINUTE_MS, directions: ['up'] },
      SLOT_MS,
    );
    expect(needs.map(([need]) => [need?.slotStartMs, need?.fromMs, need?.toMs])).toEqual([
      [H10, H10 + 2 * MINUTE_MS, H10 + 5 * MINUTE_MS],
      [H10 + 5 * MINUTE_MS, H10 + 5 * MINUTE_MS, H10 + 10 * MINUTE_MS],
      [H10 + 10 * MINUTE_MS, H10 + 10 * MINUTE_MS, H10 + 11 * MINUTE_MS],
    ]);
  });

  it('puts the parts on whole seconds, both ends rounded up, so an hour at any millisecond stays an hour', () => {
    const needs = slotNeedsOf(
      { userId: 'c', fromMs: H10 + 1_250, toMs: H10 + 7_001, directions: ['up'] },
      SLOT_MS,
    );
    expect(needs.flat().map((need) => [need.fromMs, need.toMs])).toEqual([[H10 + 2_000, H10 + 8_000]]);
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
