/**
 * Columns kept in pieces (one per slot) until something reads them whole: the column printer takes them piece
 * by piece (slot text is kept per slot, see slots/column-text.ts), so a merged or downsampled series need never
 * be copied into one array for an answer.
 */
import type { PointColumns } from './downsample.js';

/** One run of a column's numbers, `column[from..to)`; returns false to be given no more. */
export type PieceCallback = (column: Float64Array, from: number, to: number) => boolean;

export interface PiecewiseColumns extends PointColumns {
  /** The number of points, counted without joining the pieces. */
  readonly total: number;
  eachPiece(column: 'times' | 'values', each: PieceCallback): void;
}

function isPiecewise(series: PointColumns): series is PiecewiseColumns {
  return typeof (series as Partial<PiecewiseColumns>).eachPiece === 'function';
}

/** A column of a series as runs to print one after the other: its pieces, or the column itself. */
export function eachColumnPiece(series: PointColumns, column: 'times' | 'values', each: PieceCallback): void {
  if (isPiecewise(series)) series.eachPiece(column, each);
  else each(series[column], 0, series[column].length);
}

/** How many points a series has, without joining a piecewise one to count them. */
export function pointCount(series: PointColumns): number {
  return isPiecewise(series) ? series.total : series.times.length;
}

/** Whole series one after the other (e.g. each slot's downsampled points), joined only when read whole. */
export class JoinedColumns implements PiecewiseColumns {
  readonly total: number;
  #joined: PointColumns | null = null;

  constructor(private readonly pieces: readonly PointColumns[]) {
    this.total = pieces.reduce((sum, piece) => sum + piece.times.length, 0);
  }

  get times(): Float64Array {
    return this.#join().times;
  }

  get values(): Float64Array {
    return this.#join().values;
  }

  eachPiece(column: 'times' | 'values', each: PieceCallback): void {
    for (const piece of this.pieces) {
      if (piece[column].length > 0 && !each(piece[column], 0, piece[column].length)) return;
    }
  }

  #join(): PointColumns {
    if (this.#joined !== null) return this.#joined;
    const times = new Float64Array(this.total);
    const values = new Float64Array(this.total);
    let offset = 0;
    for (const piece of this.pieces) {
      times.set(piece.times, offset);
      values.set(piece.values, offset);
      offset += piece.times.length;
    }
    this.#joined = { times, values };
    return this.#joined;
  }
}
