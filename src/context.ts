/**
 * Request-lifetime state. A new context, with new DataLoaders, is made for every GraphQL request: a loader
 * caches per request and must never serve one client's answers to another.
 */
import { type CallDetailLoader, createCallDetailLoader } from './upstream/call-detail-loader.js';
import type { CallDetailSource } from './upstream/call-detail-source.js';

export interface GatewayContext {
  readonly callDetailLoader: CallDetailLoader;
  /** One instant per request, so every field of an operation agrees on what "now" and "final" mean. */
  readonly nowMs: number;
}

export interface ContextDeps {
  readonly callDetailSource: CallDetailSource;
  readonly now: () => number;
}

export function createContextFactory(deps: ContextDeps) {
  return (): GatewayContext => ({
    callDetailLoader: createCallDetailLoader(deps.callDetailSource),
    nowMs: deps.now(),
  });
}
