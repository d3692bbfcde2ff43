import { describe, expect, it } from 'vitest';
import { slotNeedsOf } from '../../../src/slots/slot-needs.js';

const MINUTE_MS = 60_000;
const SLOT_MS = 5 * MINUTE_MS;
const H10 = Date.UTC(2024, 0, 1, 10);
/** A clock a day on: every range here is past. */
const LATER = H10 + 24 * 60 * MINUTE_MS;

describe('slotNeedsOf', () => {
  it('lists every slot of an aligned range, each with the directions in the order asked', () => {
    const needs = slotNeedsOf(
      { userId: 'alice', fromMs: H10, toMs: H10 + 15 * MINUTE_MS, directions: ['down', 'up'] },
      SLOT_MS,
      LATER,
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
      LATER,
    );
    expect(needs.map(([need]) => [need?.slotStartMs, need?.fromMs, need?.toMs])).toEqual([
      [H10, H10 + 2 * MINUTE_MS, H10 + 5 * MINUTE_MS],
      [H10 + 5 * MINUTE_MS, H10 + 5 * MINUTE_MS, H10 + 10 * MINUTE_MS],
      [H10 + 10 * MINUTE_MS, H10 + 10 * MINUTE_MS, H10 + 11 * MINUTE_MS],
    ]);
  });

  it('widens the parts outwards to whole seconds, as the upstream takes them', () => {
    const needs = slotNeedsOf(
      { userId: 'c', fromMs: H10 + 1_250, toMs: H10 + 7_001, directions: ['up'] },
      SLOT_MS,
      LATER,
    );
    expect(needs.flat().map((need) => [need.fromMs, need.toMs])).toEqual([[H10 + 1_000, H10 + 8_000]]);
  });

  it('rounds an end that reaches the present down, so the last hour asked at any millisecond is one hour', () => {
    const nowMs = H10 + 60 * MINUTE_MS + 437;
    const needs = slotNeedsOf(
      { userId: 'c', fromMs: nowMs - 60 * MINUTE_MS, toMs: nowMs, directions: ['up'] },
      SLOT_MS,
      nowMs,
    );
    const parts = needs.flat();
    expect(parts).toHaveLength(13);
    expect([parts[0]?.fromMs, parts.at(-1)?.toMs]).toEqual([H10, H10 + 60 * MINUTE_MS]);
    // The same range asked a minute later is past: its end is widened.
    const past = slotNeedsOf(
      { userId: 'c', fromMs: nowMs - 60 * MINUTE_MS, toMs: nowMs, directions: ['up'] },
      SLOT_MS,
      nowMs + MINUTE_MS,
    );
    expect(past.flat().at(-1)?.toMs).toBe(H10 + 60 * MINUTE_MS + 1_000);
  });

  it('gives a one-millisecond range its one slot, and ends before a slot starting exactly at `to`', () => {
    expect(
      slotNeedsOf({ userId: 'c', fromMs: H10, toMs: H10 + 1, directions: ['up'] }, SLOT_MS, LATER),
    ).toHaveLength(1);
    expect(
      slotNeedsOf({ userId: 'c', fromMs: H10, toMs: H10 + SLOT_MS, directions: ['up'] }, SLOT_MS, LATER),
    ).toHaveLength(1);
  });
});
