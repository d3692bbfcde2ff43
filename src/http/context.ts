/**
 * Request-lifetime state (its type, GatewayContext, is the schema's). A new context, with new DataLoaders, is
 * made for every GraphQL request: a loader caches per request and must never serve one client's answers to
 * another.
 */

import type { Tracer } from '@opentelemetry/api';
import type { RequestPrincipal } from '../auth/request-principal.js';
import type { MetricRoleNames } from '../config/metric-roles.js';
import type { CostLimitContext } from '../limits/cost-limit-plugin.js';
import type { EventLoopTurns } from '../limits/event-loop-turns.js';
import { createOutputBudget } from '../limits/output-budget.js';
import type { OutputLimitContext } from '../limits/output-limit-plugin.js';
import type { LiveHub } from '../live/live-hub.js';
import { createFlow } from '../model/flow.js';
import type { Logger } from '../observability/logger.js';
import { requestLogger } from '../observability/request-logging-plugin.js';
import { MetricNameUse } from '../resolvers/metric-names.js';
import type { RoomRecorder } from '../resolvers/record-room.js';
import type { ResponseCacheContext } from '../response-cache/response-cache-plugin.js';
import type { GatewayContext } from '../schema/context.js';
import { createCallDetailLoader } from '../slots/call-detail-loader.js';
import type { CallDetailSource } from '../slots/call-detail-source.js';
import type { SlotTiming } from '../slots/slots.js';

/**
 * The schema's context and what the plugins read of it, in one: each plugin declares its own narrow context,
 * and building this type here is where the compiler checks that the gateway's context gives them all of it.
 */
export type RequestContext = GatewayContext & CostLimitContext & OutputLimitContext & ResponseCacheContext;

export interface ContextDeps {
  readonly callDetailSource: CallDetailSource;
  readonly principalOf: RequestPrincipal;
  readonly now: () => number;
  readonly logger: Logger;
  readonly slotTiming: SlotTiming;
  /** How far back a range may start (see CallQualityContext). */
  readonly rangeRetentionMs: number;
  /** The points one operation may return. */
  readonly maxPoints: number;
  readonly metricRoles: MetricRoleNames;
  readonly turns: EventLoopTurns;
  /** Keys per DataLoader batch, for metrics. */
  readonly onBatch?: (size: number) => void;
  readonly live: LiveHub;
  readonly tracer?: Tracer;
  readonly recorder: RoomRecorder | null;
}

export function createContextFactory(deps: ContextDeps) {
  return async ({ request }: { request: Request }): Promise<RequestContext> => {
    // Already authenticated by useAuthentication, which answers refusals before anything is parsed.
    const principal = await deps.principalOf(request);
    return {
      // One flow per operation: its calls take turns with other principals' and its principal's other operations'.
      callDetailLoader: createCallDetailLoader(deps.callDetailSource, {
        onBatch: deps.onBatch,
        flow: createFlow(principal.name),
      }),
      nowMs: deps.now(),
      principal,
      logger: requestLogger(request, deps.logger),
      output: createOutputBudget(deps.maxPoints),
      nextTurn: deps.turns.forOperation(),
      slotTiming: deps.slotTiming,
      rangeRetentionMs: deps.rangeRetentionMs,
      ranges: { earliestFromMs: Number.POSITIVE_INFINITY, latestToMs: Number.NEGATIVE_INFINITY },
      warnings: [],
      metricNames: new MetricNameUse(),
      metricRoles: deps.metricRoles,
      live: deps.live,
      tracer: deps.tracer,
      recorder: deps.recorder,
    };
  };
}
