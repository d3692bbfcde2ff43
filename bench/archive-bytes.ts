/**
 * Bytes per archived point: what one settled slot costs on disk (and in Redis) in the compact format of
 * redis/slot-codec.ts, header, layout and texts included, per point (a time and a value). Over the simulator's
 * series for a 20-user room-hour split into 5-minute slots the way the gateway splits them, and over worst
 * cases of random doubles (random bit patterns: no decimal to find, no bits shared with the previous number).
 * Beside it, format 1 (raw Float64 pairs after a JSON layout), which the compact format replaced.
 *
 * Run: node --import tsx bench/archive-bytes.ts
 */
import type { StreamDetail, StreamDirection } from '../src/model/call-detail.js';
import { decodeSlotEntryBinary, encodeSlotEntryBinary } from '../src/redis/slot-codec.js';
import { generateCallDetailResult } from '../src/simulator/synthetic-data.js';
import { decodeSlotEntry, encodeSlotEntry, type SlotEntry, streamsOf } from '../src/slots/slot-entry.js';
import { slotStartOf } from '../src/slots/slots.js';
import { parseListCallDetailResponse } from '../src/upstream/parse-response.js';
import { environmentLine, markdownTable, median, writeSection } from './results-file.js';

const HEADING = '## Bytes per archived point';
const HOUR_MS = 3_600_000;
const SLOT_MS = 300_000;
const USERS = 20;
const SAMPLE_INTERVAL_MS = 10_000;
const TARGET_BYTES_PER_POINT = 8;
const ROUNDS = 5;
const DIRECTIONS: readonly StreamDirection[] = ['up', 'down'];

/** The simulator's answer for `USERS` users over one past hour, as the gateway parses it. */
function roomHour(): { streams: readonly StreamDetail[]; startMs: number } {
  const nowMs = Date.now();
  const startMs = slotStartOf(nowMs - 2 * HOUR_MS, HOUR_MS);
  const userIds = Array.from({ length: USERS }, (_, index) => `user${String(index).padStart(4, '0')}`);
  const result = generateCallDetailResult({
    appId: 'bench-app',
    roomId: 'bench-room',
    userIds,
    startMs,
    endMs: startMs + HOUR_MS,
    direction: 0,
    sampleIntervalMs: SAMPLE_INTERVAL_MS,
    nowMs,
  });
  const body = JSON.stringify({ ResponseMetadata: { RequestId: 'bench' }, Result: result });
  return { streams: parseListCallDetailResponse(200, body).streams, startMs };
}

/** Every (user, direction, slot) entry of the hour, as the window cache makes them. */
function entriesOf(streams: readonly StreamDetail[], startMs: number): SlotEntry[] {
  const users = [...new Set(streams.map((stream) => stream.userId))];
  const entries: SlotEntry[] = [];
  for (const userId of users) {
    for (const direction of DIRECTIONS) {
      const own = streamsOf({ streams }, userId, direction);
      for (let slotStartMs = startMs; slotStartMs < startMs + HOUR_MS; slotStartMs += SLOT_MS) {
        entries.push(encodeSlotEntry(own, slotStartMs, slotStartMs + SLOT_MS));
      }
    }
  }
  return entries;
}

/** Random 64-bit patterns: any exponent, NaNs and infinities included. */
function randomDoubles(length: number): Float64Array {
  const words = Uint32Array.from({ length: 2 * length }, () => Math.floor(Math.random() * 2 ** 32));
  return new Float64Array(words.buffer);
}

/** The same streams with random doubles for values, and (when `jitter`) times moved off the 10 s grid. */
function worstCase(streams: readonly StreamDetail[], jitter: boolean): StreamDetail[] {
  return streams.map((stream) => ({
    ...stream,
    metrics: stream.metrics.map((metric) => ({
      ...metric,
      times: jitter
        ? metric.times.map((time) => time + Math.floor(Math.random() * SAMPLE_INTERVAL_MS * 0.9))
        : metric.times,
      values: randomDoubles(metric.values.length),
    })),
  }));
}

/** Format 1's size: a 9-byte header, the layout as JSON padded to 8 bytes, then 16 bytes a point. */
function rawFormatBytes(entry: SlotEntry): number {
  let offset = 0;
  const layout = decodeSlotEntry(entry, 'u', 'up').map((stream) => [
    stream.peerId,
    stream.metrics.map((metric) => {
      const wire = [metric.name, metric.description, metric.unit, offset, metric.times.length];
      offset += 2 * metric.times.length;
      return wire;
    }),
  ]);
  return Math.ceil((9 + Buffer.byteLength(JSON.stringify(layout))) / 8) * 8 + 16 * entry.points;
}

function measure(name: string, entries: readonly SlotEntry[]) {
  const points = entries.reduce((sum, entry) => sum + entry.points, 0);
  const encoded = entries.map(encodeSlotEntryBinary);
  const bytes = encoded.reduce((sum, value) => sum + value.length, 0);
  const seriesBytes = entries.reduce((sum, entry) => sum + entry.series.length, 0);
  const rawBytes = entries.reduce((sum, entry) => sum + rawFormatBytes(entry), 0);
  // What the archive's read of the hour costs: every value checked and decoded, then decoded for the answer.
  const decodeMs: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    for (const value of encoded) decodeSlotEntry(decodeSlotEntryBinary(value), 'u', 'up');
    decodeMs.push(performance.now() - started);
  }
  return {
    name,
    perPoint: bytes / points,
    row: [
      name,
      String(entries.length),
      String(points),
      String(bytes),
      (bytes / points).toFixed(2),
      (seriesBytes / points).toFixed(2),
      (rawBytes / points).toFixed(2),
      median(decodeMs).toFixed(1),
    ],
  };
}

const { streams, startMs } = roomHour();
const simulator = measure(
  `simulator, ${USERS} users x 1 h, ${SAMPLE_INTERVAL_MS / 1000} s sampling`,
  entriesOf(streams, startMs),
);
const cases = [
  simulator,
  measure('random doubles, regular 10 s times', entriesOf(worstCase(streams, false), startMs)),
  measure('random doubles, times off the grid', entriesOf(worstCase(streams, true), startMs)),
];
const met = simulator.perPoint <= TARGET_BYTES_PER_POINT;

writeSection(HEADING, [
  environmentLine('node --import tsx bench/archive-bytes.ts'),
  '',
  'One settled slot as the archive and Redis store it (redis/slot-codec.ts format 2: version, checksum, ' +
    'layout with each text once, then the series as the window cache keeps them: times as changes of step, ' +
    'values as decimal integers or XORed bits). Per point (a time and a value), every byte of the value ' +
    `counted; "series only" leaves out header, layout and texts. Each row is one ${USERS}-user room-hour in ` +
    `${SLOT_MS / 60_000}-minute slots (one value per user, direction and slot); the random rows keep the ` +
    "simulator's streams and replace every value by random bits. Format 1 stored raw Float64s after a JSON " +
    `layout. Read: every value of the hour decoded from bytes (checked) and into the answer's numbers, median ` +
    `of ${ROUNDS}. Target: at most ${TARGET_BYTES_PER_POINT} B per point on the simulator's series.`,
  '',
  markdownTable(
    [
      'series',
      'slot values',
      'points',
      'bytes',
      '**B/point**',
      'series only B/point',
      'format 1 B/point',
      'read ms',
    ],
    cases.map(({ row }, index) =>
      index === 0 ? [...row.slice(0, 4), `**${row[4]}**`, ...row.slice(5)] : row,
    ),
  ),
  '',
  met ? 'Target met.' : 'Target MISSED.',
]);
if (!met) process.exitCode = 1;
