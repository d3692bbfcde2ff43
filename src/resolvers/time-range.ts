/**
 * Requested time ranges, checked before any upstream call is spent. (Cutting them into upstream calls is the
 * fetch planner's job: src/upstream/fetch-planner.ts.)
 */

/** Why a requested range cannot be served, addressed to the argument the client has to change. */
export interface RangeProblem {
  readonly argument: 'from' | 'to' | 'last';
  readonly message: string;
}

/** The range arguments as a client gave them (DateTimes parsed to ms, `last` in seconds); any may be absent. */
export interface RangeArgs {
  readonly from?: number | null;
  readonly to?: number | null;
  readonly last?: number | null;
}

/** A range to serve, and the start the client asked for when that was clamped into the retention. */
export interface ResolvedRange {
  readonly fromMs: number;
  readonly toMs: number;
  readonly clamped: { readonly argument: 'from' | 'last'; readonly requestedFromMs: number } | null;
}

const SECOND_MS = 1000;
const DAY_MS = 24 * 60 * 60 * SECOND_MS;
/**
 * How far beyond the retention a start may lie and still be served (from the oldest instant servable): a
 * client whose clock runs a little ahead, or that asks for `last: 518400` (exactly 6 days), means "as far back
 * as there is data", not a mistake.
 */
export const RANGE_CLAMP_TOLERANCE_MS = 60 * SECOND_MS;
/**
 * Where a clamped start lands, after the retention's edge: the upstream client keeps its calls a few seconds
 * inside the edge (the time a call takes to arrive, clock skew, the rate limiter's queue), and a start it can no
 * longer reach is refused at the field. Ten seconds leave room for all of that, so a clamped range is served.
 */
export const RANGE_CLAMP_MARGIN_MS = 10 * SECOND_MS;

/**
 * Resolves the arguments into the range to serve at `nowMs`: `from` or `last` (exactly one), `to` defaulting
 * to now, `last: N` the N seconds before `to`. A start at most RANGE_CLAMP_TOLERANCE_MS beyond the retention (or
 * too close to its edge for a call to reach) is moved to the oldest servable instant, and said so in `clamped`;
 * anything else is checked by validateRange, the problem addressed to the argument the client wrote.
 */
export function resolveRange(
  args: RangeArgs,
  nowMs: number,
  retentionMs: number,
): ResolvedRange | RangeProblem {
  const from = args.from ?? null;
  const last = args.last ?? null;
  const toMs = args.to ?? nowMs;
  let requestedFromMs: number;
  if (last !== null) {
    if (from !== null) {
      return {
        argument: 'last',
        message:
          'Give either `from` or `last`, not both: `last: N` asks for the N seconds before `to` (default now), ' +
          '`from` for the range starting at an instant.',
      };
    }
    if (!(last > 0)) {
      return {
        argument: 'last',
        message: `\`last\` (${last}) must be a positive number of seconds, e.g. \`last: 3600\` for an hour.`,
      };
    }
    requestedFromMs = toMs - last * SECOND_MS;
  } else if (from !== null) {
    requestedFromMs = from;
  } else {
    return {
      argument: 'from',
      message:
        'Give `from` (the start instant) or `last` (a number of seconds before `to`, default now), ' +
        'e.g. `last: 3600` for the last hour.',
    };
  }
  const servableFromMs = nowMs - retentionMs + RANGE_CLAMP_MARGIN_MS;
  const clamps =
    requestedFromMs < servableFromMs &&
    requestedFromMs >= nowMs - retentionMs - RANGE_CLAMP_TOLERANCE_MS &&
    toMs > servableFromMs;
  const fromMs = clamps ? servableFromMs : requestedFromMs;
  const problem = validateRange({ fromMs, toMs }, nowMs, retentionMs);
  if (problem && last !== null && problem.argument === 'from') {
    return lastProblem(last, fromMs, nowMs, retentionMs);
  }
  if (problem) return problem;
  return {
    fromMs,
    toMs,
    clamped: clamps ? { argument: last !== null ? 'last' : 'from', requestedFromMs } : null,
  };
}

/**
 * What the answer says of a clamped range (a response warning: `extensions.warnings`), so a client that looks
 * can tell "no data before X" from "not asked before X". Null when the range was served as asked.
 */
export function rangeClampedWarning(range: ResolvedRange) {
  if (!range.clamped) return null;
  const { argument, requestedFromMs } = range.clamped;
  return {
    code: 'RANGE_CLAMPED',
    argument,
    message:
      `The range asked to start at ${iso(requestedFromMs)}, beyond the retention; it is served from ` +
      `${iso(range.fromMs)}, the oldest instant still servable.`,
    from: iso(requestedFromMs),
    servedFrom: iso(range.fromMs),
  } as const;
}

/** A start made of `last` and `to` that validateRange refuses: `last` is what the client wrote, and can fix. */
function lastProblem(lastSeconds: number, fromMs: number, nowMs: number, retentionMs: number): RangeProblem {
  if (fromMs > nowMs) {
    return {
      argument: 'last',
      message:
        `\`last: ${lastSeconds}\` before \`to\` starts at ${iso(fromMs)}, in the future; ask for more seconds or ` +
        `an earlier \`to\` (now is ${iso(nowMs)}).`,
    };
  }
  return {
    argument: 'last',
    message:
      `\`last: ${lastSeconds}\` before \`to\` starts at ${iso(fromMs)}, older than the retention ` +
      `allows; ask for fewer seconds (at most ${retentionMs / SECOND_MS} before now).`,
  };
}

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
        `\`from\` (${iso(fromMs)}) is older than the ${formatDays(retentionMs)} retention; ` +
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
