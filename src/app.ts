/**
 * Builds the Yoga instance; never listens (server.ts does), so tests build the whole gateway without a port.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import { useClientErrors } from './client-error-plugin.js';
import { createContextFactory } from './context.js';
import { graphiqlExampleQuery } from './graphiql-example.js';
import { schema } from './schema/index.js';
import type { CallDetailSource } from './upstream/call-detail-source.js';

export interface AppDeps {
  /** Cached, shared, rate-limited call-detail data (process-lifetime). */
  readonly callDetailSource: CallDetailSource;
  readonly graphiql: boolean;
  readonly now?: () => number;
}

export function createApp(deps: AppDeps) {
  const now = deps.now ?? Date.now;
  return createYoga({
    schema,
    context: createContextFactory({ callDetailSource: deps.callDetailSource, now }),
    // Masking stays on (Yoga's default) in every environment; only errors translated by useClientErrors show.
    plugins: [useClientErrors()],
    // GraphiQL's assets come from the @graphql-yoga/render-graphiql package, not a CDN: the page must work on
    // machines without internet access.
    renderGraphiQL,
    graphiql: deps.graphiql ? () => ({ title: 'callq', defaultQuery: graphiqlExampleQuery(now()) }) : false,
    landingPage: false,
  });
}
