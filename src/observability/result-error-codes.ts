/**
 * The `extensions.code`s of a GraphQL response, for metrics labels and log lines. Codes are chosen by the
 * server, yet a label must stay bounded whatever a future plugin or resolver puts there, so anything that
 * does not look like one of our codes is counted as `OTHER`.
 */
import type { Plugin } from 'graphql-yoga';

/** What Yoga's `onResultProcess` hook sees: one result, a batch of them, or a stream. */
export type ProcessedResult = Parameters<NonNullable<Plugin['onResultProcess']>>[0]['result'];

const CODE = /^[A-Z_]{1,40}$/;

/** A bounded label for an error code: the code itself, `NONE` when there is none, else `OTHER`. */
export function clampErrorCode(code: unknown): string {
  if (code === undefined || code === null) return 'NONE';
  return typeof code === 'string' && CODE.test(code) ? code : 'OTHER';
}

/**
 * One clamped code per error of the result (a batch counts every operation's errors). Streamed results are
 * skipped: this schema has no subscriptions or incremental delivery, and reading the stream here would
 * consume it.
 */
export function errorCodesOf(result: ProcessedResult): string[] {
  if (Symbol.asyncIterator in result) return [];
  const results = Array.isArray(result) ? result : [result];
  return results.flatMap((single) =>
    (single.errors ?? []).map((error) => clampErrorCode(error.extensions?.code)),
  );
}
