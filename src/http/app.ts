/**
 * Builds the Yoga instance; never listens (gateway.ts does), so tests build the whole gateway without a port.
 */
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Tracer } from '@opentelemetry/api';
import { createYoga, type Plugin, useReadinessCheck } from 'graphql-yoga';
import { useAuthentication } from '../auth/authentication-plugin.js';
import type { RequestPrincipal } from '../auth/request-principal.js';
import type { HttpConfig, OperationLimitsConfig } from '../config/config.js';
import type { MetricRoleNames } from '../config/metric-roles.js';
import { useClientErrors } from '../errors/client-error-plugin.js';
import { useErrorCodes } from '../errors/error-codes-plugin.js';
import { useCostLimit } from '../limits/cost-limit-plugin.js';
import { createEventLoopTurns } from '../limits/event-loop-turns.js';
import { useNestingGuard } from '../limits/nesting-guard-plugin.js';
import { operationLimitsPlugins } from '../limits/operation-limits-plugins.js';
import { useOutputLimit } from '../limits/output-limit-plugin.js';
import type { LiveHub } from '../live/live-hub.js';
import { LIST_CALL_DETAIL_LIMITS } from '../model/call-detail.js';
import type { Logger } from '../observability/logger.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { useMetrics } from '../observability/metrics-plugin.js';
import { useRequestLogging, yogaLogger } from '../observability/request-logging-plugin.js';
import { useTracing } from '../observability/tracing-plugin.js';
import type { FastPath } from '../resolvers/fast-path.js';
import type { RoomRecorder } from '../resolvers/record-room.js';
import type { ResponseCache } from '../response-cache/response-cache-plugin.js';
import { schema } from '../schema/index.js';
import { unknownMetricWarning } from '../schema/unknown-metric-warning.js';
import type { CallDetailSource } from '../slots/call-detail-source.js';
import type { SlotTiming } from '../slots/slots.js';
import { useColumnExecution } from './column-execution-plugin.js';
import type { Compression } from './compression.js';
import { useCompression } from './compression-plugin.js';
import { createContextFactory } from './context.js';
import { useCors } from './cors-plugin.js';
import { useCsrfPrevention } from './csrf-plugin.js';
import { createGraphiQLPage } from './graphiql-page.js';
import { useGraphiQLPage } from './graphiql-plugin.js';
import { useHideSuggestions } from './hide-suggestions-plugin.js';
import { type HttpCacheOptions, useHttpCache } from './http-cache-plugin.js';
import { createParseCache } from './parse-cache.js';
import { useSharedEventExecution } from './shared-event-execution-plugin.js';
import type { TrustedDocuments } from './trusted-documents.js';
import { useWarnings } from './warnings-plugin.js';

export interface AppDeps {
  /** Cached, shared, rate-limited call-detail data (process-lifetime). */
  readonly callDetailSource: CallDetailSource;
  /** Live subscriptions (process-lifetime): one poller per room. */
  readonly live: LiveHub;
  /** Who sent a request, authenticated once per request. */
  readonly principalOf: RequestPrincipal;
  readonly graphiql: boolean;
  /** The dashboard page at `/` and its assets (src/web/); null or absent: not served. */
  readonly dashboard?: Plugin | null;
  readonly http: Pick<HttpConfig, 'corsOrigins' | 'allowLocalOrigins' | 'introspection'>;
  readonly limits: Omit<OperationLimitsConfig, 'maxBodyBytes'>;
  readonly metricRoles: MetricRoleNames;
  /**
   * The cache's slots: the cost of an operation is counted in the calls its slots would need, and `final`
   * follows their settle rule.
   */
  readonly slotTiming: SlotTiming;
  /** How far back a range may start; default the upstream's retention (no archive). */
  readonly rangeRetentionMs?: number;
  readonly logger: Logger;
  /** Null: no /metrics endpoint. */
  readonly metrics: GatewayMetrics | null;
  /** Null: operations are sent as text, any of them (TRUSTED_DOCUMENTS unset). */
  readonly trustedDocuments: TrustedDocuments | null;
  /** How settled answers to GETs are cached by browsers and CDNs (see http-cache-plugin.ts). */
  readonly httpCache: Pick<HttpCacheOptions, 'maxAgeSeconds' | 'authenticated'>;
  /** Null: every operation is executed. */
  readonly responseCache: ResponseCache | null;
  /** Null: answers are never compressed. The response cache, given the same, compresses its hits itself. */
  readonly compression: Compression | null;
  /**
   * What float columns keep between requests: with it, columns are executed whole and stitched into the body
   * (column-execution-plugin.ts); null: every float is completed by the executor (the plain path, kept to
   * measure against and to hold the fast path's bytes equal to).
   */
  readonly fastPath: FastPath | null;
  /** False while the server drains at shutdown, so load balancers stop sending before connections close. */
  readonly isReady: () => boolean;
  readonly now?: () => number;
  /** Spans for requests, GraphQL phases and the resolvers that read data; absent: tracing is off. */
  readonly tracer?: Tracer;
  /** Keeps rooms recorded into the archive (`recordRoom`); default none. */
  readonly recorder?: RoomRecorder | null;
}

export function createApp(deps: AppDeps) {
  const now = deps.now ?? Date.now;
  const rangeRetentionMs = deps.rangeRetentionMs ?? LIST_CALL_DETAIL_LIMITS.retentionMs;
  return createYoga({
    schema,
    context: createContextFactory({
      callDetailSource: deps.callDetailSource,
      principalOf: deps.principalOf,
      now,
      logger: deps.logger,
      slotTiming: deps.slotTiming,
      rangeRetentionMs: rangeRetentionMs,
      maxPoints: deps.limits.maxPoints,
      metricRoles: deps.metricRoles,
      turns: createEventLoopTurns(),
      onBatch: deps.metrics ? (size) => deps.metrics?.loaderBatch(size) : undefined,
      live: deps.live,
      tracer: deps.tracer,
      recorder: deps.recorder ?? null,
    }),
    // Masking stays on (Yoga's default) in every environment, and never in its development flavour, which
    // would put stack traces in responses; only errors translated by useClientErrors show.
    maskedErrors: { isDev: false },
    // Bounded by the documents' real weight, not Yoga's default count (see parse-cache.ts).
    parserAndValidationCache: createParseCache(),
    // The HTTP guard (http-guard.ts) refuses a body without a Content-Length or above LIMIT_MAX_BODY_BYTES before
    // Yoga sees it, and Node's parser reads no more than the length declared; Yoga's own bound pipes every body
    // through a TransformStream again, 4 % of a dashboard poll's CPU.
    maxRequestBodySize: false,
    logging: yogaLogger(deps.logger),
    plugins: [
      // Outermost, so the request's span covers every other plugin's work, and is active while it runs.
      ...(deps.tracer ? [useTracing(deps.tracer)] : []),
      // First, so every later hook's errors are coded and scrubbed before metrics count and logs record them.
      useErrorCodes(),
      useRequestLogging(deps.logger),
      // Before every plugin that answers or refuses a request, so a preflight is answered as CORS and a refused
      // origin hears about CORS_ORIGINS rather than about a check further down.
      useCors(
        { origins: deps.http.corsOrigins, allowLocalOrigins: deps.http.allowLocalOrigins },
        deps.logger,
      ),
      // Where Yoga's own GraphiQL plugin ran: after its health check and CORS, before any plugin that answers a
      // request itself. The request log still records every page served.
      ...(deps.graphiql ? [useGraphiQLPage(createGraphiQLPage())] : []),
      ...(deps.dashboard ? [deps.dashboard] : []),
      ...(deps.metrics ? [useMetrics(deps.metrics, { endpoint: '/metrics' })] : []),
      useReadinessCheck({ endpoint: '/ready', check: () => deps.isReady() }),
      // GET and form-encoded POSTs skip the browser's CORS preflight; requiring a header for them closes that
      // door for cross-site requests riding on a user's network position.
      useCsrfPrevention(),
      useAuthentication(deps.principalOf),
      // Before everything that reads the document (limits, caches): it puts a listed hash's text in its place.
      ...(deps.trustedDocuments ? [deps.trustedDocuments.plugin] : []),
      // Off together: with introspection refused, "Did you mean" hints would still spell the schema out.
      ...(deps.http.introspection ? [] : [useDisableIntrospection(), useHideSuggestions()]),
      ...operationLimitsPlugins(deps.limits),
      // After the limits: it wraps the parse and validate functions they install.
      useNestingGuard(),
      useCostLimit({
        maxUpstreamCalls: deps.limits.maxUpstreamCalls,
        maxUserEntries: deps.limits.maxUserEntries,
        slotMs: deps.slotTiming.slotMs,
        maxArchivedSlots: deps.limits.maxArchivedSlots,
      }),
      ...(deps.responseCache ? [deps.responseCache.plugin] : []),
      ...(deps.fastPath ? [useColumnExecution(deps.fastPath)] : []),
      // After every plugin that may refuse a subscription at subscribe time: it only replaces how events execute.
      useSharedEventExecution(),
      useClientErrors(),
      // Its onExecuteDone runs before the response cache keeps the result (onExecutionResult), so a kept answer
      // replays its warnings; and before the output limit, whose refusal replaces the whole result.
      useWarnings([unknownMetricWarning]),
      useOutputLimit(),
      // Last: after the response cache's onResponse, whose hits carry their kept coding and are left alone.
      ...(deps.compression ? [useCompression(deps.compression)] : []),
      // After compression, so each coding's ETag is that of the bytes sent.
      useHttpCache({
        ...deps.httpCache,
        responseCache: deps.responseCache,
        now,
        retentionMs: rangeRetentionMs,
      }),
    ],
    // Answered by useCors, which also refuses the origins Yoga's would have served without CORS headers.
    cors: false,
    // Served by useGraphiQLPage, built once from @graphql-yoga/render-graphiql (its assets inlined, not from a CDN:
    // the page must work on machines without internet access).
    graphiql: false,
    landingPage: false,
  });
}
