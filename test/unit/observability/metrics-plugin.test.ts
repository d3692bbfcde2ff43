import { GraphQLError } from 'graphql';
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createMetrics, type GatewayMetrics } from '../../../src/observability/metrics.js';
import { useMetrics } from '../../../src/observability/metrics-plugin.js';
import { parseExposition, type Sample, sampleValue } from '../../helpers/exposition.js';

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Query {
      hello: String!
      failing: String
      broken: String
    }
    type Mutation {
      touch: Boolean!
    }
  `,
  resolvers: {
    Query: {
      hello: () => 'world',
      failing: () => {
        throw new GraphQLError('the upstream refused the call', { extensions: { code: 'UPSTREAM_ERROR' } });
      },
      // A plain Error: Yoga masks it as INTERNAL_SERVER_ERROR.
      broken: () => {
        throw new Error('internal detail');
      },
    },
    Mutation: { touch: () => true },
  },
});

function gateway(options: { contextFails?: boolean } = {}) {
  const metrics = createMetrics();
  const yoga = createYoga({
    schema,
    plugins: [useMetrics(metrics, { endpoint: '/metrics' })],
    context: () => {
      if (options.contextFails) {
        throw new GraphQLError('missing credential', { extensions: { code: 'UNAUTHENTICATED' } });
      }
      return {};
    },
    logging: false,
  });
  const post = (query: string) =>
    yoga.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query }),
    });
  return { metrics, yoga, post };
}

async function scrape(metrics: GatewayMetrics): Promise<Sample[]> {
  return parseExposition(await metrics.registry.metrics());
}

const errorsByCode = (samples: Sample[], code: string) =>
  sampleValue(samples, 'callq_graphql_errors_total', { code });

describe('useMetrics: the /metrics endpoint', () => {
  it('serves the exposition with status 200 and the registry content type', async () => {
    const { metrics, yoga, post } = gateway();
    await post('{ hello }');
    const response = await yoga.fetch('http://gateway/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(metrics.registry.contentType);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(await response.text());
    expect(
      sampleValue(samples, 'callq_graphql_operation_duration_seconds_count', { operation_type: 'query' }),
    ).toBe(1);
    expect(sampleValue(samples, 'callq_upstream_attempts_total', { outcome: 'ok' })).toBe(0);
  });

  it('refuses other methods on /metrics and leaves other paths alone', async () => {
    const { yoga } = gateway();
    const posted = await yoga.fetch('http://gateway/metrics', { method: 'POST' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
    expect((await yoga.fetch('http://gateway/metricsx')).status).toBe(404);
  });
});

describe('useMetrics: GraphQL operations and errors', () => {
  it('observes execution durations by operation type', async () => {
    const { metrics, post } = gateway();
    await post('{ hello }');
    await post('query Named { hello }');
    await post('mutation { touch }');
    const samples = await scrape(metrics);
    const count = (type: string) =>
      sampleValue(samples, 'callq_graphql_operation_duration_seconds_count', { operation_type: type });
    expect(count('query')).toBe(2);
    expect(count('mutation')).toBe(1);
  });

  it('counts a validation error by its code, with no execution observed', async () => {
    const { metrics, post } = gateway();
    const response = await post('{ nope }');
    expect((await response.json()).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const samples = await scrape(metrics);
    expect(errorsByCode(samples, 'GRAPHQL_VALIDATION_FAILED')).toBe(1);
    expect(
      sampleValue(samples, 'callq_graphql_operation_duration_seconds_count', { operation_type: 'query' }),
    ).toBe(undefined);
  });

  it('counts every field error by its code, masked errors included', async () => {
    const { metrics, post } = gateway();
    await post('{ failing }');
    await post('{ a: failing b: failing hello }');
    await post('{ broken }');
    const samples = await scrape(metrics);
    expect(errorsByCode(samples, 'UPSTREAM_ERROR')).toBe(3);
    expect(errorsByCode(samples, 'INTERNAL_SERVER_ERROR')).toBe(1);
    expect(
      sampleValue(samples, 'callq_graphql_operation_duration_seconds_count', { operation_type: 'query' }),
    ).toBe(3);
  });

  it('counts parse errors and context errors, which never reach execution', async () => {
    const { metrics, post } = gateway();
    await post('{ hello');
    const failing = gateway({ contextFails: true });
    await failing.post('{ hello }');
    expect(errorsByCode(await scrape(metrics), 'GRAPHQL_PARSE_FAILED')).toBe(1);
    expect(errorsByCode(await scrape(failing.metrics), 'UNAUTHENTICATED')).toBe(1);
  });

  it('counts nothing for a successful operation', async () => {
    const { metrics, post } = gateway();
    await post('{ hello }');
    expect((await scrape(metrics)).filter((sample) => sample.name === 'callq_graphql_errors_total')).toEqual(
      [],
    );
  });
});
