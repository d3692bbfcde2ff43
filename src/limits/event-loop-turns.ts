/**
 * Turns of the event loop, handed out one per iteration, process-wide.
 *
 * graphql-js completes everything that became ready in one go: when a batch of a thousand users' data arrives
 * at once, all their points are completed in one run of microtasks, and the event loop (health checks, other
 * clients, timers) waits seconds for it. A field that awaits a turn before returning its data lets one user's
 * answer be completed per iteration, with I/O polled in between, and the answers of concurrent operations
 * interleave fairly. An idle process hands out a turn within microseconds.
 */
export type NextTurn = () => Promise<void>;

export function createEventLoopTurns(): NextTurn {
  const waiting: Array<() => void> = [];
  let scheduled = false;
  const release = () => {
    waiting.shift()?.();
    // Queued from inside a check-phase callback, the next immediate runs on the next iteration, after I/O.
    if (waiting.length > 0) setImmediate(release);
    else scheduled = false;
  };
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (!scheduled) {
        scheduled = true;
        setImmediate(release);
      }
    });
}
