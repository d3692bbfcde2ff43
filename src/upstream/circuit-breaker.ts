/**
 * A circuit breaker around the upstream fetch (Nygard, "Release It!"; the closed / open / half-open machine of
 * opossum and resilience4j). While the upstream keeps failing, every further call would spend a rate-limit
 * slot, a socket and the client's patience (timeouts times retries) only to fail the same way; failing at once
 * for a while spares all three and leaves the upstream room to recover.
 *
 * It wraps the fetcher, retries included, so one failure here is one call that failed for good. It sits behind
 * the window cache (the source looks there before it fetches), so cached data is still served while it is open.
 */
import type { FetchCallDetail } from './call-detail-fetcher.js';
import {
  INVALID_RESPONSE,
  RateLimitedError,
  UpstreamResponseError,
  UpstreamUnavailableError,
} from './upstream-error.js';

/**
 * `closed`: calls go through. `open`: calls fail at once. `half-open`: the open period is over and one trial call
 * may go through; its outcome closes or re-opens the circuit. Listed, for the metric that reports every state.
 */
export const CIRCUIT_STATES = ['closed', 'open', 'half-open'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

export interface CircuitBreakerOptions {
  /** Consecutive failed calls that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit fails fast before one trial call may go through. */
  openMs: number;
  now?: () => number;
  /** Called on every transition, for logs and metrics; must not throw. */
  onStateChange?: (state: CircuitState, previous: CircuitState) => void;
}

export interface CircuitBreaker {
  /** `fetch` behind this breaker; every fetch wrapped by one breaker shares its state. */
  wrap(fetch: FetchCallDetail): FetchCallDetail;
  /**
   * The state now. The move from `open` to `half-open` happens when the open period is over and someone looks
   * (this getter or a call), so an idle gateway reads `half-open` without a timer.
   */
  readonly state: CircuitState;
}

/** A call refused by an open circuit: the upstream was not called and no rate-limit slot was used. */
export class CircuitOpenError extends UpstreamUnavailableError {
  override readonly name = 'CircuitOpenError';
  /**
   * @param retryAfterMs how long until the circuit lets a trial call through; 0 when the open period is over
   * and a trial call is already under way (its outcome decides what the next call meets).
   */
  constructor(readonly retryAfterMs: number) {
    super(
      retryAfterMs > 0
        ? `the upstream is failing: calls to it are paused for another ${retryAfterMs} ms`
        : 'the upstream is failing: calls to it are paused while one trial call checks whether it recovered',
    );
  }
}

/** What a settled call says about the upstream's health. */
type Verdict = 'alive' | 'failing' | 'unknown';

/**
 * Failures of the upstream count: a retryable answer (5xx, 429), none at all, or a body that is not the API's
 * (a proxy's HTML page, a cut-off body: retrying the call at once would not help, but whatever answers is not
 * serving the API). An answer in the API's own terms that refuses the call (a bad parameter) shows the upstream
 * is there. Our own limiter's refusals and the caller's aborts say nothing about the upstream.
 */
function verdictOf(error: unknown, signal: AbortSignal | undefined): Verdict {
  if (signal?.aborted || error instanceof RateLimitedError) return 'unknown';
  if (error instanceof UpstreamUnavailableError) return 'failing';
  if (error instanceof UpstreamResponseError) {
    return error.retryable || error.upstreamCode === INVALID_RESPONSE ? 'failing' : 'alive';
  }
  return 'unknown';
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const { failureThreshold, openMs, now = Date.now, onStateChange } = options;
  if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
    throw new RangeError('failureThreshold must be an integer >= 1');
  }
  if (!(openMs >= 0)) throw new RangeError('openMs must be >= 0');

  let state: CircuitState = 'closed';
  let consecutiveFailures = 0;
  let openUntil = 0;
  let trialInFlight = false;
  /**
   * Bumped on every transition. A call counts only if the state it started under is still current: a call
   * that began before the circuit opened must not close it by succeeding late, nor extend it by failing late.
   * In `half-open` the trial is the only call that runs, so its verdict is the only one that counts there.
   */
  let generation = 0;

  function moveTo(next: CircuitState) {
    const previous = state;
    state = next;
    generation++;
    consecutiveFailures = 0;
    trialInFlight = false;
    if (next === 'open') openUntil = now() + openMs;
    onStateChange?.(next, previous);
  }

  function current(): CircuitState {
    if (state === 'open' && now() >= openUntil) moveTo('half-open');
    return state;
  }

  /** Lets a call through (returning the generation it runs under) or throws CircuitOpenError. */
  function admit(): number {
    const at = current();
    if (at === 'open') throw new CircuitOpenError(openUntil - now());
    if (at === 'half-open') {
      if (trialInFlight) throw new CircuitOpenError(0);
      trialInFlight = true;
    }
    return generation;
  }

  function settle(startedIn: number, verdict: Verdict) {
    if (startedIn !== generation) return;
    if (state === 'half-open') {
      if (verdict === 'alive') moveTo('closed');
      else if (verdict === 'failing') moveTo('open');
      // The trial told us nothing (refused by our limiter, aborted): the next call tries instead.
      else trialInFlight = false;
      return;
    }
    if (verdict === 'alive') consecutiveFailures = 0;
    else if (verdict === 'failing' && ++consecutiveFailures >= failureThreshold) moveTo('open');
  }

  return {
    wrap(fetch) {
      return async (query, signal, flow) => {
        const startedIn = admit();
        try {
          const result = await fetch(query, signal, flow);
          settle(startedIn, 'alive');
          return result;
        } catch (error) {
          settle(startedIn, verdictOf(error, signal));
          throw error;
        }
      };
    },
    get state() {
      return current();
    },
  };
}
