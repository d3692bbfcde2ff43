/**
 * What the executed path keeps between requests to answer float columns fast (http/column-execution-plugin.ts):
 * the JSON text of slot data, each whole slot's downsampled points, users' streams as printed, and bodies. Process-lifetime, bounded in bytes as
 * shares of the window cache's bound (CACHE_MAX_MB), each counted by its own stats.
 */
import { type ColumnText, createColumnText } from '../slots/column-text.js';
import type { KeptColumns } from './kept-columns.js';
import { createSlotDownsamples, type SlotDownsamples } from './piecewise-downsample.js';
import { createPrintedStreams, type PrintedStreams } from './printed-streams.js';
import { createStitchedBodies, type StitchedBodies } from './stitched-bodies.js';

/**
 * A sixteenth of the window cache: a 60 s step keeps a sixth of a slot's points, and only the slots polled
 * again and again are worth it.
 */
const DOWNSAMPLES_SHARE_OF_WINDOW_CACHE = 1 / 16;
/**
 * A sixteenth too: a 20-user dashboard of the last hour prints 0.4 MB (`step: 60`) to 1.5 MB (every point), and
 * it is the dashboards polled again and again that are worth keeping.
 */
const PRINTED_STREAMS_SHARE_OF_WINDOW_CACHE = 1 / 16;
/** The same again for whole bodies, mostly the same bytes as the printed streams they are made of. */
const STITCHED_BODIES_SHARE_OF_WINDOW_CACHE = 1 / 16;

export interface FastPath {
  readonly columnText: ColumnText;
  readonly downsamples: SlotDownsamples;
  readonly keptColumns: KeptColumns;
  readonly printedStreams: PrintedStreams;
  readonly stitchedBodies: StitchedBodies;
}

export function createFastPath(options: { readonly windowCacheMaxBytes: number }): FastPath {
  return {
    columnText: createColumnText(options),
    downsamples: createSlotDownsamples({
      maxBytes: Math.floor(options.windowCacheMaxBytes * DOWNSAMPLES_SHARE_OF_WINDOW_CACHE),
    }),
    keptColumns: new WeakMap(),
    printedStreams: createPrintedStreams({
      maxBytes: Math.floor(options.windowCacheMaxBytes * PRINTED_STREAMS_SHARE_OF_WINDOW_CACHE),
    }),
    stitchedBodies: createStitchedBodies({
      maxBytes: Math.floor(options.windowCacheMaxBytes * STITCHED_BODIES_SHARE_OF_WINDOW_CACHE),
    }),
  };
}
