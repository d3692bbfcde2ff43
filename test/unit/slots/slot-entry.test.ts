import { describe, expect, it } from 'vitest';
import type { CallDetailResult, MetricSeries, StreamDetail } from '../../../src/model/call-detail.js';
import {
  decodeSlotEntry,
  EMPTY_SLOT_ENTRY,
  encodeSlotEntry,
  isWholeSlotEntry,
  slotEntryBytes,
  slotEntryCoverage,
  streamsOf,
} from '../../../src/slots/slot-entry.js';

function metric(name: string, times: number[], values: number[]): MetricSeries {
  return {
    name,
    description: `${name} description`,
    unit: 'kbps',
    times: Float64Array.from(times),
    values: Float64Array.from(values),
  };
}

function stream(direction: 'up' | 'down', peerId: string | null, metrics: MetricSeries[]): StreamDetail {
  return { userId: 'alice', direction, peerId, metrics };
}

/** The (time, value) pairs of a decoded series, for readable comparisons. */
function pairs(series: MetricSeries | undefined): number[][] {
  if (!series) throw new Error('missing series');
  return [...series.times].map((time, index) => [time, series.values[index] as number]);
}

describe('encodeSlotEntry', () => {
  it('keeps exactly the points in [start, end): the point at `end` belongs to the next slot', () => {
    const streams = [stream('up', null, [metric('Rtt', [900, 1000, 1500, 1999, 2000], [1, 2, 3, 4, 5])])];
    const entry = encodeSlotEntry(streams, 1000, 2000);
    expect(entry.points).toBe(3);

    const decoded = decodeSlotEntry(entry, 'alice', 'up');
    expect(decoded).toHaveLength(1);
    expect(pairs(decoded[0]?.metrics[0])).toEqual([
      [1000, 2],
      [1500, 3],
      [1999, 4],
    ]);
    expect(
      pairs(decodeSlotEntry(encodeSlotEntry(streams, 2000, 3000), 'alice', 'up')[0]?.metrics[0]),
    ).toEqual([[2000, 5]]);
  });

  it('keeps every peer and metric with points in the slot, in order, and drops those without', () => {
    const streams = [
      stream('down', 'host', [
        metric('AudioRecvBitrate', [1000, 1100], [32, 33]),
        metric('VideoRecvBitrate', [1200], [900]),
        metric('Empty', [2500], [7]),
      ]),
      stream('down', 'guest-1', [metric('AudioRecvBitrate', [1050, 1950], [40, 41])]),
      stream('down', 'guest-2', [metric('AudioRecvBitrate', [500], [1])]),
    ];
    const decoded = decodeSlotEntry(encodeSlotEntry(streams, 1000, 2000), 'bob', 'down');

    expect(decoded.map((s) => [s.userId, s.direction, s.peerId])).toEqual([
      ['bob', 'down', 'host'],
      ['bob', 'down', 'guest-1'],
    ]);
    expect(decoded[0]?.metrics.map((m) => m.name)).toEqual(['AudioRecvBitrate', 'VideoRecvBitrate']);
    expect(pairs(decoded[0]?.metrics[0])).toEqual([
      [1000, 32],
      [1100, 33],
    ]);
    expect(pairs(decoded[0]?.metrics[1])).toEqual([[1200, 900]]);
    expect(pairs(decoded[1]?.metrics[0])).toEqual([
      [1050, 40],
      [1950, 41],
    ]);
    expect(decoded[1]?.metrics[0]).toMatchObject({
      description: 'AudioRecvBitrate description',
      unit: 'kbps',
    });
  });

  it('makes an empty entry of no streams, and of streams without points in the slot', () => {
    const none = encodeSlotEntry([], 1000, 2000);
    expect(none.series).toHaveLength(0);
    expect(none.points).toBe(0);
    expect(none.streams).toEqual([]);
    expect(decodeSlotEntry(none, 'alice', 'up')).toEqual([]);

    const outside = encodeSlotEntry([stream('up', null, [metric('Rtt', [10, 2000], [1, 2])])], 1000, 2000);
    expect(outside.series).toHaveLength(0);
    expect(outside.streams).toEqual([]);
  });

  it('gives every slot without data the one shared, frozen empty entry', () => {
    const none = encodeSlotEntry([], 1000, 2000);
    const outside = encodeSlotEntry([stream('up', null, [metric('Rtt', [10, 2000], [1, 2])])], 1000, 2000);
    expect(none).toBe(EMPTY_SLOT_ENTRY);
    expect(outside).toBe(EMPTY_SLOT_ENTRY);
    expect(encodeSlotEntry([], 5000, 6000)).toBe(EMPTY_SLOT_ENTRY);
    expect(Object.isFrozen(EMPTY_SLOT_ENTRY)).toBe(true);
    expect(Object.isFrozen(EMPTY_SLOT_ENTRY.streams)).toBe(true);
    expect(Object.isFrozen(EMPTY_SLOT_ENTRY.series)).toBe(true);
  });

  it('keeps the coverage of an empty slot cut at the retention edge in an entry of its own', () => {
    const cut = encodeSlotEntry([], 1000, 2000, 1500);
    expect(cut).not.toBe(EMPTY_SLOT_ENTRY);
    expect(cut.coveredFromMs).toBe(1500);
    expect(cut.series).toHaveLength(0);
    expect(decodeSlotEntry(cut, 'alice', 'up')).toEqual([]);
    expect(EMPTY_SLOT_ENTRY.coveredFromMs).toBeUndefined();
  });

  it('cuts a call that starts and ends inside the slot to the part it covers, and says which part', () => {
    const streams = [stream('up', null, [metric('Rtt', [1000, 1200, 1400, 1600, 1800], [1, 2, 3, 4, 5])])];
    const part = encodeSlotEntry(streams, 1000, 2000, 1200, 1600);
    expect([part.coveredFromMs, part.coveredToMs, isWholeSlotEntry(part)]).toEqual([1200, 1600, false]);
    expect(slotEntryCoverage(part, 1000, 1000)).toEqual({ fromMs: 1200, toMs: 1600 });
    expect(pairs(decodeSlotEntry(part, 'alice', 'up')[0]?.metrics[0])).toEqual([
      [1200, 2],
      [1400, 3],
    ]);
    const whole = encodeSlotEntry(streams, 1000, 2000, 900, 2100);
    expect(isWholeSlotEntry(whole)).toBe(true);
    expect(slotEntryCoverage(whole, 1000, 1000)).toEqual({ fromMs: 1000, toMs: 2000 });
    // An empty part is an entry of its own: the shared empty entry stands for a whole empty slot.
    const emptyPart = encodeSlotEntry([], 1000, 2000, 1000, 1500);
    expect(emptyPart).not.toBe(EMPTY_SLOT_ENTRY);
    expect(emptyPart.coveredToMs).toBe(1500);
  });
});

describe('decodeSlotEntry', () => {
  it("returns the input points as views of one buffer holding exactly the entry's numbers", () => {
    const streams = [
      stream('up', null, [metric('AudioSendBitrate', [1000, 1010], [48, 49]), metric('Rtt', [1005], [21])]),
    ];
    const entry = encodeSlotEntry(streams, 1000, 2000);
    const decoded = decodeSlotEntry(entry, 'alice', 'up');

    expect(decoded).toEqual(streams);
    const buffer = decoded[0]?.metrics[0]?.times.buffer;
    expect(buffer?.byteLength).toBe(2 * 3 * 8);
    for (const series of decoded[0]?.metrics ?? []) {
      expect(series.times.buffer).toBe(buffer);
      expect(series.values.buffer).toBe(buffer);
    }
  });

  it('gives back every number bit for bit: -0, NaN, infinities, long mantissas', () => {
    const values = [-0, Number.NaN, Infinity, -Infinity, 0.1 + 0.2, 5e-324, 1234.5, -7];
    const times = values.map((_, index) => 1000 + index * 10);
    const entry = encodeSlotEntry([stream('up', null, [metric('Odd', times, values)])], 1000, 2000);
    const back = decodeSlotEntry(entry, 'alice', 'up')[0]?.metrics[0];
    if (!back) throw new Error('missing series');
    expect([...back.times]).toEqual(times);
    expect(Buffer.from(back.values.buffer, back.values.byteOffset, 64)).toEqual(
      Buffer.from(Float64Array.from(values).buffer),
    );
    expect(Object.is(back.values[0], -0)).toBe(true);
  });
});

describe('the compact form', () => {
  it('keeps a 5-minute slot at 10 s sampling in about a byte and a half a point, not 16', () => {
    const times = Array.from({ length: 30 }, (_, index) => 1_767_225_600_000 + index * 10_000);
    const metrics = [
      metric(
        'VideoSendBitrate',
        times,
        times.map((_, i) => [1234.5, 1187.3, 1301.9][i % 3] as number),
      ),
      metric(
        'Rtt',
        times,
        times.map((_, i) => 40 + (i % 7)),
      ),
      metric(
        'PacketLossRate',
        times,
        times.map((_, i) => (i % 5) / 100),
      ),
      metric(
        'VideoStallDuration',
        times,
        times.map(() => 0),
      ),
    ];
    const entry = encodeSlotEntry([stream('up', null, metrics)], 1_767_225_600_000, 1_767_225_900_000);
    expect(entry.points).toBe(120);
    expect(entry.series.byteLength).toBeLessThanOrEqual(1.5 * 120);
    expect(decodeSlotEntry(entry, 'alice', 'up')).toEqual([stream('up', null, metrics)]);
  });
});

describe('slotEntryBytes', () => {
  const points = [1000, 1001, 1002];
  const values = [1, 2, 3];

  it('counts the encoded series and its objects, and nothing more for the shared empty entry', () => {
    const entry = encodeSlotEntry([stream('up', null, [metric('Rtt', points, values)])], 1000, 2000);
    expect(slotEntryBytes(entry)).toBeGreaterThan(entry.series.byteLength);
    expect(slotEntryBytes(EMPTY_SLOT_ENTRY)).toBe(0);
    expect(slotEntryBytes(encodeSlotEntry([], 1000, 2000, 1500))).toBeGreaterThan(0);
  });

  it('counts a peer id in full, and the metric texts (one copy for the process) not per entry', () => {
    const short = encodeSlotEntry([stream('down', 'h', [metric('Rtt', points, values)])], 1000, 2000);
    const longName = encodeSlotEntry(
      [stream('down', 'h', [metric(`Rtt${'x'.repeat(100)}`, points, values)])],
      1000,
      2000,
    );
    const longPeer = encodeSlotEntry(
      [stream('down', 'h'.repeat(101), [metric('Rtt', points, values)])],
      1000,
      2000,
    );
    expect(slotEntryBytes(longName)).toBe(slotEntryBytes(short));
    // 'h' and 'h' x 101: 16 + 8 and 16 + 104 bytes.
    expect(slotEntryBytes(longPeer)).toBe(slotEntryBytes(short) + 96);
  });

  it('grows with every stream and metric', () => {
    const one = encodeSlotEntry([stream('down', 'h', [metric('Rtt', points, values)])], 1000, 2000);
    const two = encodeSlotEntry(
      [stream('down', 'h', [metric('Rtt', points, values), metric('Rtt', points, values)])],
      1000,
      2000,
    );
    expect(slotEntryBytes(two)).toBeGreaterThan(slotEntryBytes(one) + 32);
  });
});

describe('streamsOf', () => {
  it('picks one user and direction out of a call result, in result order', () => {
    const upA = { ...stream('up', null, []), userId: 'a' };
    const downA1 = { ...stream('down', 'host', []), userId: 'a' };
    const upB = { ...stream('up', null, []), userId: 'b' };
    const downA2 = { ...stream('down', 'guest-1', []), userId: 'a' };
    const result: CallDetailResult = { requestId: 'r', streams: [upA, downA1, upB, downA2], startMs: 0 };
    expect(streamsOf(result, 'a', 'down')).toEqual([downA1, downA2]);
    expect(streamsOf(result, 'b', 'up')).toEqual([upB]);
    expect(streamsOf(result, 'c', 'up')).toEqual([]);
  });
});
