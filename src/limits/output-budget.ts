/**
 * How many points one operation may still return. The cost limit bounds upstream calls, not output: 40
 * aliases of one cached 20-user hour cost one call and would build a 169 MB answer (1.75 GB of RSS while it is
 * made). Points are what answers are made of (a point of `points { time value }` weighs ~200 bytes while
 * graphql-js completes and serialises it), so every field that returns points spends from one budget per
 * operation, and the first field past it ends the operation's output (see useOutputLimit).
 */
import { OutputLimitError } from '../errors/output-limit-error.js';

export interface OutputBudget {
  /** Takes `points` from the budget; throws OutputLimitError when they do not fit (and from then on). */
  spend(points: number): void;
  /** Throws OutputLimitError once the budget is spent: fields that lead to points stop early. */
  check(): void;
  readonly exceeded: boolean;
  /** The points the operation may return in all. */
  readonly limit: number;
  /** Starts over with the whole budget: each event of a subscription is an answer of its own. */
  renew(): void;
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
    renew() {
      left = maxPoints;
      exceeded = false;
    },
  };
}
