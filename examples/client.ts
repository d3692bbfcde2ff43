/**
 * A callq client in plain `fetch`: one request per operation, typed by the documents codegen writes to `gql/`:
 * a POST of the text, or, against a gateway that runs `gql/persisted-documents.json` as its trusted documents,
 * a GET of the hash, which browsers and CDNs cache while the answer cannot change.
 * callq answers with three things a dashboard shows differently: `data`, `errors` (each with a stable
 * `extensions.code`; with data, only the fields at their `path` are null) and `extensions.warnings` (the data is
 * right, but the user asked for something they may not have meant).
 */
import type { TypedDocumentString } from './gql/graphql.js';

/** One entry of `errors`, as callq writes it. */
export interface GatewayErrorEntry {
  readonly message: string;
  readonly path?: ReadonlyArray<string | number>;
  /** `code` is what to branch on (the README's "Error codes" table); others depend on the code. */
  readonly extensions?: { readonly code?: string; readonly [detail: string]: unknown };
}

/** One entry of `extensions.warnings`; a client ignores codes it does not know (new ones may come). */
export interface Warning {
  readonly code: string;
  readonly message: string;
  readonly [detail: string]: unknown;
}

/** What the warnings this example reads carry beside `code` and `message`. */
interface WarningDetails {
  /** Metric names no stream of the answer has, with the closest names that exist. */
  UNKNOWN_METRIC: { readonly names: string[]; readonly suggestions: Record<string, string[]> };
  /** The range started beyond the retention (clock skew), so it was served from `servedFrom`. */
  RANGE_CLAMPED: { readonly argument: 'from' | 'last'; readonly from: string; readonly servedFrom: string };
}

export type KnownWarning<C extends keyof WarningDetails> = Warning & { readonly code: C } & WarningDetails[C];

/** The warnings of one kind, typed. */
export function warningsOf<C extends keyof WarningDetails>(
  warnings: readonly Warning[],
  code: C,
): KnownWarning<C>[] {
  return warnings.filter((warning): warning is KnownWarning<C> => warning.code === code);
}

/** An answer that has data; `errors` name the fields that are null for a reason (partial failure). */
export interface Result<TData> {
  readonly data: TData;
  readonly errors: readonly GatewayErrorEntry[];
  readonly warnings: readonly Warning[];
}

/** The operation was refused as a whole (bad argument, CORS, limits, ...): no data to show. */
export class GatewayRequestError extends Error {
  override readonly name = 'GatewayRequestError';

  constructor(
    readonly status: number,
    readonly errors: readonly GatewayErrorEntry[],
  ) {
    super(errors[0]?.message ?? `callq answered HTTP ${status} without a GraphQL result`);
  }

  /** The first error's `extensions.code`, e.g. BAD_USER_INPUT or CORS_ORIGIN_NOT_ALLOWED. */
  get code(): string | undefined {
    return this.errors[0]?.extensions?.code;
  }
}

export interface ClientOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  readonly url: string;
  /** Sent with every request, e.g. `{ authorization: 'Bearer ...' }` when the gateway asks for a key. */
  readonly headers?: Record<string, string>;
  /**
   * The gateway's TRUSTED_DOCUMENTS is this folder's `gql/persisted-documents.json`: send each operation as a GET
   * of its hash (`extensions.persistedQuery.sha256Hash`) instead of its text. Default false: a POST of the text,
   * which any gateway runs unless it requires trusted documents.
   */
  readonly trustedDocuments?: boolean;
}

export type Execute = <TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
) => Promise<Result<TResult>>;

interface ResponseBody {
  data?: unknown;
  errors?: GatewayErrorEntry[];
  extensions?: { warnings?: Warning[] };
}

/** A client bound to one gateway. */
export function createClient(options: ClientOptions): Execute {
  return async <TResult, TVariables>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
  ) => {
    const response = await fetch(
      ...(options.trustedDocuments
        ? getByHash(options, document, variables)
        : post(options, document, variables)),
    );
    const body = await readBody(response);
    // Refusals come as a GraphQL body with an HTTP status (400, 403, 413, ...) or as `data: null`.
    if (body?.data === undefined || body.data === null) {
      throw new GatewayRequestError(response.status, body?.errors ?? []);
    }
    return {
      data: body.data as TResult,
      errors: body.errors ?? [],
      warnings: body.extensions?.warnings ?? [],
    };
  };
}

const ACCEPT = 'application/graphql-response+json, application/json';

type FetchArgs = [url: string, init: RequestInit];

function post(options: ClientOptions, document: { toString(): string }, variables: unknown): FetchArgs {
  // JSON bodies need no CSRF header; a browser on another origin sends a preflight, which CORS_ORIGINS (or, on
  // the simulator, a local dev origin) must allow.
  return [
    options.url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: ACCEPT, ...options.headers },
      body: JSON.stringify({ query: document.toString(), variables }),
    },
  ];
}

function getByHash(
  options: ClientOptions,
  document: { readonly __meta__?: Record<string, unknown> },
  variables: unknown,
): FetchArgs {
  const hash = document.__meta__?.hash;
  if (typeof hash !== 'string') {
    throw new Error(
      "no hash on this document: codegen.ts needs persistedDocuments in the client preset's config",
    );
  }
  const url = new URL(options.url);
  url.searchParams.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
  url.searchParams.set('variables', JSON.stringify(variables));
  // A GET needs the CSRF header, which also makes a browser on another origin send a preflight (CORS_ORIGINS).
  return [url.toString(), { headers: { accept: ACCEPT, 'x-graphql-yoga-csrf': '1', ...options.headers } }];
}

/** The GraphQL body, or null when the answer is not one (a proxy's HTML page, say). */
async function readBody(response: Response): Promise<ResponseBody | null> {
  const type = response.headers.get('content-type') ?? '';
  if (!/json/.test(type)) {
    await response.body?.cancel();
    return null;
  }
  return (await response.json()) as ResponseBody;
}
