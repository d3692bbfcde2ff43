/**
 * One operation's float columns, kept out of the result tree until the body is written. The executor would
 * otherwise complete every float as a list item (a path object and a boxed number each) and JSON.stringify
 * would print each again: a column stands in the result as a token string instead, and the body is the
 * stringified result with each token replaced by the column's JSON bytes (printed once per slot by
 * slots/column-text.ts, or for columns made per request, once), copied into one buffer. Users' streams printed
 * whole (schema/streams-printer.ts) stand in the result as tokens the same way.
 */
import { randomUUID } from 'node:crypto';
import type { ColumnText } from '../slots/column-text.js';
import type { PointColumns } from './downsample.js';
import type { FastPath } from './fast-path.js';
import {
  FlatSpans,
  isNonFinite,
  type KeptColumn,
  type KeptColumns,
  keptColumnOf,
  type NonFiniteItem,
} from './kept-columns.js';
import type { SlotDownsamples } from './piecewise-downsample.js';
import type { PrintedStreams } from './printed-streams.js';
import type { StitchedBodies } from './stitched-bodies.js';

const OPEN = Buffer.from('[');
const CLOSE = Buffer.from(']');

export class ColumnSink {
  readonly #text: ColumnText;
  readonly #kept: KeptColumns;
  /**
   * Unguessable per operation: a token is a string in the result, and strings a client sends back (ids)
   * must never be taken for one. A UUID (122 random bits) comes from a pool Node refills in batches,
   * where randomBytes makes a buffer and a call into OpenSSL for each request.
   */
  readonly #nonce = randomUUID();
  /** What a token is in JSON.stringify's output: NUL prints as the six characters `\u0000`. */
  readonly #marker = `"\\u0000${this.#nonce}:`;
  readonly #spans = new FlatSpans();
  /** Column i is spans [starts[i], starts[i + 1]). */
  readonly #starts: number[] = [0];

  constructor(text: ColumnText, kept: KeptColumns) {
    this.#text = text;
    this.#kept = kept;
  }

  get size(): number {
    return this.#starts.length - 1;
  }

  /**
   * The token standing for a series' column (its byte ranges kept from when the same series was printed
   * before), or its first number JSON cannot carry (then there is no token, and the field must fail as a list
   * of Float would).
   */
  addColumn(series: PointColumns, column: 'times' | 'values'): string | NonFiniteItem {
    return this.#addColumn(this.keptColumn(series, column));
  }

  /** A series' column as `addColumn` prints it, for a printer of its own (see schema/streams-printer.ts). */
  keptColumn(series: PointColumns, column: 'times' | 'values'): KeptColumn {
    return keptColumnOf(this.#text, this.#kept, series, column);
  }

  /** The token standing for JSON printed whole (e.g. a user's streams). */
  addJson(json: Buffer): string {
    this.#spans.push(json, 0, json.length);
    this.#starts.push(this.#spans.buffers.length);
    return this.#token();
  }

  #addColumn(printed: KeptColumn): string | NonFiniteItem {
    if (isNonFinite(printed)) return printed;
    const spans = this.#spans;
    spans.push(OPEN, 0, 1);
    for (let i = 0; i < printed.buffers.length; i += 1) {
      spans.push(
        printed.buffers[i] as Buffer,
        printed.bounds[2 * i] as number,
        printed.bounds[2 * i + 1] as number,
      );
    }
    spans.push(CLOSE, 0, 1);
    this.#starts.push(spans.buffers.length);
    return this.#token();
  }

  #token(): string {
    return `\u0000${this.#nonce}:${this.#starts.length - 2}`;
  }

  /**
   * The body: `json` (the result as JSON.stringify prints it) with every token replaced by its column; the
   * very Buffer of an earlier answer stitched of the same text and byte ranges, when `bodies` keeps one.
   */
  stitch(json: string, bodies?: StitchedBodies): Buffer {
    const segments: string[] = [];
    const used: unknown[] = [];
    let bytes = 0;
    const { buffers, bounds } = this.#spans;
    let from = 0;
    for (let at = json.indexOf(this.#marker); at !== -1; at = json.indexOf(this.#marker, at + 1)) {
      const close = json.indexOf('"', at + this.#marker.length);
      const column = Number(json.slice(at + this.#marker.length, close));
      if (!(column >= 0 && column < this.size)) throw new Error('a column token without its column');
      segments.push(json.slice(from, at));
      from = close + 1;
      for (let s = this.#starts[column] as number; s < (this.#starts[column + 1] as number); s += 1) {
        used.push(buffers[s], bounds[2 * s], bounds[2 * s + 1]);
        bytes += (bounds[2 * s + 1] as number) - (bounds[2 * s] as number);
      }
      // Where a column ends among the spans: two columns may not trade spans and stitch the same.
      used.push(null);
    }
    segments.push(json.slice(from));
    // JSON.stringify escapes every control character, so NUL never occurs in the segments it joins.
    const text = segments.join('\u0000');
    const known = bodies?.find(text, used);
    if (known !== undefined) return known;
    // The text's bytes, less one per separator.
    const body = Buffer.allocUnsafe(Buffer.byteLength(text) - (segments.length - 1) + bytes);
    let written = 0;
    let span = 0;
    for (let c = 0; c < segments.length; c += 1) {
      written += body.write(segments[c] as string, written);
      for (; span < used.length && used[span] !== null; span += 3) {
        written += (used[span] as Buffer).copy(
          body,
          written,
          used[span + 1] as number,
          used[span + 2] as number,
        );
      }
      span += 1;
    }
    bodies?.keep(text, used, body);
    return body;
  }
}

/** Each operation's sink, by its context: what the column fields of the execution schema write to. */
const sinks = new WeakMap<object, ColumnSink>();

/** The operation's fast path: what its fields keep and read between requests. */
const fastPaths = new WeakMap<object, FastPath>();

export function openColumnSink(context: object, fastPath: FastPath): ColumnSink {
  const sink = new ColumnSink(fastPath.columnText, fastPath.keptColumns);
  sinks.set(context, sink);
  fastPaths.set(context, fastPath);
  return sink;
}

/** Users' streams as printed before, when the operation runs on the fast path. */
export function printedStreamsOf(context: object): PrintedStreams | undefined {
  return fastPaths.get(context)?.printedStreams;
}

/** Per-slot downsampling, when the operation runs on the fast path. */
export function slotDownsamplesOf(context: object): SlotDownsamples | undefined {
  return fastPaths.get(context)?.downsamples;
}

export function columnSinkOf(context: object): ColumnSink {
  const sink = sinks.get(context);
  if (sink === undefined) throw new Error('a column field executed without a column sink');
  return sink;
}
