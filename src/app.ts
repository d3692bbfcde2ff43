/**
 * Builds the Yoga instance; never listens (server.ts does), so tests build the whole gateway without a port.
 */
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import { useClientErrors } from './client-error-plugin.js';
import { createContextFactory } from './context.js';
import { graphiqlExampleQuery } from './graphiql-example.js';
import { schema } from './schema/index.js';
import type { FetchCallDetail } from './upstream/call-detail-fetcher.js';

export interface AppDeps {
  /** One upstream call (rate-limited and retried by the caller's composition). */
  readonly fetchCallDetail: FetchCallDetail;
  readonly graphiql: boolean;
  readonly now?: () => number;
}

export function createApp(deps: AppDeps) {
  const now = deps.now ?? Date.now;
  return createYoga({
    schema,
    context: createContextFactory({ fetchCallDetail: deps.fetchCallDetail, now }),
    // Masking stays on (Yoga's default) in every environment; only errors translated by useClientErrors show.
    plugins: [useClientErrors()],
    // GraphiQL's assets come from the @graphql-yoga/render-graphiql package, not a CDN: the page must work on
    // machines without internet access.
    renderGraphiQL,
    graphiql: deps.graphiql ? () => ({ title: 'callq', defaultQuery: graphiqlExampleQuery(now()) }) : false,
    landingPage: false,
  });
}

export type App = ReturnType<typeof createApp>;
