/**
 * The process's tracer: OpenTelemetry's SDK exporting OTLP over HTTP, when TracingConfig names an endpoint.
 * The tracer is injected where spans are made (never taken from the API's global provider), so tests give each
 * gateway a tracer of its own, and nothing below the composition root depends on process-wide tracing state.
 */
import { context, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TraceSampler, TracingConfig } from '../config/tracing-config.js';

export interface Tracing {
  readonly tracer: Tracer;
  /** Exports the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

const SERVICE_VERSION = '0.1.0';

/** Null when no endpoint is configured: no provider, no exporter, no spans. */
export function createTracing(config: TracingConfig): Tracing | null {
  if (config.tracesUrl === null) return null;
  enableTraceContext();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      ...config.resourceAttributes,
      [ATTR_SERVICE_NAME]: config.serviceName,
      [ATTR_SERVICE_VERSION]: SERVICE_VERSION,
    }),
    sampler: samplerOf(config.sampler, config.samplerRatio),
    // Batched, so a request never waits on the collector, and a slow or absent collector costs dropped spans
    // (the queue is bounded), never memory or latency.
    spanProcessors: [
      new BatchSpanProcessor(
        new OTLPTraceExporter({ url: config.tracesUrl, headers: { ...config.headers } }),
      ),
    ],
  });
  return {
    tracer: provider.getTracer('callq', SERVICE_VERSION),
    shutdown: () => provider.shutdown(),
  };
}

/**
 * Makes the active span follow async work (a resolver's awaits, the DataLoader batch it schedules, the upstream
 * attempts that batch starts): the API's default context manager forgets it at the first await. Process-wide by
 * the API's design, and the same for every tracer, so it is registered once.
 */
export function enableTraceContext(): void {
  if (contextEnabled) return;
  contextEnabled = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

let contextEnabled = false;

function samplerOf(name: TraceSampler, ratio: number): Sampler {
  const root = name.endsWith('always_on')
    ? new AlwaysOnSampler()
    : name.endsWith('always_off')
      ? new AlwaysOffSampler()
      : new TraceIdRatioBasedSampler(ratio);
  return name.startsWith('parentbased_') ? new ParentBasedSampler({ root }) : root;
}
