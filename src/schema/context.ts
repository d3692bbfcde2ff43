/**
 * What every field resolver is given of its request. The type lives with the schema that reads it, below
 * http, which builds it per request (http/context.ts): the schema and the plugins never import the HTTP edge.
 */

import type { Tracer } from '@opentelemetry/api';
import type { Principal } from '../auth/principal.js';
import type { MetricRoleNames } from '../config/metric-roles.js';
import type { NextTurn } from '../limits/event-loop-turns.js';
import type { OutputBudget } from '../limits/output-budget.js';
import type { LiveHub } from '../live/live-hub.js';
import type { Logger } from '../observability/logger.js';
import type { CallQualityContext } from '../resolvers/call-quality.js';
import type { MetricNameUse } from '../resolvers/metric-names.js';
import type { RoomRecorder } from '../resolvers/record-room.js';
import type { Warning } from './warnings.js';

export interface GatewayContext extends CallQualityContext {
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
  /**
   * The earliest start and the latest end of the ranges the operation's fields asked for, so the response
   * cache can tell an answer that can no longer change (every range settled) from one that still may, and
   * keep it no longer than its ranges stay servable.
   */
  readonly ranges: { earliestFromMs: number; latestToMs: number };
  /** What the answer will carry in `extensions.warnings` (see warnings.ts). */
  readonly warnings: Warning[];
  /** The metric names the operation asked of streams and found on them, for UNKNOWN_METRIC. */
  readonly metricNames: MetricNameUse;
  /** Which metric of a stream is its RTT, loss, ... (METRIC_ROLES), for incidents and quality. */
  readonly metricRoles: MetricRoleNames;
  /** The process's live subscriptions (one poller per room). */
  readonly live: LiveHub;
  /** Spans for the resolvers that read data (see traced-resolver.ts); absent while tracing is off. */
  readonly tracer?: Tracer;
  /** Keeps rooms recorded into the archive (`recordRoom`); null without an archive. */
  readonly recorder: RoomRecorder | null;
}

/** Adds a warning to the response (see `warnings`). */
export function warn(context: GatewayContext, warning: Warning): void {
  context.warnings.push(warning);
}

/** Records that a field asked for `[fromMs, toMs)` (see `ranges`). */
export function noteRange(context: GatewayContext, fromMs: number, toMs: number): void {
  context.ranges.earliestFromMs = Math.min(context.ranges.earliestFromMs, fromMs);
  context.ranges.latestToMs = Math.max(context.ranges.latestToMs, toMs);
}
