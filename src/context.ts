/**
 * Request-lifetime state. A new context, with new DataLoaders, is made for every GraphQL request: a loader
 * caches per request and must never serve one client's answers to another.
 */
import type { YogaInitialContext } from 'graphql-yoga';
import type { FetchCallDetail } from './upstream/call-detail-fetcher.js';
import { type CallDetailLoader, createCallDetailLoader } from './upstream/call-detail-loader.js';

export interface GatewayContext {
  readonly callDetailLoader: CallDetailLoader;
  /** One instant per request, so every field of an operation agrees on what "now" and "final" mean. */
  readonly nowMs: number;
}

export interface ContextDeps {
  readonly fetchCallDetail: FetchCallDetail;
  readonly now: () => number;
}

export function createContextFactory(deps: ContextDeps) {
  return ({ request }: YogaInitialContext): GatewayContext => ({
    callDetailLoader: createCallDetailLoader(deps.fetchCallDetail, request.signal),
    nowMs: deps.now(),
  });
}
