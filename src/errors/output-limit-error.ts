import type { ClientErrorCode } from './codes.js';

/** Thrown by a field once the operation's points would pass the limit (output-budget.ts); answered once. */
export class OutputLimitError extends Error {
  override readonly name = 'OutputLimitError';
  readonly code = 'OUTPUT_LIMIT_EXCEEDED' satisfies ClientErrorCode;

  constructor(readonly limit: number) {
    super(
      `this operation would return more than ${limit} points (LIMIT_MAX_POINTS); ask for fewer users, ` +
        'metrics or aliases, a shorter range, or a coarser `step`',
    );
  }
}
