/**
 * Turns of the event loop, handed out one per iteration, process-wide.
 *
 * graphql-js completes everything that became ready in one go: when a batch of a thousand users' data arrives
 * at once, all their points are completed in one run of microtasks, and the event loop (health checks, other
 * clients, timers) waits seconds for it. A field that awaits a turn before returning its data lets one user's
 * answer be completed per iteration, with I/O polled in between. An idle process hands out a turn within
 * microseconds.
 *
 * Turns go to operations in the order they first asked, and an operation keeps them until it has none left to
 * ask for, so its answer never waits on the users of operations that came after it: handed out round-robin,
 * every concurrent operation would finish only when all of them do.
 */
export type NextTurn = () => Promise<void>;

export interface EventLoopTurns {
  /** The turns of one operation: call once per operation, in its request context. */
  forOperation(): NextTurn;
}

export function createEventLoopTurns(): EventLoopTurns {
  /** Waiting turns per operation, in the order the operations first asked (a Map keeps insertion order). */
  const waiting = new Map<number, Array<() => void>>();
  let operations = 0;
  let scheduled = false;
  const release = () => {
    const [first] = waiting;
    if (first !== undefined) {
      const [operation, turns] = first;
      turns.shift()?.();
      if (turns.length === 0) waiting.delete(operation);
    }
    // Queued from inside a check-phase callback, the next immediate runs on the next iteration, after I/O.
    if (waiting.size > 0) setImmediate(release);
    else scheduled = false;
  };
  return {
    forOperation() {
      operations += 1;
      const operation = operations;
      return () =>
        new Promise<void>((resolve) => {
          const turns = waiting.get(operation);
          if (turns === undefined) waiting.set(operation, [resolve]);
          else turns.push(resolve);
          if (!scheduled) {
            scheduled = true;
            setImmediate(release);
          }
        });
    },
  };
}
