/**
 * Bytes in and out for the slot encodings (slot-encoding.ts, and the Redis and archive format built on it):
 * unsigned and zigzag-signed varints (LEB128) of safe integers, single bytes and raw runs. A reader never reads
 * past its end and never accepts an overlong varint: every malformed input is a SlotEncodingError.
 */

/** Bytes that are not a slot encoding this build writes: corrupt, truncated or foreign. */
export class SlotEncodingError extends Error {
  readonly code = 'SLOT_ENCODING_ERROR';
  override readonly name = 'SlotEncodingError';
}

/** 8 varint bytes carry 56 bits: every safe integer (53 bits) fits. */
const MAX_VARINT_BYTES = 8;
const INITIAL_CAPACITY = 4096;

/** Output that grows as it is written; reused across encodings, so only `take` allocates. */
export class ByteWriter {
  private bytes = new Uint8Array(INITIAL_CAPACITY);
  private used = 0;

  get length(): number {
    return this.used;
  }

  reset(): void {
    this.used = 0;
  }

  /** Drops what was written after the first `length` bytes. */
  truncate(length: number): void {
    this.used = Math.min(this.used, length);
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.used++] = value;
  }

  /** A non-negative safe integer. Arithmetic rather than bit operators: those cut to 32 bits. */
  varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a varint: ${value}`);
    this.reserve(MAX_VARINT_BYTES);
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.used++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.bytes[this.used++] = rest;
  }

  /** A safe integer of magnitude below 2^52, zigzagged so that small negatives stay small. */
  signed(value: number): void {
    this.varint(value >= 0 ? 2 * value : -2 * value - 1);
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** What was written, as a view valid until the next write or reset. */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.used);
  }

  /** A copy of what was written, in an ArrayBuffer of its own (a cache entry must not pin the writer's). */
  take(): Uint8Array {
    return this.bytes.slice(0, this.used);
  }

  private reserve(extra: number): void {
    if (this.used + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + extra));
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }
}

export class ByteReader {
  private at: number;

  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
  ) {
    this.at = start;
  }

  get done(): boolean {
    return this.at === this.bytes.length;
  }

  byte(): number {
    if (this.at >= this.bytes.length) throw new SlotEncodingError('slot bytes end early');
    return this.bytes[this.at++] as number;
  }

  varint(): number {
    // Most varints of a slot are one byte (small steps and deltas): read those without the loop.
    const first = this.bytes[this.at];
    if (first !== undefined && first < 0x80) {
      this.at += 1;
      return first;
    }
    let value = 0;
    let scale = 1;
    for (let count = 0; count < MAX_VARINT_BYTES; count += 1) {
      const byte = this.byte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        // A last byte of 0 after others is an overlong form: one value, one encoding.
        if (byte === 0 && count > 0) throw new SlotEncodingError('overlong varint');
        if (!Number.isSafeInteger(value)) throw new SlotEncodingError('varint past 2^53');
        return value;
      }
      scale *= 0x80;
    }
    throw new SlotEncodingError('varint longer than 8 bytes');
  }

  signed(): number {
    const zigzag = this.varint();
    return zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2;
  }

  /** The bytes left, as a view of the input; the reader is then done. */
  rest(): Uint8Array {
    return this.raw(this.bytes.length - this.at);
  }

  /** The next `length` bytes, as a view of the input. */
  raw(length: number): Uint8Array {
    if (length > this.bytes.length - this.at) throw new SlotEncodingError('slot bytes end early');
    const view = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return view;
  }
}
