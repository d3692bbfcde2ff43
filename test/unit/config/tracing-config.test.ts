import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';
import { createTracing } from '../../../src/observability/tracing.js';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('the OTEL_ variables', () => {
  it('leave tracing off when no endpoint is set: no tracer is made', () => {
    const { tracing } = loadConfig({});
    expect(tracing).toEqual({
      tracesUrl: null,
      headers: {},
      serviceName: 'callq',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      resourceAttributes: {},
    });
    expect(createTracing(tracing)).toBeNull();
  });

  it('send to the base endpoint’s /v1/traces, or to the traces endpoint as it is', () => {
    const base = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' };
    expect(loadConfig(base).tracing.tracesUrl).toBe('http://collector:4318/v1/traces');
    const own = { ...base, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example/api/traces' };
    expect(loadConfig(own).tracing.tracesUrl).toBe('https://otlp.example/api/traces');
    expect(loadConfig({ ...own, OTEL_SDK_DISABLED: 'true' }).tracing.tracesUrl).toBeNull();
  });

  it('read headers, resource attributes and the sampler', () => {
    const { tracing } = loadConfig({
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D1, x-team = core',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_SERVICE_NAME: 'callq-eu',
    });
    expect(tracing).toMatchObject({
      headers: { 'x-api-key': 'abc=1', 'x-team': 'core' },
      resourceAttributes: { 'deployment.environment.name': 'prod' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
      serviceName: 'callq-eu',
    });
  });

  it('report every bad one by name, never echoing a header or a URL', () => {
    const problems = problemsOf({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://user:hunter2@collector',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '1.5',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_ENDPOINT /),
      expect.stringMatching(/^OTEL_EXPORTER_OTLP_HEADERS /),
      expect.stringMatching(/^OTEL_TRACES_SAMPLER /),
      expect.stringMatching(/^OTEL_TRACES_SAMPLER_ARG /),
    ]);
    expect(problems.join('\n')).not.toMatch(/hunter2|authorization/);
  });
});
