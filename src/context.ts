/**
 * Request-lifetime state. A new context, with new DataLoaders, is made for every GraphQL request: a loader
 * caches per request and must never serve one client's answers to another.
 */
import { GraphQLError } from 'graphql';
import { AuthenticationError } from './auth/authentication-error.js';
import type { Authenticator } from './auth/authenticator.js';
import type { Principal } from './auth/principal.js';
import type { Logger } from './observability/logger.js';
import { requestLogger } from './observability/request-logging-plugin.js';
import { type CallDetailLoader, createCallDetailLoader } from './upstream/call-detail-loader.js';
import type { CallDetailSource } from './upstream/call-detail-source.js';

export interface GatewayContext {
  readonly callDetailLoader: CallDetailLoader;
  /** One instant per request, so every field of an operation agrees on what "now" and "final" mean. */
  readonly nowMs: number;
  /** Who is asking: decides which AppIds may be read. */
  readonly principal: Principal;
  /** Carries the request id on every line. */
  readonly logger: Logger;
}

export interface ContextDeps {
  readonly callDetailSource: CallDetailSource;
  readonly authenticator: Authenticator;
  readonly now: () => number;
  readonly logger: Logger;
  /** Keys per DataLoader batch, for metrics. */
  readonly onBatch?: (size: number) => void;
}

export function createContextFactory(deps: ContextDeps) {
  return async ({ request }: { request: Request }): Promise<GatewayContext> => {
    let principal: Principal;
    try {
      principal = await deps.authenticator.authenticate(request.headers.get('authorization'));
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      // Thrown from the context factory, the whole request fails before parsing: nothing is executed.
      throw new GraphQLError(error.message, {
        extensions: {
          code: error.code,
          http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
        },
      });
    }
    return {
      callDetailLoader: createCallDetailLoader(deps.callDetailSource, { onBatch: deps.onBatch }),
      nowMs: deps.now(),
      principal,
      logger: requestLogger(request, deps.logger),
    };
  };
}
