/**
 * What the executed path keeps between requests to answer float columns fast (http/column-execution-plugin.ts):
 * the JSON text of slot data and each whole slot's downsampled points. Process-lifetime, bounded in bytes as
 * shares of the window cache's bound (CACHE_MAX_MB), each counted by its own stats.
 */
import { type ColumnText, createColumnText } from '../slots/column-text.js';
import type { KeptColumns } from './kept-columns.js';
import { createSlotDownsamples, type SlotDownsamples } from './piecewise-downsample.js';

/**
 * A sixteenth of the window cache: a 60 s step keeps a sixth of a slot's points, and only the slots polled
 * again and again are worth it.
 */
const DOWNSAMPLES_SHARE_OF_WINDOW_CACHE = 1 / 16;

export interface FastPath {
  readonly columnText: ColumnText;
  readonly downsamples: SlotDownsamples;
  readonly keptColumns: KeptColumns;
}

export function createFastPath(options: { readonly windowCacheMaxBytes: number }): FastPath {
  return {
    columnText: createColumnText(options),
    downsamples: createSlotDownsamples({
      maxBytes: Math.floor(options.windowCacheMaxBytes * DOWNSAMPLES_SHARE_OF_WINDOW_CACHE),
    }),
    keptColumns: new WeakMap(),
  };
}
