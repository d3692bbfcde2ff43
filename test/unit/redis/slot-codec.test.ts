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
function bitsOf(data: Float64Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');
}

describe('slot codec', () => {
  it('round-trips every stream, peer, metric and number exactly', () => {
    const entry = richEntry();
    const decoded = decodeSlotEntryBinary(encodeSlotEntryBinary(entry));

    expect(decoded.streams).toEqual(entry.streams);
    expect(decoded.data).toBeInstanceOf(Float64Array);
    expect(decoded.data.length).toBe(entry.data.length);
    expect(bitsOf(decoded.data)).toBe(bitsOf(entry.data));
    // AudioRecvBitrate: 9 times, then its values; the second value is -0.
    expect(Object.is(decoded.data[10], -0)).toBe(true);
    expect(decodeSlotEntry(decoded, 'alice', 'down')).toEqual(decodeSlotEntry(entry, 'alice', 'down'));
  });

  it('round-trips an up stream (null peer) and an empty entry', () => {
    const up = encodeSlotEntry(
      [stream(null, [metric('Fps', [SLOT_START + 10], [30])])],
      SLOT_START,
      SLOT_END,
    );
    const upBack = decodeSlotEntryBinary(encodeSlotEntryBinary(up));
    expect(upBack.streams).toEqual([
      {
        peerId: null,
        metrics: [{ name: 'Fps', description: 'Fps: 描述 "quoted"', unit: 'kbps', offset: 0, length: 1 }],
      },
    ]);
    expect([...upBack.data]).toEqual([SLOT_START + 10, 30]);

    const empty = encodeSlotEntry([], SLOT_START, SLOT_END);
    const emptyBytes = encodeSlotEntryBinary(empty);
    const emptyBack = decodeSlotEntryBinary(emptyBytes);
    expect(emptyBack.streams).toEqual([]);
    expect(emptyBack.data).toBeInstanceOf(Float64Array);
    expect(emptyBack.data.length).toBe(0);
    expect(emptyBytes.length).toBeLessThanOrEqual(16);
    // As light in the cache as an empty slot fetched from the upstream.
    expect(emptyBack).toBe(EMPTY_SLOT_ENTRY);
  });

  it('costs the data plus a small header: the layout, padded to 8 bytes', () => {
    const entry = richEntry();
    const bytes = encodeSlotEntryBinary(entry);
    const layoutBytes = Buffer.byteLength(
      JSON.stringify(
        entry.streams.map((s) => [
          s.peerId,
          s.metrics.map((m) => [m.name, m.description, m.unit, m.offset, m.length]),
        ]),
      ),
    );
    const header = bytes.length - entry.data.byteLength;
    expect(header % 8).toBe(0);
    expect(header).toBeGreaterThanOrEqual(9 + layoutBytes);
    expect(header).toBeLessThan(9 + layoutBytes + 8);
  });

  it('stores the numbers little-endian and 8-byte aligned after the header', () => {
    const entry = encodeSlotEntry([stream(null, [metric('M', [1], [2])])], 0, 10);
    const bytes = encodeSlotEntryBinary(entry);
    const dataStart = bytes.length - 16;
    expect(dataStart % 8).toBe(0);
    expect(bytes.readDoubleLE(dataStart)).toBe(1);
    expect(bytes.readDoubleLE(dataStart + 8)).toBe(2);
    expect(bytes.readUInt8(0)).toBe(1);
  });

  it('decodes into its own aligned copy, not a view into the given (possibly pooled, unaligned) buffer', () => {
    const bytes = encodeSlotEntryBinary(richEntry());
    // A slice at an odd offset of a larger buffer, as a Redis client may hand out.
    const pool = Buffer.alloc(bytes.length + 3);
    bytes.copy(pool, 3);
    const slice = pool.subarray(3);
    const decoded = decodeSlotEntryBinary(slice);

    expect(decoded.data.buffer).not.toBe(pool.buffer);
    expect(decoded.data.byteOffset).toBe(0);
    expect(decoded.data.buffer.byteLength).toBe(decoded.data.byteLength);
    const before = bitsOf(decoded.data);
    pool.fill(0xff);
    expect(bitsOf(decoded.data)).toBe(before);
  });

  it('rejects an unknown version, a wrong length and a malformed layout', () => {
    const bytes = encodeSlotEntryBinary(richEntry());
    const otherVersion = Buffer.from(bytes);
    otherVersion.writeUInt8(2, 0);
    const layoutEnd = 9 + bytes.readUInt32LE(1);
    const badJson = Buffer.from(bytes);
    badJson.write('{', layoutEnd - 1, 'utf8');
    const outOfRange = encodeSlotEntryBinary({
      data: new Float64Array(2),
      streams: [{ peerId: null, metrics: [{ name: 'M', description: '', unit: '', offset: 1, length: 1 }] }],
    });

    for (const bad of [
      otherVersion,
      bytes.subarray(0, bytes.length - 8),
      bytes.subarray(0, bytes.length - 1),
      Buffer.concat([bytes, Buffer.alloc(8)]),
      bytes.subarray(0, 5),
      Buffer.alloc(0),
      badJson,
      outOfRange,
    ]) {
      expect(() => decodeSlotEntryBinary(bad)).toThrow(SlotCodecError);
    }
    expect(() => decodeSlotEntryBinary(otherVersion)).toThrow(
      expect.objectContaining({ code: 'SLOT_CODEC_ERROR' }),
    );
  });
});
