/**
 * Request-lifetime state. A new context, with new DataLoaders, is made for every GraphQL request: a loader
 * caches per request and must never serve one client's answers to another.
 */
import type { Principal } from '../auth/principal.js';
import type { RequestPrincipal } from '../auth/request-principal.js';
import type { NextTurn } from '../limits/event-loop-turns.js';
import { createOutputBudget, type OutputBudget } from '../limits/output-budget.js';
import type { Logger } from '../observability/logger.js';
import { requestLogger } from '../observability/request-logging-plugin.js';
import { type CallDetailLoader, createCallDetailLoader } from '../slots/call-detail-loader.js';
import type { CallDetailSource } from '../slots/call-detail-source.js';
import type { SlotTiming } from '../slots/slots.js';

export interface GatewayContext {
  readonly callDetailLoader: CallDetailLoader;
  /** One instant per request, so every field of an operation agrees on what "now" and "final" mean. */
  readonly nowMs: number;
  /** Who is asking: decides which AppIds may be read. */
  readonly principal: Principal;
  /** Carries the request id on every line. */
  readonly logger: Logger;
  /** The points the operation may still return (LIMIT_MAX_POINTS). */
  readonly output: OutputBudget;
  /** Resolves on this process's next free turn of the event loop (see event-loop-turns.ts). */
  readonly nextTurn: NextTurn;
  /** Which slots can no longer change: decides `final`. */
  readonly slotTiming: SlotTiming;
  /**
   * The earliest start and the latest end of the ranges the operation's fields asked for, so the response
   * cache can tell an answer that can no longer change (every range settled) from one that still may, and
   * keep it no longer than its ranges stay servable.
   */
  readonly ranges: { earliestFromMs: number; latestToMs: number };
}

/** Records that a field asked for `[fromMs, toMs)` (see `ranges`). */
export function noteRange(context: GatewayContext, fromMs: number, toMs: number): void {
  context.ranges.earliestFromMs = Math.min(context.ranges.earliestFromMs, fromMs);
  context.ranges.latestToMs = Math.max(context.ranges.latestToMs, toMs);
}

export interface ContextDeps {
  readonly callDetailSource: CallDetailSource;
  readonly principalOf: RequestPrincipal;
  readonly now: () => number;
  readonly logger: Logger;
  readonly slotTiming: SlotTiming;
  /** The points one operation may return. */
  readonly maxPoints: number;
  readonly nextTurn: NextTurn;
  /** Keys per DataLoader batch, for metrics. */
  readonly onBatch?: (size: number) => void;
}

export function createContextFactory(deps: ContextDeps) {
  return async ({ request }: { request: Request }): Promise<GatewayContext> => {
    // Already authenticated by useAuthentication, which answers refusals before anything is parsed.
    const principal = await deps.principalOf(request);
    return {
      callDetailLoader: createCallDetailLoader(deps.callDetailSource, { onBatch: deps.onBatch }),
      nowMs: deps.now(),
      principal,
      logger: requestLogger(request, deps.logger),
      output: createOutputBudget(deps.maxPoints),
      nextTurn: deps.nextTurn,
      slotTiming: deps.slotTiming,
      ranges: { earliestFromMs: Number.POSITIVE_INFINITY, latestToMs: Number.NEGATIVE_INFINITY },
    };
  };
}
