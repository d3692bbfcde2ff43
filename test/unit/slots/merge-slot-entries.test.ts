import { describe, expect, it } from 'vitest';
import type { MetricSeries, StreamDetail } from '../../../src/model/call-detail.js';
import { mergeSlotEntries } from '../../../src/slots/merge-slot-entries.js';
import { decodeSlotEntry, encodeSlotEntry, isWholeSlotEntry } from '../../../src/slots/slot-entry.js';

const SLOT_START = 10_000;
const SLOT_MS = 1_000;

function metric(name: string, times: number[]): MetricSeries {
  return {
    name,
    description: `${name} description`,
    unit: 'ms',
    times: Float64Array.from(times),
    values: Float64Array.from(times, (time) => time / 10),
  };
}

/** The slot's data: an UP stream with Rtt every 100 ms, and Fps only in its second half. */
const STREAMS: StreamDetail[] = [
  {
    userId: 'alice',
    direction: 'up',
    peerId: null,
    metrics: [
      metric('Rtt', [10_000, 10_100, 10_200, 10_300, 10_400, 10_500, 10_600, 10_700, 10_800, 10_900]),
      metric('Fps', [10_600, 10_700, 10_800]),
    ],
  },
];

const part = (fromMs: number, toMs: number) =>
  encodeSlotEntry(STREAMS, SLOT_START, SLOT_START + SLOT_MS, fromMs, toMs);

function columns(entry: ReturnType<typeof part>) {
  return decodeSlotEntry(entry, 'alice', 'up').flatMap((stream) =>
    stream.metrics.map((series) => [series.name, [...series.times], [...series.values]]),
  );
}

describe('mergeSlotEntries', () => {
  it('joins touching parts, in either order, into the entry a whole fetch makes', () => {
    const whole = part(SLOT_START, SLOT_START + SLOT_MS);
    for (const [held, fetched] of [
      [part(10_000, 10_450), part(10_450, 11_000)],
      [part(10_450, 11_000), part(10_000, 10_450)],
    ] as const) {
      const merged = mergeSlotEntries(held, fetched, SLOT_START, SLOT_MS);
      expect(merged && isWholeSlotEntry(merged)).toBe(true);
      expect(columns(merged as NonNullable<typeof merged>)).toEqual(columns(whole));
    }
  });

  it('joins overlapping parts with every point once, and keeps the interval they cover together', () => {
    const merged = mergeSlotEntries(part(10_100, 10_650), part(10_500, 10_750), SLOT_START, SLOT_MS);
    expect([merged?.coveredFromMs, merged?.coveredToMs]).toEqual([10_100, 10_750]);
    expect(columns(merged as NonNullable<typeof merged>)).toEqual(columns(part(10_100, 10_750)));
  });

  it('keeps the entry that holds the other, and refuses parts with a gap between them', () => {
    const wide = part(10_000, 10_800);
    const narrow = part(10_200, 10_400);
    expect(mergeSlotEntries(wide, narrow, SLOT_START, SLOT_MS)).toBe(wide);
    expect(mergeSlotEntries(narrow, wide, SLOT_START, SLOT_MS)).toBe(wide);
    expect(mergeSlotEntries(part(10_000, 10_300), part(10_500, 11_000), SLOT_START, SLOT_MS)).toBeNull();
  });
});
