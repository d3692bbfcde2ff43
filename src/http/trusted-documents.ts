/**
 * Trusted documents: operations sent by the SHA-256 of their text (`extensions.persistedQuery.sha256Hash`, the
 * APQ shape Yoga's persisted-operations plugin reads) and looked up in the list codegen wrote at build time. A
 * GET then carries a short, stable URL that browsers and CDNs can cache; in `require` mode nothing else runs,
 * so the gateway only ever executes what its own clients were built with.
 *
 * In `allow` mode, an unknown hash is answered PERSISTED_QUERY_NOT_FOUND, the code Apollo's persisted-query
 * link retries on with the text, which then runs. GraphQL over WebSocket does not pass through Yoga's onParams
 * hooks, so websocket.ts asks `documentFor` the same question for every subscription.
 */
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { TrustedDocumentsConfig } from '../config/trusted-documents-config.js';
import type { ClientErrorCode } from '../errors/codes.js';

/** What a request names its operation by: its text, or its hash in `extensions`. */
export interface OperationParams {
  readonly query?: unknown;
  readonly extensions?: unknown;
}

export interface TrustedDocuments {
  /** For Yoga: replaces a listed hash with its document, refuses what the mode does not allow. */
  readonly plugin: Plugin;
  /** The text to run for `params`, or the coded error the HTTP path would answer (for WebSocket subscriptions). */
  documentFor(params: OperationParams): string | GraphQLError;
}

interface ErrorSpec {
  readonly message: string;
  readonly extensions: { readonly code: ClientErrorCode; readonly http: { readonly status: number } };
}

function refusal(code: ClientErrorCode, message: string): ErrorSpec {
  return { message, extensions: { code, http: { status: 400 } } };
}

/** `extensions.persistedQuery.sha256Hash` of version 1, as the plugin's default extractor reads it. */
function sha256HashOf(extensions: unknown): string | null {
  const persisted = (extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | null)
    ?.persistedQuery;
  return persisted?.version === 1 && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : null;
}

export function createTrustedDocuments(config: TrustedDocumentsConfig): TrustedDocuments {
  const required = config.mode === 'require';
  const errors = {
    notFound: refusal(
      'PERSISTED_QUERY_NOT_FOUND',
      required
        ? 'extensions.persistedQuery.sha256Hash names no trusted document of this gateway.'
        : 'extensions.persistedQuery.sha256Hash names no trusted document of this gateway: send the query text.',
    ),
    persistedQueryOnly: refusal(
      'PERSISTED_QUERY_ID_REQUIRED',
      'This gateway runs only its trusted documents: send extensions.persistedQuery ' +
        '{ "version": 1, "sha256Hash": "<hash>" } of a listed document instead of the query text.',
    ),
    keyNotFound: refusal(
      'BAD_REQUEST',
      required
        ? 'Send extensions.persistedQuery { "version": 1, "sha256Hash": "<hash>" } of a trusted document.'
        : 'Send the operation as query text, or as extensions.persistedQuery { "version": 1, "sha256Hash" }.',
    ),
  };
  const plugin = usePersistedOperations({
    getPersistedOperation: (hash) => config.documents.get(hash) ?? null,
    allowArbitraryOperations: !required,
    customErrors: errors,
  }) as Plugin;
  return {
    plugin,
    documentFor(params) {
      if (typeof params.query === 'string' && params.query !== '') {
        return required ? toError(errors.persistedQueryOnly) : params.query;
      }
      const hash = sha256HashOf(params.extensions);
      if (hash === null) return toError(errors.keyNotFound);
      return config.documents.get(hash) ?? toError(errors.notFound);
    },
  };
}

function toError(spec: ErrorSpec): GraphQLError {
  return new GraphQLError(spec.message, { extensions: { code: spec.extensions.code } });
}
