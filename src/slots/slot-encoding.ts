/**
 * The compact, lossless encoding of a slot entry's series, shared by the window cache (slot-entry.ts), Redis and
 * the archive (redis/slot-codec.ts, whose FORMAT_VERSION must be bumped with any change here). A series is its
 * point count n (varint), then its times, then its values, each a column of n numbers in one of four forms,
 * named by a leading byte:
 *
 * - STEPS, for integer times: the first time against the entry's previous series' first time, the first step
 *   against that series' first step, then every change of step (delta of delta, as Gorilla does). Runs of
 *   zeros (regular sampling) cost two bytes however long they are, so the series of one entry, sampled on
 *   one clock, pay a few bytes each for all their times.
 * - DECIMAL, for values that are decimals of few digits, as the upstream's JSON carries them: a digit count d,
 *   then the integers `value * 10^d` as deltas (zero runs again). It is chosen only when `n / 10^d` gives
 *   back every value bit for bit (checked value by value on encoding), so nothing is rounded.
 * - XOR, for anything else (NaN, infinities, -0, long mantissas): each number's 64 bits XORed with the
 *   previous number's (Gorilla's idea at byte granularity), as a control byte saying which bytes of the XOR
 *   are not zero, then those bytes. Exact for every bit pattern.
 * - RAW, where XOR saves nothing (random bits): the 8 bytes of each number, little-endian.
 *
 * Numbers are varints (byte-io.ts); nothing here depends on the platform's byte order.
 */
import { type ByteReader, type ByteWriter, SlotEncodingError } from './byte-io.js';

const STEPS = 1;
const DECIMAL = 2;
const XOR = 3;
const RAW = 4;

/** Integers kept this small leave deltas of deltas (and zigzag) well inside the safe integers. */
const MAX_INTEGER = 2 ** 48;
/** Exact powers of ten, written out so that encoder and decoder divide by the very same doubles. */
const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12] as const;
const MAX_DIGITS = POWERS_OF_TEN.length - 1;

/** What one series' times are encoded against: the previous series' of the same entry (zeros for the first). */
export interface SeriesChain {
  firstTime: number;
  firstStep: number;
}

export function newSeriesChain(): SeriesChain {
  return { firstTime: 0, firstStep: 0 };
}

/** Appends one series (times and values of equal length) to `out`, encoded against and updating `chain`. */
export function writeSeries(
  out: ByteWriter,
  times: Float64Array,
  values: Float64Array,
  chain: SeriesChain,
): void {
  out.varint(times.length);
  if (times.length === 0) return;
  if (times.every(isSmallInteger)) writeSteps(out, times, chain);
  else writeBits(out, times);
  const digits = decimalDigits(values);
  if (digits === -1) writeBits(out, values);
  else writeDecimal(out, values, digits);
}

/**
 * Decodes the next series of `input` into `into`: its times from `offset`, its values right after them.
 * Returns its point count; throws a SlotEncodingError for anything the encoder cannot have written.
 */
export function readSeries(
  input: ByteReader,
  into: Float64Array,
  offset: number,
  chain: SeriesChain,
): number {
  const count = input.varint();
  if (count > (into.length - offset) / 2) throw new SlotEncodingError('series longer than its entry');
  if (count === 0) return 0;
  const form = input.byte();
  if (form === STEPS) readSteps(input, into, offset, count, chain);
  else readBits(input, into, offset, count, form);
  const valueForm = input.byte();
  if (valueForm === DECIMAL) readDecimal(input, into, offset + count, count);
  else readBits(input, into, offset + count, count, valueForm);
  return count;
}

function isSmallInteger(value: number): boolean {
  return Number.isInteger(value) && Math.abs(value) <= MAX_INTEGER && !Object.is(value, -0);
}

/** Zero residuals as `0, count of further zeros`; any other as itself. */
function writeResiduals(out: ByteWriter, residual: (index: number) => number, from: number, to: number) {
  for (let index = from; index < to; ) {
    const value = residual(index);
    out.signed(value);
    index += 1;
    if (value !== 0) continue;
    const runStart = index;
    while (index < to && residual(index) === 0) index += 1;
    out.varint(index - runStart);
  }
}

/** After a zero residual: how many more follow, at most `left` (the rest of the series). */
function zeroRun(input: ByteReader, left: number): number {
  const run = input.varint();
  if (run > left) throw new SlotEncodingError('zero run past the end of its series');
  return run;
}

function writeSteps(out: ByteWriter, times: Float64Array, chain: SeriesChain): void {
  out.byte(STEPS);
  const first = times[0] as number;
  out.signed(first - chain.firstTime);
  chain.firstTime = first;
  if (times.length === 1) return;
  const step = (times[1] as number) - first;
  out.signed(step - chain.firstStep);
  chain.firstStep = step;
  writeResiduals(
    out,
    (i) => (times[i] as number) - 2 * (times[i - 1] as number) + (times[i - 2] as number),
    2,
    times.length,
  );
}

function readSteps(input: ByteReader, into: Float64Array, offset: number, count: number, chain: SeriesChain) {
  const first = chain.firstTime + input.signed();
  checkInteger(first);
  into[offset] = first;
  chain.firstTime = first;
  if (count === 1) return;
  let step = chain.firstStep + input.signed();
  checkInteger(step);
  chain.firstStep = step;
  let time = first + step;
  checkInteger(time);
  into[offset + 1] = time;
  // The loops of the two readers are written out (no callback per number): they are most of a decode.
  for (let index = offset + 2, end = offset + count; index < end; ) {
    const change = input.signed();
    step += change;
    time += step;
    into[index++] = time;
    if (change === 0) {
      // The same step all along the run: the run's last time bounds all of its times.
      for (const runEnd = index + zeroRun(input, end - index); index < runEnd; index += 1) {
        time += step;
        into[index] = time;
      }
    }
    checkInteger(time);
  }
}

/** A decoded integer the encoder could have written: anything larger is a corrupt or foreign input. */
function checkInteger(value: number): void {
  if (!(Math.abs(value) <= MAX_INTEGER)) throw new SlotEncodingError('integer out of range');
}

/** The fewest decimal digits that give back every value exactly, or -1 when none up to MAX_DIGITS does. */
function decimalDigits(values: Float64Array): number {
  let digits = 0;
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index] as number;
    if (!Number.isFinite(value) || Object.is(value, -0)) return -1;
    while (!givesBack(value, digits)) {
      digits += 1;
      if (digits > MAX_DIGITS) return -1;
    }
  }
  // Fewer digits fit the earlier values; more almost always do too, but only a check is certain.
  for (let index = 0; index < values.length; index += 1) {
    if (!givesBack(values[index] as number, digits)) return -1;
  }
  return digits;
}

function givesBack(value: number, digits: number): boolean {
  const scaled = Math.round(value * (POWERS_OF_TEN[digits] as number));
  // +0 for Math.round's -0: the varint cannot carry the sign of zero, and -0 / 10^d would be -0 anyway.
  const integer = scaled === 0 ? 0 : scaled;
  return Math.abs(integer) <= MAX_INTEGER && integer / (POWERS_OF_TEN[digits] as number) === value;
}

function writeDecimal(out: ByteWriter, values: Float64Array, digits: number): void {
  out.byte(DECIMAL);
  out.byte(digits);
  const scale = POWERS_OF_TEN[digits] as number;
  const integer = (i: number) => Math.round((values[i] as number) * scale);
  out.signed(integer(0) || 0);
  writeResiduals(out, (i) => integer(i) - integer(i - 1), 1, values.length);
}

function readDecimal(input: ByteReader, into: Float64Array, offset: number, count: number): void {
  const digits = input.byte();
  if (digits > MAX_DIGITS) throw new SlotEncodingError(`decimal with ${digits} digits`);
  const scale = POWERS_OF_TEN[digits] as number;
  let integer = input.signed();
  checkInteger(integer);
  into[offset] = integer / scale;
  for (let index = offset + 1, end = offset + count; index < end; ) {
    const delta = input.signed();
    integer += delta;
    checkInteger(integer);
    const value = integer / scale;
    into[index++] = value;
    if (delta === 0) {
      const run = zeroRun(input, end - index);
      into.fill(value, index, index + run);
      index += run;
    }
  }
}

// The XOR form works on the bytes of the numbers as stored, never on the numbers: a NaN read into a JavaScript
// number may come back with another payload. The wire order is little-endian: byte 7 holds the sign.
const HOST_BIG_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] !== 0;
const previousBytes = new Uint8Array(8);

/** Byte `k` (0: least significant) of number `index` of a column, in its host-order bytes. */
function byteAt(bytes: Uint8Array, index: number, k: number): number {
  return bytes[8 * index + (HOST_BIG_ENDIAN ? 7 - k : k)] as number;
}

function hostBytes(column: Float64Array): Uint8Array {
  return new Uint8Array(column.buffer, column.byteOffset, column.byteLength);
}

/** XOR, or RAW where XOR comes out longer than the bytes themselves. */
function writeBits(out: ByteWriter, column: Float64Array): void {
  const start = out.length;
  writeXor(out, column);
  if (out.length - start <= 1 + 8 * column.length) return;
  out.truncate(start);
  out.byte(RAW);
  const bytes = hostBytes(column);
  for (let index = 0; index < column.length; index += 1) {
    for (let k = 0; k < 8; k += 1) out.byte(byteAt(bytes, index, k));
  }
}

function readBits(input: ByteReader, into: Float64Array, offset: number, count: number, form: number) {
  if (form === XOR) readXor(input, into, offset, count);
  else if (form === RAW) readRaw(input, into, offset, count);
  else throw new SlotEncodingError(`unknown column form ${form}`);
}

function readRaw(input: ByteReader, into: Float64Array, offset: number, count: number): void {
  const bytes = hostBytes(into);
  for (let index = offset; index < offset + count; index += 1) {
    for (let k = 0; k < 8; k += 1) bytes[8 * index + (HOST_BIG_ENDIAN ? 7 - k : k)] = input.byte();
  }
}

/**
 * A control byte, then the bytes of the XOR that are not zero at either end. Control 0: the XOR is zero (the
 * number repeats the previous one); otherwise `1 + 8 * low + (kept - 1)`, where `low` zero bytes are left out
 * at the least significant end and `kept` bytes follow, least significant first.
 */
function writeXor(out: ByteWriter, column: Float64Array): void {
  out.byte(XOR);
  const bytes = hostBytes(column);
  previousBytes.fill(0);
  for (let index = 0; index < column.length; index += 1) {
    let low = 0;
    while (low < 8 && byteAt(bytes, index, low) === previousBytes[low]) low += 1;
    if (low === 8) {
      out.byte(0);
      continue;
    }
    let high = 7;
    while (byteAt(bytes, index, high) === previousBytes[high]) high -= 1;
    out.byte(1 + 8 * low + (high - low));
    for (let k = low; k <= high; k += 1) {
      const byte = byteAt(bytes, index, k);
      out.byte(byte ^ (previousBytes[k] as number));
      previousBytes[k] = byte;
    }
  }
}

function readXor(input: ByteReader, into: Float64Array, offset: number, count: number): void {
  const bytes = hostBytes(into);
  previousBytes.fill(0);
  for (let index = offset; index < offset + count; index += 1) {
    const control = input.byte();
    if (control !== 0) {
      const low = (control - 1) >> 3;
      const kept = ((control - 1) & 7) + 1;
      if (low + kept > 8) throw new SlotEncodingError(`bad XOR control byte ${control}`);
      for (let k = low; k < low + kept; k += 1) {
        previousBytes[k] = (previousBytes[k] as number) ^ input.byte();
      }
    }
    for (let k = 0; k < 8; k += 1)
      bytes[8 * index + (HOST_BIG_ENDIAN ? 7 - k : k)] = previousBytes[k] as number;
  }
}
