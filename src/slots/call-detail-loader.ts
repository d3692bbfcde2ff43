/**
 * The per-request DataLoader in front of the process-wide call-detail source: it collects every user that one
 * operation asks for (lists, aliases, fragments) into one batch, so the source can plan them into shared
 * upstream calls of at most 20 users and 1 hour.
 */
import DataLoader from 'dataloader';
import type { Flow } from '../model/flow.js';
import type { CallDetailRequest, CallDetailSource, SlotParts } from './call-detail-source.js';

export type CallDetailLoader = DataLoader<CallDetailRequest, SlotParts, string>;

function cacheKey(request: CallDetailRequest): string {
  return JSON.stringify([
    request.appId,
    request.roomId,
    request.userId,
    request.fromMs,
    request.toMs,
    [...request.directions].sort(),
  ]);
}

export interface CallDetailLoaderOptions {
  /** Called with the number of keys of every batch, before the source loads it: for metrics. */
  readonly onBatch?: (size: number) => void;
  /** The operation's flow: its upstream calls take their rate-limit turns in it (see upstream/fair-queue.ts). */
  readonly flow?: Flow;
}

/**
 * No `maxBatchSize`: the source chunks each stretch of time by 20 users itself. A DataLoader-level cap of 20
 * keys would cut one window's users across batches (15 users over 2 windows would cost 3 calls, not 2).
 */
export function createCallDetailLoader(
  source: CallDetailSource,
  options: CallDetailLoaderOptions = {},
): CallDetailLoader {
  const { onBatch, flow } = options;
  return new DataLoader(
    (requests) => {
      onBatch?.(requests.length);
      return source.load(requests, flow);
    },
    { cacheKeyFn: cacheKey, name: 'callDetail' },
  );
}
