/**
 * How many points one operation may still return. The cost limit bounds upstream calls, not output: 40
 * aliases of one cached 20-user hour cost one call and would build a 169 MB answer (1.75 GB of RSS while it is
 * made). Points are what answers are made of (a point of `points { time value }` weighs ~200 bytes while
 * graphql-js completes and serialises it), so every field that returns points spends from one budget per
 * operation, and the first field past it ends the operation's output (see useOutputLimit).
 */

/** Thrown by a field once the operation's points would pass the limit; useOutputLimit answers it once. */
export class OutputLimitError extends Error {
  override readonly name = 'OutputLimitError';
  readonly code = 'OUTPUT_LIMIT_EXCEEDED';

  constructor(readonly limit: number) {
    super(
      `this operation would return more than ${limit} points (LIMIT_MAX_POINTS); ask for fewer users, ` +
        'metrics or aliases, a shorter range, or a coarser `step`',
    );
  }
}

export interface OutputBudget {
  /** Takes `points` from the budget; throws OutputLimitError when they do not fit (and from then on). */
  spend(points: number): void;
  /** Throws OutputLimitError once the budget is spent: fields that lead to points stop early. */
  check(): void;
  readonly exceeded: boolean;
  /** The points the operation may return in all. */
  readonly limit: number;
}

export function createOutputBudget(maxPoints: number): OutputBudget {
  let left = maxPoints;
  let exceeded = false;
  const refuse = () => {
    exceeded = true;
    throw new OutputLimitError(maxPoints);
  };
  return {
    spend(points) {
      if (exceeded || points > left) refuse();
      left -= points;
    },
    check() {
      if (exceeded) refuse();
    },
    get exceeded() {
      return exceeded;
    },
    limit: maxPoints,
  };
}
