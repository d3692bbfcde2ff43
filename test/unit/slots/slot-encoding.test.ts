import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, SlotEncodingError } from '../../../src/slots/byte-io.js';
import { newSeriesChain, readSeries, writeSeries } from '../../../src/slots/slot-encoding.js';
import { seededRandom } from '../../helpers/seeded-random.js';

interface Series {
  readonly times: Float64Array;
  readonly values: Float64Array;
}

/** The exact bits of a column, so that -0, NaN payloads and 5e-324 cannot pass for "close". */
function bits(column: Float64Array): string {
  return Buffer.from(column.buffer, column.byteOffset, column.byteLength).toString('hex');
}

/** Doubles of random bits: every exponent, subnormals, infinities and NaNs with payloads included. */
function randomBits(next: () => number, length: number): Float64Array {
  const words = Uint32Array.from({ length: 2 * length }, () => Math.floor(next() * 2 ** 32));
  return new Float64Array(words.buffer);
}

const SPECIALS = [
  0,
  -0,
  Number.NaN,
  Infinity,
  -Infinity,
  5e-324,
  -5e-324,
  Number.MAX_VALUE,
  2 ** 53 + 2,
  0.1 + 0.2,
];

function randomTimes(next: () => number, length: number): Float64Array {
  const start = Math.floor(next() * 2e12);
  const step = [1000, 10_000, 60_000][Math.floor(next() * 3)] as number;
  switch (Math.floor(next() * 5)) {
    case 0: // regular sampling
      return Float64Array.from({ length }, (_, i) => start + i * step);
    case 1: // regular with gaps and jitter
      return Float64Array.from(
        { length },
        (_, i) => start + i * step + (next() < 0.2 ? Math.floor(next() * 999) : 0),
      );
    case 2: // anything sorted
      return Float64Array.from({ length }, () => Math.floor(next() * 2e12)).sort();
    case 3: // not integers, or too large for the step form
      return Float64Array.from({ length }, (_, i) =>
        next() < 0.5 ? start + i + 0.5 : 2 ** 60 + i * 2 ** 10,
      );
    default:
      return Float64Array.from({ length }, () => SPECIALS[Math.floor(next() * SPECIALS.length)] as number);
  }
}

function randomValues(next: () => number, length: number): Float64Array {
  const digits = Math.floor(next() * 5);
  const level = next() * 10 ** Math.floor(next() * 7) * (next() < 0.2 ? -1 : 1);
  switch (Math.floor(next() * 5)) {
    case 0: // decimals of few digits, as the upstream's JSON carries them
      return Float64Array.from({ length }, () => Number((level * (0.9 + next() * 0.2)).toFixed(digits)));
    case 1: // a constant
      return new Float64Array(length).fill(Number(level.toFixed(digits)));
    case 2:
      return randomBits(next, length);
    case 3: // arithmetic results with long mantissas
      return Float64Array.from({ length }, () => level / 3 + next());
    default:
      return Float64Array.from({ length }, () =>
        next() < 0.5
          ? (SPECIALS[Math.floor(next() * SPECIALS.length)] as number)
          : Math.round(next() * 100) / 10,
      );
  }
}

/** Writes the series one after the other (one entry), reads them back in order. */
function roundTrip(series: readonly Series[]): { bytes: Uint8Array; decoded: Series[] } {
  const writer = new ByteWriter();
  const writeChain = newSeriesChain();
  for (const { times, values } of series) writeSeries(writer, times, values, writeChain);
  const bytes = writer.take();
  const total = series.reduce((sum, { times }) => sum + times.length, 0);
  const into = new Float64Array(2 * total);
  const reader = new ByteReader(bytes);
  const readChain = newSeriesChain();
  let offset = 0;
  const decoded = series.map(() => {
    const count = readSeries(reader, into, offset, readChain);
    const found = {
      times: into.subarray(offset, offset + count),
      values: into.subarray(offset + count, offset + 2 * count),
    };
    offset += 2 * count;
    return found;
  });
  expect(reader.done).toBe(true);
  return { bytes, decoded };
}

const regular = (length: number, start = 1_767_225_600_000) =>
  Float64Array.from({ length }, (_, i) => start + i * 10_000);

describe('slot series encoding', () => {
  it('gives back random series bit for bit: times and values of every kind, several to an entry', () => {
    for (let seed = 1; seed <= 300; seed += 1) {
      const next = seededRandom(seed);
      const series = Array.from({ length: 1 + Math.floor(next() * 6) }, () => {
        const length = Math.floor(next() * 80);
        return { times: randomTimes(next, length), values: randomValues(next, length) };
      });
      const { decoded } = roundTrip(series);
      decoded.forEach((found, index) => {
        const expected = series[index] as Series;
        expect(bits(found.times), `seed ${seed}, series ${index} times`).toBe(bits(expected.times));
        expect(bits(found.values), `seed ${seed}, series ${index} values`).toBe(bits(expected.values));
      });
    }
  });

  it('keeps -0, NaN payloads, infinities and the extremes of a double exactly', () => {
    const nanWithPayload = new Float64Array(new Uint32Array([0xdeadbeef, 0x7ff80123]).buffer)[0] as number;
    const values = Float64Array.from([...SPECIALS, nanWithPayload, -0, 1.5, -1.5, 1e-300]);
    const { decoded } = roundTrip([{ times: regular(values.length), values }]);
    expect(bits(decoded[0]?.values as Float64Array)).toBe(bits(values));
    expect(Object.is(decoded[0]?.values[1], -0)).toBe(true);
  });

  it('makes regular sampling nearly free: a second series on the same clock pays a few bytes for its times', () => {
    const constant = (length: number) => new Float64Array(length).fill(30);
    const one = roundTrip([{ times: regular(30), values: constant(30) }]).bytes.length;
    const two = roundTrip([
      { times: regular(30), values: constant(30) },
      { times: regular(30), values: constant(30) },
    ]).bytes.length;
    // Count, form, first time, first step, a zero and its run; then the value form, digits, first value, a run.
    expect(two - one).toBeLessThanOrEqual(12);
    expect(one).toBeLessThanOrEqual(20);
  });

  it('stores decimals of few digits as small integers, about a byte or two a point', () => {
    const next = seededRandom(7);
    const values = Float64Array.from({ length: 300 }, () => Number((1000 + next() * 100).toFixed(1)));
    const { bytes } = roundTrip([{ times: regular(300), values }]);
    expect(bytes.length).toBeLessThanOrEqual(2 * 300 + 20);
  });

  it('stores random doubles in their 8 bytes each (XOR would add a control byte), and every bit of them', () => {
    const values = randomBits(seededRandom(3), 300);
    const { bytes, decoded } = roundTrip([{ times: regular(300), values }]);
    expect(bits(decoded[0]?.values as Float64Array)).toBe(bits(values));
    expect(bytes.length).toBeLessThanOrEqual(8 * 300 + 20);
  });

  it('rejects every truncation of an encoding and bytes it cannot have written', () => {
    const next = seededRandom(11);
    const series = [
      { times: randomTimes(next, 20), values: randomValues(next, 20) },
      { times: regular(20), values: randomBits(next, 20) },
    ];
    const { bytes } = roundTrip(series);
    const decodeAll = (input: Uint8Array, room = 80) => {
      const reader = new ByteReader(input);
      const chain = newSeriesChain();
      const into = new Float64Array(room);
      readSeries(reader, into, 0, chain);
      readSeries(reader, into, 40, chain);
      if (!reader.done) throw new SlotEncodingError('trailing bytes');
    };
    expect(() => decodeAll(bytes)).not.toThrow();
    for (let end = 0; end < bytes.length; end += 1) {
      expect(() => decodeAll(bytes.subarray(0, end)), `cut at ${end}`).toThrow(SlotEncodingError);
    }
    // Room for fewer points than the series says it holds.
    expect(() => decodeAll(bytes, 60)).toThrow(SlotEncodingError);

    const writer = new ByteWriter();
    writer.varint(3);
    writer.byte(9); // no such form
    expect(() => readSeries(new ByteReader(writer.take()), new Float64Array(6), 0, newSeriesChain())).toThrow(
      SlotEncodingError,
    );
    writer.reset();
    writer.varint(3);
    writer.byte(1); // steps: first time, first step, then a zero with a run past the series' end
    writer.signed(1000);
    writer.signed(10);
    writer.signed(0);
    writer.varint(5);
    expect(() => readSeries(new ByteReader(writer.take()), new Float64Array(6), 0, newSeriesChain())).toThrow(
      /zero run/,
    );
  });
});

describe('slot byte reader', () => {
  it('reads back every varint and zigzag written, up to the safe integers', () => {
    const writer = new ByteWriter();
    const unsigned = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER];
    const signed = [0, -1, 1, -64, 64, -(2 ** 40), 2 ** 51 - 1, -(2 ** 51)];
    for (const value of unsigned) writer.varint(value);
    for (const value of signed) writer.signed(value);
    const reader = new ByteReader(writer.take());
    expect(unsigned.map(() => reader.varint())).toEqual(unsigned);
    expect(signed.map(() => reader.signed())).toEqual(signed);
    expect(reader.done).toBe(true);
    expect(() => writer.varint(-1)).toThrow(RangeError);
    expect(() => writer.varint(0.5)).toThrow(RangeError);
  });

  it('rejects overlong varints, varints past 8 bytes and reads past the end', () => {
    expect(() => new ByteReader(Uint8Array.from([0x80, 0x00])).varint()).toThrow(/overlong/);
    expect(() => new ByteReader(new Uint8Array(9).fill(0x81)).varint()).toThrow(/longer than 8/);
    expect(() =>
      new ByteReader(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])).varint(),
    ).toThrow(/2\^53/);
    expect(() => new ByteReader(Uint8Array.from([0x80])).varint()).toThrow(SlotEncodingError);
    expect(() => new ByteReader(new Uint8Array(2)).raw(3)).toThrow(SlotEncodingError);
  });
});
