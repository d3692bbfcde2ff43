/**
 * Float columns' JSON as byte ranges of kept text (slots/column-text.ts), and what the fast path remembers of
 * each series it printed, so a poll keeping the same points prints nothing again.
 */
import type { ByteSpans, ColumnText } from '../slots/column-text.js';
import { eachColumnPiece } from './column-pieces.js';
import type { PointColumns } from './downsample.js';

/** A column one of whose numbers JSON cannot carry: its index in the column and the number. */
export interface NonFiniteItem {
  readonly index: number;
  readonly value: number;
}

/** A column's JSON as byte ranges (without its brackets), or its first number JSON cannot carry. */
export type KeptColumn =
  | { readonly buffers: readonly Buffer[]; readonly bounds: readonly number[] }
  | NonFiniteItem;

/**
 * Each series' columns as they were printed, by series object: the merged and downsampled series of a poll
 * keeping the same points are the same objects as the poll before's (see canonicalSeries), so their columns
 * are the same byte ranges. Weakly held, as the series are; the ranges are of kept text, which they keep alive.
 */
export type KeptColumns = WeakMap<PointColumns, { times?: KeptColumn; values?: KeptColumn }>;

/** A column in pieces: each call of `each` is one run of its numbers, in order. */
type ColumnPieces = (each: (column: Float64Array, from: number, to: number) => boolean) => void;

/** Byte ranges of buffers, flat: buffers[i] from bounds[2i] to bounds[2i + 1] (no object per range). */
export class FlatSpans implements ByteSpans {
  readonly buffers: Buffer[] = [];
  readonly bounds: number[] = [];

  push(bytes: Buffer, start: number, end: number): void {
    this.buffers.push(bytes);
    this.bounds.push(start, end);
  }
}

/** The JSON of the column made of `pieces`, without its brackets, or its first number JSON cannot carry. */
export function printColumn(text: ColumnText, pieces: ColumnPieces): KeptColumn {
  const columns: Float64Array[] = [];
  const froms: number[] = [];
  const tos: number[] = [];
  pieces((column, from, to) => {
    if (to > from) {
      columns.push(column);
      froms.push(from);
      tos.push(to);
    }
    return true;
  });
  const spans = new FlatSpans();
  const bad = text.appendRuns({ columns, froms, tos }, spans);
  if (bad !== -1) return { index: bad, value: numberAt(columns, froms, tos, bad) };
  return { buffers: spans.buffers, bounds: spans.bounds };
}

/** A series' column printed, or as it was printed before for the same series object. */
export function keptColumnOf(
  text: ColumnText,
  kept: KeptColumns,
  series: PointColumns,
  column: 'times' | 'values',
): KeptColumn {
  const keptOfSeries = kept.get(series);
  const known = keptOfSeries?.[column];
  if (known !== undefined) return known;
  const printed = printColumn(text, (each) => eachColumnPiece(series, column, each));
  if (keptOfSeries === undefined) kept.set(series, { [column]: printed });
  else keptOfSeries[column] = printed;
  return printed;
}

export function isNonFinite(column: KeptColumn): column is NonFiniteItem {
  return !('buffers' in column);
}

/** Number `index` of a column in runs. */
function numberAt(
  columns: readonly Float64Array[],
  froms: readonly number[],
  tos: readonly number[],
  index: number,
) {
  let rest = index;
  for (let i = 0; i < columns.length; i += 1) {
    const length = (tos[i] as number) - (froms[i] as number);
    if (rest < length) return (columns[i] as Float64Array)[(froms[i] as number) + rest] as number;
    rest -= length;
  }
  throw new Error('a column index past its end');
}
