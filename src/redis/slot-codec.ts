/**
 * The wire form of a SlotEntry in Redis: compact, and nearly as small as the numbers themselves.
 *
 * ```
 * offset 0   u8      format version (FORMAT_VERSION)
 * offset 1   u32 LE  byte length L of the layout JSON
 * offset 5   u32 LE  number N of Float64 values
 * offset 9   L bytes layout: [[peerId, [[name, description, unit, offset, length], ...]], ...] (UTF-8 JSON)
 *            zero padding to a multiple of 8
 *            N * 8 bytes: the data, Float64 little-endian
 * ```
 *
 * The padding keeps the numbers 8-byte aligned within the value, so a future reader could view them in place;
 * this one copies them anyway (see decodeSlotEntryBinary). A value that does not match the format exactly is
 * rejected with a SlotCodecError, which the shared store treats as a miss: a corrupt or foreign value costs an
 * upstream fetch, never a wrong answer.
 */
import { endianness } from 'node:os';
import { internMetricText } from '../slots/metric-text.js';
import { EMPTY_SLOT_ENTRY, type SlotEntry } from '../slots/slot-entry.js';

/**
 * Bump when the layout changes. Replicas of different versions may share one Redis during a rollout: an old
 * reader then rejects the new format (a miss) instead of misreading it.
 */
const FORMAT_VERSION = 1;
const HEADER_BYTES = 9;
const FLOAT_BYTES = 8;
// Typed arrays use the platform's byte order; the wire is little-endian so that replicas on any CPU agree.
const BIG_ENDIAN_HOST = endianness() === 'BE';

type WireMetric = [name: string, description: string, unit: string, offset: number, length: number];
type WireStream = [peerId: string | null, metrics: WireMetric[]];

/** A Redis value that is not a SlotEntry of a format this build reads. */
export class SlotCodecError extends Error {
  readonly code = 'SLOT_CODEC_ERROR';
  override readonly name = 'SlotCodecError';
}

/** The entry as one Buffer: header, layout JSON, padding, then `data` as little-endian Float64s. */
export function encodeSlotEntryBinary(entry: SlotEntry): Buffer {
  const wire: WireStream[] = entry.streams.map((stream) => [
    stream.peerId,
    stream.metrics.map((metric) => [
      metric.name,
      metric.description,
      metric.unit,
      metric.offset,
      metric.length,
    ]),
  ]);
  const layout = Buffer.from(JSON.stringify(wire), 'utf8');
  const dataStart = alignUp(HEADER_BYTES + layout.length);
  const buffer = Buffer.alloc(dataStart + entry.data.byteLength);
  buffer.writeUInt8(FORMAT_VERSION, 0);
  buffer.writeUInt32LE(layout.length, 1);
  buffer.writeUInt32LE(entry.data.length, 5);
  layout.copy(buffer, HEADER_BYTES);
  const data = Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength);
  data.copy(buffer, dataStart);
  if (BIG_ENDIAN_HOST) buffer.subarray(dataStart).swap64();
  return buffer;
}

/**
 * The entry a Buffer from encodeSlotEntryBinary holds, built as encodeSlotEntry builds one (the shared empty
 * entry, interned metric texts). Its `data` is a fresh, aligned Float64Array of its own: ioredis may hand out
 * slices of a larger reply buffer, and a cache entry must not keep that alive (nor depend on its alignment).
 * Throws a SlotCodecError for an unknown version, a wrong length or a malformed layout.
 */
export function decodeSlotEntryBinary(buffer: Buffer): SlotEntry {
  if (buffer.length < HEADER_BYTES) throw new SlotCodecError('slot value shorter than its header');
  const version = buffer.readUInt8(0);
  if (version !== FORMAT_VERSION) throw new SlotCodecError(`unknown slot format version ${version}`);
  const layoutBytes = buffer.readUInt32LE(1);
  const count = buffer.readUInt32LE(5);
  const dataStart = alignUp(HEADER_BYTES + layoutBytes);
  if (buffer.length !== dataStart + count * FLOAT_BYTES) {
    throw new SlotCodecError('slot value length does not match its header');
  }
  let wire: unknown;
  try {
    wire = JSON.parse(buffer.toString('utf8', HEADER_BYTES, HEADER_BYTES + layoutBytes));
  } catch (error) {
    throw new SlotCodecError('slot layout is not JSON', { cause: error });
  }
  const streams = parseLayout(wire, count);
  if (count === 0 && streams.length === 0) return EMPTY_SLOT_ENTRY;
  const data = new Float64Array(count);
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  buffer.copy(bytes, 0, dataStart);
  if (BIG_ENDIAN_HOST) bytes.swap64();
  return { data, streams };
}

function alignUp(bytes: number): number {
  return Math.ceil(bytes / FLOAT_BYTES) * FLOAT_BYTES;
}

/** The layout, checked field by field: every series must lie inside the `count` values of the data. */
function parseLayout(wire: unknown, count: number): SlotEntry['streams'] {
  if (!Array.isArray(wire)) throw new SlotCodecError('slot layout is not a list of streams');
  return wire.map((stream: unknown) => {
    if (!Array.isArray(stream) || stream.length !== 2) throw new SlotCodecError('malformed slot stream');
    const [peerId, metrics] = stream as unknown[];
    if ((peerId !== null && typeof peerId !== 'string') || !Array.isArray(metrics)) {
      throw new SlotCodecError('malformed slot stream');
    }
    return {
      peerId,
      metrics: metrics.map((metric: unknown) => {
        if (!Array.isArray(metric) || metric.length !== 5) throw new SlotCodecError('malformed slot metric');
        const [name, description, unit, offset, length] = metric as unknown[];
        if (
          typeof name !== 'string' ||
          typeof description !== 'string' ||
          typeof unit !== 'string' ||
          !Number.isSafeInteger(offset) ||
          !Number.isSafeInteger(length) ||
          (offset as number) < 0 ||
          (length as number) < 0 ||
          (offset as number) + 2 * (length as number) > count
        ) {
          throw new SlotCodecError('malformed slot metric');
        }
        return {
          name: internMetricText(name),
          description: internMetricText(description),
          unit: internMetricText(unit),
          offset: offset as number,
          length: length as number,
        };
      }),
    };
  });
}
