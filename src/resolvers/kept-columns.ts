/**
 * Float columns' JSON kept between requests (resolvers/column-sink.ts): what the fast path remembers of each
 * series it printed, so a poll keeping the same points prints nothing again.
 */
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
