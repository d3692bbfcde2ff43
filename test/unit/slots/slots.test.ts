import { describe, expect, it } from 'vitest';
import { isSlotImmutable, slotStartOf, slotsCovering } from '../../../src/slots/slots.js';

const SLOT_MS = 5 * 60_000;
const AT_10_00 = Date.UTC(2024, 0, 1, 10, 0, 0);

describe('slotStartOf', () => {
  it('aligns to the epoch, whatever the offset inside the slot', () => {
    expect(slotStartOf(Date.UTC(2024, 0, 1, 10, 7, 30), SLOT_MS)).toBe(Date.UTC(2024, 0, 1, 10, 5));
    expect(slotStartOf(Date.UTC(2024, 0, 1, 10, 5), SLOT_MS)).toBe(Date.UTC(2024, 0, 1, 10, 5));
    expect(slotStartOf(Date.UTC(2024, 0, 1, 10, 9, 59, 999), SLOT_MS)).toBe(Date.UTC(2024, 0, 1, 10, 5));
  });
});

describe('slotsCovering', () => {
  it('covers an unaligned range from the slot holding its start to the slot holding its last instant', () => {
    // [10:02:30, 10:12:00.001): slots 10:00, 10:05 and 10:10.
    const from = Date.UTC(2024, 0, 1, 10, 2, 30);
    const to = Date.UTC(2024, 0, 1, 10, 12, 0, 1);
    expect(slotsCovering(from, to, SLOT_MS)).toEqual([AT_10_00, AT_10_00 + SLOT_MS, AT_10_00 + 2 * SLOT_MS]);
  });

  it('leaves out the slot starting exactly at the (exclusive) end', () => {
    expect(slotsCovering(AT_10_00, AT_10_00 + 2 * SLOT_MS, SLOT_MS)).toEqual([AT_10_00, AT_10_00 + SLOT_MS]);
    expect(slotsCovering(AT_10_00 + 1, AT_10_00 + SLOT_MS, SLOT_MS)).toEqual([AT_10_00]);
  });

  it('gives an aligned hour as 12 slots of 5 minutes', () => {
    const slots = slotsCovering(AT_10_00, AT_10_00 + 3_600_000, SLOT_MS);
    expect(slots).toHaveLength(12);
    expect(slots[11]).toBe(Date.UTC(2024, 0, 1, 10, 55));
  });
});

describe('isSlotImmutable', () => {
  const SETTLE_MS = 160_000;
  // The slot 10:00-10:05 settles at 10:05 + 160 s = 10:07:40.
  const settlesAt = AT_10_00 + SLOT_MS + SETTLE_MS;

  it('is immutable from exactly settle time after the slot end on', () => {
    expect(isSlotImmutable(AT_10_00, SLOT_MS, settlesAt, SETTLE_MS)).toBe(true);
    expect(isSlotImmutable(AT_10_00, SLOT_MS, settlesAt + 3_600_000, SETTLE_MS)).toBe(true);
  });

  it('is still moving one millisecond before', () => {
    expect(isSlotImmutable(AT_10_00, SLOT_MS, settlesAt - 1, SETTLE_MS)).toBe(false);
    expect(isSlotImmutable(AT_10_00, SLOT_MS, AT_10_00 + SLOT_MS, SETTLE_MS)).toBe(false);
  });
});
