/**
 * A callq client in plain `fetch`: one POST per operation, typed by the documents codegen writes to `gql/`.
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
    const response = await fetch(options.url, {
      method: 'POST',
      // JSON bodies need no CSRF header; a browser on another origin sends a preflight, which CORS_ORIGINS
      // (or, on the simulator, a local dev origin) must allow.
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...options.headers,
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
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

/** The GraphQL body, or null when the answer is not one (a proxy's HTML page, say). */
async function readBody(response: Response): Promise<ResponseBody | null> {
  const type = response.headers.get('content-type') ?? '';
  if (!/json/.test(type)) {
    await response.body?.cancel();
    return null;
  }
  return (await response.json()) as ResponseBody;
}
