/**
 * What an operation would read from the archive at most: the slots of its ranges past the upstream's retention,
 * per user and direction. They cost no upstream call, so the cost limit lets them through; this bound keeps one
 * operation from reading months of a large room (each slot a database read and a decode) before the output
 * limit could refuse the answer.
 */
import { LIST_CALL_DETAIL_LIMITS } from '../model/call-detail.js';
import type { CallQualityRequest } from '../resolvers/call-quality.js';

export function archivedSlots(
  requests: readonly CallQualityRequest[],
  options: { readonly slotMs: number; readonly nowMs: number },
): number {
  const { slotMs } = options;
  const edgeMs = options.nowMs - LIST_CALL_DETAIL_LIMITS.retentionMs;
  let slots = 0;
  for (const request of requests) {
    const toMs = Math.min(request.toMs, edgeMs);
    if (toMs <= request.fromMs) continue;
    const perStream = Math.ceil(toMs / slotMs) - Math.floor(request.fromMs / slotMs);
    slots += perStream * new Set(request.userIds).size * new Set(request.directions).size;
  }
  return slots;
}
