/**
 * GraphQL over WebSocket (the `graphql-ws` protocol) on the gateway's HTTP server, at the GraphQL endpoint:
 * the same Yoga instance, plugins and schema as HTTP (parse and validate limits, cost limit, client errors), so
 * a subscription behaves the same over either transport.
 *
 * What HTTP requests get from Yoga's HTTP hooks is done here per connection instead: the credential (the
 * upgrade's `Authorization` header, or `authorization` in the connection parameters, which is all a browser's
 * WebSocket can send) is checked once, when the connection is initialised, and a refused one is closed with
 * 4403; a browser page from an origin CORS_ORIGINS does not allow is refused at the upgrade, since a WebSocket
 * is not subject to CORS and would otherwise let any page read the data of a gateway without authentication.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { RequestPrincipal } from '../auth/request-principal.js';
import { AuthenticationError } from '../errors/authentication-error.js';
import { type CorsPolicy, originCheck } from './cors-plugin.js';
import type { TrustedDocuments } from './trusted-documents.js';

// biome-ignore lint/suspicious/noExplicitAny: the app's context types are its own; only getEnveloped is used.
type App = YogaServerInstance<any, any>;

/** What executes an operation: the enveloped functions of its own request, carried in the root value. */
interface EnvelopedRoot {
  readonly execute: (args: ExecutionArgs) => unknown;
  readonly subscribe: (args: ExecutionArgs) => unknown;
}

export interface WebSocketEndpoint {
  /** Closes every connection (1001, going away) once their subscriptions have completed. */
  close(): Promise<void>;
}

export interface WebSocketOptions {
  readonly principalOf: RequestPrincipal;
  readonly cors: CorsPolicy;
  /** Largest message accepted, as for HTTP bodies (LIMIT_MAX_BODY_BYTES). */
  readonly maxPayloadBytes: number;
  /** Null: subscriptions are sent as text, any of them. */
  readonly trustedDocuments: TrustedDocuments | null;
}

/** The Request the context factory and the authenticator read: the upgrade's credential and request id. */
function requestOf(upgrade: IncomingMessage, params: Readonly<Record<string, unknown>> | undefined): Request {
  const headers = new Headers();
  const authorization = params?.authorization ?? upgrade.headers.authorization;
  if (typeof authorization === 'string') headers.set('authorization', authorization);
  const requestId = upgrade.headers['x-request-id'];
  if (typeof requestId === 'string') headers.set('x-request-id', requestId);
  return new Request(`http://${upgrade.headers.host ?? 'localhost'}${upgrade.url ?? '/'}`, { headers });
}

export function serveWebSocket(server: Server, app: App, options: WebSocketOptions): WebSocketEndpoint {
  const allows = originCheck(options.cors);
  const wsServer = new WebSocketServer({
    server,
    path: app.graphqlEndpoint,
    maxPayload: options.maxPayloadBytes,
    verifyClient: ({ origin, req }: { origin?: string; req: IncomingMessage }) => {
      if (origin === undefined || req.headers['sec-fetch-site'] === 'same-origin') return true;
      const host = req.headers.host;
      return origin === `http://${host}` || origin === `https://${host}` || allows(origin);
    },
  });
  const requests = new WeakMap<object, Request>();
  const disposable = useServer<Record<string, unknown>>(
    {
      onConnect: async (ctx) => {
        const request = requestOf(ctx.extra.request, ctx.connectionParams);
        try {
          await options.principalOf(request);
        } catch (error) {
          if (!(error instanceof AuthenticationError)) throw error;
          ctx.extra.socket.close(CloseCode.Forbidden, error.message.slice(0, 120));
          return false;
        }
        requests.set(ctx.extra.socket, request);
        return true;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const request = requests.get(ctx.extra.socket);
        // Yoga's onParams hooks, where HTTP requests meet the list, do not run for WebSocket messages.
        const query = options.trustedDocuments
          ? options.trustedDocuments.documentFor(payload)
          : payload.query;
        if (typeof query !== 'string') return [query];
        const params = { ...payload, query };
        const enveloped = app.getEnveloped({ request, params });
        const document = enveloped.parse(query);
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        const root: EnvelopedRoot = { execute: enveloped.execute, subscribe: enveloped.subscribe };
        return {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: root,
        };
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
    },
    wsServer,
  );
  let closed: Promise<void> | null = null;
  const close = async () => {
    // A turn for the Complete messages of subscriptions that just ended to be written before the sockets close.
    await new Promise((resolve) => setImmediate(resolve));
    await disposable.dispose();
  };
  return {
    close: () => {
      closed ??= close();
      return closed;
    },
  };
}
