/**
 * A SlotEntry as bytes of its own, the same compact series the window cache keeps (slots/slot-encoding.ts)
 * with the layout in front: the value of a slot in Redis, and the archive's on-disk format.
 *
 * ```
 * offset 0   u8      format version (FORMAT_VERSION)
 * offset 1   u32 LE  CRC-32 of every byte from offset 5 on
 * offset 5   u8      flags: bit 0 coveredFromMs follows, bit 1 coveredToMs follows (each a Float64 LE)
 *            varint  T, then T texts: varint byte length, UTF-8 (every peer id and metric text, once)
 *            varint  S, then S streams: varint peer (0: none, else 1 + its text), varint M, then M metrics:
 *                    the texts of its name, description and unit (varint each)
 *            varint  the entry's points
 *            the encoded series, one per metric in order, to the end
 * ```
 *
 * The texts are written once per entry: the down streams of one user repeat every metric name per peer. A
 * value that does not match the format exactly (checksum, layout, every series decoded to the last byte) is
 * rejected with a SlotCodecError, which the shared store treats as a miss: a corrupt or foreign value costs an
 * upstream fetch, never a wrong answer.
 */
import { crc32 } from 'node:zlib';
import { ByteReader, ByteWriter } from '../slots/byte-io.js';
import { internMetricText } from '../slots/metric-text.js';
import { decodeSeries, EMPTY_SLOT_ENTRY, type SlotEntry } from '../slots/slot-entry.js';

/**
 * Bump when the layout changes, and the entry version of slotCacheKey (window-cache.ts) with it: replicas of
 * different versions may share one Redis during a rollout; an old reader then rejects the new format (a miss)
 * instead of misreading it, and, on keys of their own, neither version's value blocks the other's NX write.
 * 1 was the raw Float64 format.
 */
const FORMAT_VERSION = 2;
const HEADER_BYTES = 5;
const COVERED_FROM = 1;
const COVERED_TO = 2;
/** Far more than any slot holds (a 5-minute slot at 1 s sampling is 300 points a metric): a bound on allocation. */
const MAX_POINTS = 2 ** 22;

/** A Redis value that is not a SlotEntry of a format this build reads. */
export class SlotCodecError extends Error {
  readonly code = 'SLOT_CODEC_ERROR';
  override readonly name = 'SlotCodecError';
}

const writer = new ByteWriter();
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The entry as one Buffer of its own: header, layout, then its series as the cache holds them. */
export function encodeSlotEntryBinary(entry: SlotEntry): Buffer {
  const texts = new Map<string, number>();
  const textOf = (text: string) => {
    const known = texts.get(text);
    if (known !== undefined) return known;
    texts.set(text, texts.size);
    return texts.size - 1;
  };
  const streams = entry.streams.map((stream) => ({
    peer: stream.peerId === null ? 0 : 1 + textOf(stream.peerId),
    metrics: stream.metrics.map((m) => [textOf(m.name), textOf(m.description), textOf(m.unit)]),
  }));
  writer.reset();
  const covered = [entry.coveredFromMs, entry.coveredToMs];
  writer.byte((covered[0] === undefined ? 0 : COVERED_FROM) | (covered[1] === undefined ? 0 : COVERED_TO));
  const bound = new DataView(new ArrayBuffer(8));
  for (const ms of covered) {
    if (ms === undefined) continue;
    bound.setFloat64(0, ms, true);
    writer.raw(new Uint8Array(bound.buffer));
  }
  writer.varint(texts.size);
  for (const text of texts.keys()) {
    const bytes = utf8.encode(text);
    writer.varint(bytes.length);
    writer.raw(bytes);
  }
  writer.varint(streams.length);
  for (const stream of streams) {
    writer.varint(stream.peer);
    writer.varint(stream.metrics.length);
    for (const metric of stream.metrics) for (const text of metric) writer.varint(text);
  }
  writer.varint(entry.points);
  writer.raw(entry.series);
  const body = writer.view();
  const buffer = Buffer.allocUnsafeSlow(HEADER_BYTES + body.length);
  buffer.writeUInt8(FORMAT_VERSION, 0);
  buffer.writeUInt32LE(crc32(body), 1);
  buffer.set(body, HEADER_BYTES);
  return buffer;
}

/**
 * The entry a Buffer from encodeSlotEntryBinary holds, built as encodeSlotEntry builds one (the shared empty
 * entry, interned metric texts). Its series are a copy of their own: ioredis may hand out slices of a larger
 * reply buffer, and a cache entry must not keep that alive. Throws a SlotCodecError for an unknown version, a
 * checksum that does not match, or a layout or series the encoder cannot have written.
 */
export function decodeSlotEntryBinary(buffer: Buffer): SlotEntry {
  if (buffer.length < HEADER_BYTES) throw new SlotCodecError('slot value shorter than its header');
  const version = buffer.readUInt8(0);
  if (version !== FORMAT_VERSION) throw new SlotCodecError(`unknown slot format version ${version}`);
  const body = buffer.subarray(HEADER_BYTES);
  if (crc32(body) !== buffer.readUInt32LE(1)) throw new SlotCodecError('slot value fails its checksum');
  try {
    return parseBody(new ByteReader(body));
  } catch (error) {
    if (error instanceof SlotCodecError) throw error;
    throw new SlotCodecError('malformed slot value', { cause: error });
  }
}

function parseBody(input: ByteReader): SlotEntry {
  const flags = input.byte();
  if (flags > (COVERED_FROM | COVERED_TO)) throw new SlotCodecError(`unknown slot flags ${flags}`);
  const coverage: { coveredFromMs?: number; coveredToMs?: number } = {};
  if (flags & COVERED_FROM) coverage.coveredFromMs = readFloat(input);
  if (flags & COVERED_TO) coverage.coveredToMs = readFloat(input);
  const texts = Array.from({ length: input.varint() }, () => strictUtf8.decode(input.raw(input.varint())));
  const textAt = (index: number) => {
    const text = texts[index];
    if (text === undefined) throw new SlotCodecError('slot layout names a text it lacks');
    return text;
  };
  const streams = Array.from({ length: input.varint() }, () => {
    const peer = input.varint();
    return {
      peerId: peer === 0 ? null : textAt(peer - 1),
      metrics: Array.from({ length: input.varint() }, () => ({
        name: internMetricText(textAt(input.varint())),
        description: internMetricText(textAt(input.varint())),
        unit: internMetricText(textAt(input.varint())),
      })),
    };
  });
  const points = input.varint();
  if (points > MAX_POINTS) throw new SlotCodecError(`slot value of ${points} points`);
  const series = input.rest();
  if (streams.length === 0 && points === 0 && series.length === 0) {
    return flags === 0 ? EMPTY_SLOT_ENTRY : { ...EMPTY_SLOT_ENTRY, ...coverage };
  }
  // A copy (Buffer's own slice would be a view): the value may be a slice of a larger reply buffer.
  const entry = { series: new Uint8Array(series), points, streams, ...coverage };
  // Decoded once and thrown away: what is cached must decode on every read.
  decodeSeries(entry, new Float64Array(2 * points));
  return entry;
}

function readFloat(input: ByteReader): number {
  const bytes = input.raw(8);
  return new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, true);
}
