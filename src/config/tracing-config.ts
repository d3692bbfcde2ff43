/**
 * The OpenTelemetry variables, by their standard names (the OpenTelemetry "SDK environment variables"
 * specification), so an operator sets them as for any other instrumented service. Read here rather than by the
 * SDK, which would read `process.env` itself: every variable is then validated and reported with the others.
 * Tracing is off unless an OTLP endpoint is set: nothing is made per request then.
 */
import type { EnvReader } from './env-reader.js';

export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type TraceSampler = (typeof TRACE_SAMPLERS)[number];

export interface TracingConfig {
  /** Where spans are sent, OTLP over HTTP; null: tracing is off. */
  readonly tracesUrl: string | null;
  /** Sent with every export (a collector's API key, say): never logged nor echoed in errors. */
  readonly headers: Readonly<Record<string, string>>;
  readonly serviceName: string;
  readonly sampler: TraceSampler;
  /** The ratio of the `traceidratio` samplers, 0 to 1. */
  readonly samplerRatio: number;
  /** `OTEL_RESOURCE_ATTRIBUTES`: what names this deployment (`deployment.environment.name=prod`, ...). */
  readonly resourceAttributes: Readonly<Record<string, string>>;
}

export function readTracingConfig(read: EnvReader): TracingConfig {
  const disabled = read.boolean('OTEL_SDK_DISABLED', false);
  const tracesEndpoint = httpUrl(read, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseEndpoint = httpUrl(read, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  // The specification's rule: the signal's own endpoint is used as it is, the base one gets the signal's path.
  const tracesUrl =
    tracesEndpoint ?? (baseEndpoint === undefined ? null : `${baseEndpoint.replace(/\/$/, '')}/v1/traces`);
  return {
    tracesUrl: disabled ? null : tracesUrl,
    headers: keyValueList(read, 'OTEL_EXPORTER_OTLP_HEADERS'),
    serviceName: read.string('OTEL_SERVICE_NAME', 'callq'),
    sampler: read.oneOf('OTEL_TRACES_SAMPLER', TRACE_SAMPLERS, 'parentbased_always_on'),
    samplerRatio: ratio(read, 'OTEL_TRACES_SAMPLER_ARG'),
    resourceAttributes: keyValueList(read, 'OTEL_RESOURCE_ATTRIBUTES'),
  };
}

function httpUrl(read: EnvReader, name: string): string | undefined {
  const raw = read.optional(name);
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol === 'http:' || url.protocol === 'https:') return raw;
  } catch {
    // reported below
  }
  // Not echoed: a collector URL may carry credentials in its user info or query.
  read.problems.push(`${name} must be an http(s) URL`);
  return undefined;
}

/** The specification's `key1=value1,key2=value2`, values percent-encoded. */
function keyValueList(read: EnvReader, name: string): Record<string, string> {
  const raw = read.optional(name);
  const pairs: Record<string, string> = {};
  if (raw === undefined) return pairs;
  for (const entry of raw.split(',')) {
    if (entry.trim() === '') continue;
    const equals = entry.indexOf('=');
    const key = entry.slice(0, Math.max(equals, 0)).trim();
    try {
      if (key === '') throw new Error('no key');
      pairs[key] = decodeURIComponent(entry.slice(equals + 1).trim());
    } catch {
      // Never the value: headers carry API keys.
      read.problems.push(`${name} must be a comma-separated list of key=value pairs`);
      return {};
    }
  }
  return pairs;
}

function ratio(read: EnvReader, name: string): number {
  const raw = read.optional(name);
  if (raw === undefined) return 1;
  const value = Number(raw);
  if (!/^\d*\.?\d+$/.test(raw) || value > 1) {
    read.problems.push(`${name} must be a number from 0 to 1, got "${raw}"`);
    return 1;
  }
  return value;
}
