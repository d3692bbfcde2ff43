import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { MetricSeries, StreamDetail } from '../../../src/model/call-detail.js';
import {
  decodeSlotEntryBinary,
  encodeSlotEntryBinary,
  SlotCodecError,
} from '../../../src/redis/slot-codec.js';
import {
  decodeSlotEntry,
  EMPTY_SLOT_ENTRY,
  encodeSlotEntry,
  type SlotEntry,
} from '../../../src/slots/slot-entry.js';

function metric(name: string, times: number[], values: number[]): MetricSeries {
  return {
    name,
    description: `${name}: 描述 "quoted"`,
    unit: 'kbps',
    times: Float64Array.from(times),
    values: Float64Array.from(values),
  };
}

function stream(peerId: string | null, metrics: MetricSeries[]): StreamDetail {
  return { userId: 'alice', direction: peerId === null ? 'up' : 'down', peerId, metrics };
}

const SLOT_START = 1_767_225_600_000;
const SLOT_END = SLOT_START + 300_000;

/** An entry with two down peers, several metrics and the edge values a double can hold. */
function richEntry(): SlotEntry {
  const edges = [0, -0, -1.5, 1e-300, -1e-300, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** 53 + 2];
  return encodeSlotEntry(
    [
      stream('host', [
        metric(
          'AudioRecvBitrate',
          edges.map((_, index) => SLOT_START + index * 1000),
          edges,
        ),
        metric('VideoRecvBitrate', [SLOT_START + 299_999], [Number.MIN_SAFE_INTEGER]),
      ]),
      stream('guest-é', [
        metric('Rtt', [SLOT_START, SLOT_START + 1], [0.1 + 0.2, 1 / 3]),
        metric('Loss', [SLOT_START + 5, SLOT_START + 6, SLOT_START + 7], [-0.25, 8_640_000_000_000_000, 42]),
      ]),
    ],
    SLOT_START,
    SLOT_END,
  );
}

/** Byte-exact equality of every number (so -0, 5e-324 and friends cannot slip through as "close"). */
function bitsOf(entry: SlotEntry): string[] {
  return decodeSlotEntry(entry, 'alice', 'down').flatMap((stream) =>
    stream.metrics.flatMap((m) =>
      [m.times, m.values].map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString('hex')),
    ),
  );
}

describe('slot codec', () => {
  it('round-trips every stream, peer, metric and number exactly', () => {
    const entry = richEntry();
    const decoded = decodeSlotEntryBinary(encodeSlotEntryBinary(entry));

    expect(decoded.streams).toEqual(entry.streams);
    expect(decoded.points).toBe(entry.points);
    expect(Buffer.from(decoded.series)).toEqual(Buffer.from(entry.series));
    expect(bitsOf(decoded)).toEqual(bitsOf(entry));
    // AudioRecvBitrate's second value is -0.
    expect(Object.is(decodeSlotEntry(decoded, 'alice', 'down')[0]?.metrics[0]?.values[1], -0)).toBe(true);
    expect(decodeSlotEntry(decoded, 'alice', 'down')).toEqual(decodeSlotEntry(entry, 'alice', 'down'));
  });

  it('round-trips an up stream (null peer), an empty entry and a part of a slot', () => {
    const up = encodeSlotEntry(
      [stream(null, [metric('Fps', [SLOT_START + 10], [30])])],
      SLOT_START,
      SLOT_END,
    );
    const upBack = decodeSlotEntryBinary(encodeSlotEntryBinary(up));
    expect(upBack.streams).toEqual([
      { peerId: null, metrics: [{ name: 'Fps', description: 'Fps: 描述 "quoted"', unit: 'kbps' }] },
    ]);
    expect(decodeSlotEntry(upBack, 'alice', 'up')[0]?.metrics[0]).toMatchObject({
      times: Float64Array.from([SLOT_START + 10]),
      values: Float64Array.from([30]),
    });

    const empty = encodeSlotEntry([], SLOT_START, SLOT_END);
    const emptyBytes = encodeSlotEntryBinary(empty);
    const emptyBack = decodeSlotEntryBinary(emptyBytes);
    expect(emptyBytes.length).toBeLessThanOrEqual(16);
    // As light in the cache as an empty slot fetched from the upstream.
    expect(emptyBack).toBe(EMPTY_SLOT_ENTRY);

    const part = encodeSlotEntry(
      [stream(null, [metric('Fps', [SLOT_START + 10, SLOT_START + 200_000], [30, 31])])],
      SLOT_START,
      SLOT_END,
      SLOT_START + 5.5,
      SLOT_START + 100_000,
    );
    const partBack = decodeSlotEntryBinary(encodeSlotEntryBinary(part));
    expect([partBack.coveredFromMs, partBack.coveredToMs, partBack.points]).toEqual([
      SLOT_START + 5.5,
      SLOT_START + 100_000,
      1,
    ]);
  });

  it('writes each text once, then the series as the cache keeps them', () => {
    const entry = richEntry();
    const bytes = encodeSlotEntryBinary(entry);
    // The series end the value, byte for byte.
    expect(Buffer.from(bytes.subarray(bytes.length - entry.series.length))).toEqual(
      Buffer.from(entry.series),
    );
    const texts = new Set(
      entry.streams.flatMap((s) => [
        s.peerId ?? '',
        ...s.metrics.flatMap((m) => [m.name, m.description, m.unit]),
      ]),
    );
    const textBytes = [...texts].reduce((sum, text) => sum + 1 + Buffer.byteLength(text), 0);
    // Version, checksum, flags and a few varints besides the texts.
    expect(bytes.length - entry.series.length).toBeLessThan(textBytes + 30);
    expect(bytes.indexOf(Buffer.from('kbps'))).toBe(bytes.lastIndexOf(Buffer.from('kbps')));
    expect(bytes.readUInt8(0)).toBe(2);
  });

  it('decodes into its own copy, not a view into the given (possibly pooled, unaligned) buffer', () => {
    const bytes = encodeSlotEntryBinary(richEntry());
    // A slice at an odd offset of a larger buffer, as a Redis client may hand out.
    const pool = Buffer.alloc(bytes.length + 3);
    bytes.copy(pool, 3);
    const decoded = decodeSlotEntryBinary(pool.subarray(3));

    expect(decoded.series.buffer).not.toBe(pool.buffer);
    expect(decoded.series.buffer.byteLength).toBe(decoded.series.byteLength);
    const before = bitsOf(decoded);
    pool.fill(0xff);
    expect(bitsOf(decoded)).toEqual(before);
  });

  it('rejects an unknown version (the raw format 1 included), any truncation, a flipped bit, a bad layout', () => {
    const bytes = encodeSlotEntryBinary(richEntry());
    const otherVersion = Buffer.from(bytes);
    otherVersion.writeUInt8(1, 0);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3] = (flipped[flipped.length - 3] as number) ^ 0x10;
    const bad = [
      otherVersion,
      flipped,
      Buffer.concat([bytes, Buffer.alloc(1)]),
      Buffer.alloc(0),
      ...Array.from({ length: bytes.length - 1 }, (_, end) => bytes.subarray(0, end)),
    ];
    // Valid checksums over bodies the encoder cannot have written: a text index past the texts, more points
    // than the series hold.
    const withChecksum = (body: number[]) => {
      const value = Buffer.alloc(5 + body.length);
      value.writeUInt8(2, 0);
      value.writeUInt32LE(crc32(Buffer.from(body)), 1);
      Buffer.from(body).copy(value, 5);
      return value;
    };
    bad.push(withChecksum([0, 0, 1, 0, 1, 5, 5, 5, 0]));
    bad.push(withChecksum([0, 0, 0, 2]));
    for (const value of bad) {
      expect(() => decodeSlotEntryBinary(value)).toThrow(SlotCodecError);
    }
    expect(() => decodeSlotEntryBinary(otherVersion)).toThrow(
      expect.objectContaining({ code: 'SLOT_CODEC_ERROR' }),
    );
  });
});
