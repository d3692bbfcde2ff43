/**
 * Serves the Prometheus exposition and records what only the GraphQL layer sees: how long operations take to
 * execute and which error codes responses carry.
 */
import { getOperationAST } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayMetrics } from './metrics.js';
import { errorCodesOf } from './result-error-codes.js';

export interface MetricsPluginOptions {
  /** Path of the exposition; default `/metrics`. */
  readonly endpoint?: string;
}

export function useMetrics(metrics: GatewayMetrics, options: MetricsPluginOptions = {}): Plugin {
  const endpoint = options.endpoint ?? '/metrics';
  const { registry } = metrics;
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== endpoint) return;
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        endResponse(new fetchAPI.Response(null, { status: 405, headers: { allow: 'GET, HEAD' } }));
        return;
      }
      const text = await registry.metrics();
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : text, {
          status: 200,
          // Prometheus picks the parser from this header; no caching, every scrape must see fresh values.
          headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
        }),
      );
    },
    onExecute({ args }) {
      const startedAt = performance.now();
      // Execution only starts for a valid document, so the operation exists; `query` is a safe fallback.
      const type = getOperationAST(args.document, args.operationName)?.operation ?? 'query';
      return {
        onExecuteDone() {
          metrics.graphqlOperation(type, (performance.now() - startedAt) / 1000);
        },
      };
    },
    // Every response passes here, also those that never executed (parse, validation, context errors), so
    // this is where errors are counted, once each.
    onResultProcess({ result }) {
      for (const code of errorCodesOf(result)) metrics.graphqlError(code);
    },
  };
}
