/**
 * Requested time ranges, checked before any upstream call is spent. (Cutting them into upstream calls is the
 * fetch planner's job: src/upstream/fetch-planner.ts.)
 */

/** Why a requested range cannot be served, addressed to the argument the client has to change. */
export interface RangeProblem {
  readonly argument: 'from' | 'to';
  readonly message: string;
}

const SECOND_MS = 1000;
const DAY_MS = 24 * 60 * 60 * SECOND_MS;

/**
 * Checks a requested range `[fromMs, toMs)` against what the upstream can answer at `nowMs`. Returns the
 * first problem found, or null when the range is servable.
 *
 * `to` may lie in the future: the data simply ends at the present, and a dashboard asking for "the next
 * hour" should get what exists so far rather than an error. `from` may not, because such a range can hold
 * no data at all and is almost always a mistake (a wrong offset or unit). A `from` exactly at the oldest
 * retained instant is allowed; one millisecond earlier is not.
 *
 * Messages are read by people in GraphiQL: each says what is wrong and what would be accepted.
 */
export function validateRange(
  range: { readonly fromMs: number; readonly toMs: number },
  nowMs: number,
  retentionMs: number,
): RangeProblem | null {
  const { fromMs, toMs } = range;
  // A NaN would slip through every comparison below and reach the upstream as "Invalid Date".
  if (!Number.isFinite(fromMs)) return { argument: 'from', message: '`from` is not a valid instant.' };
  if (!Number.isFinite(toMs)) return { argument: 'to', message: '`to` is not a valid instant.' };
  if (fromMs >= toMs) {
    return {
      argument: 'to',
      message:
        `\`to\` must be after \`from\`: the range [from, to) is half-open, so it is empty when they are equal ` +
        `(from ${iso(fromMs)}, to ${iso(toMs)}).`,
    };
  }
  if (fromMs > nowMs) {
    return {
      argument: 'from',
      message: `\`from\` (${iso(fromMs)}) is in the future; it must be at or before now (${iso(nowMs)}).`,
    };
  }
  const oldestMs = nowMs - retentionMs;
  if (fromMs < oldestMs) {
    return {
      argument: 'from',
      message:
        `\`from\` (${iso(fromMs)}) is older than the upstream's ${formatDays(retentionMs)} retention; ` +
        `the oldest instant allowed now is ${iso(oldestMs)}.`,
    };
  }
  return null;
}

/** RFC 3339 in UTC with milliseconds, the same form the API's DateTime outputs. */
function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** "6-day" for the upstream's retention; fractional days stay readable ("0.5-day") for other settings. */
function formatDays(ms: number): string {
  return `${Number((ms / DAY_MS).toFixed(3))}-day`;
}
