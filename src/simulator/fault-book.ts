/**
 * The faults a test has injected, consumed in injection order by the calls they match.
 */

/** What a fault's `match` sees of a call. */
export interface FaultTarget {
  readonly appId: string;
  readonly roomId: string;
  readonly userIds: readonly string[];
}

export type FaultKind = 'slow' | 'http500' | 'http429' | 'malformed' | 'truncated' | 'reset';

/** A misbehaviour applied to calls that passed every check (signature, rate limit, parameters). */
export interface Fault {
  kind: FaultKind;
  /** How many matching calls it affects; default: until clearFaults(). */
  times?: number;
  /** For 'slow': delay before the response headers. */
  delayMs?: number;
  /** Which calls it affects; default all. Calls that do not match do not use up `times`. */
  match?: (call: FaultTarget) => boolean;
}

interface ArmedFault {
  readonly fault: Fault;
  /** Calls still to affect; Infinity until cleared. */
  remaining: number;
}

export class FaultBook {
  #armed: ArmedFault[] = [];

  /** Throws a RangeError for a fault that could never behave as asked (a test bug, caught at once). */
  inject(fault: Fault): void {
    if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times >= 1)) {
      throw new RangeError('Fault.times must be an integer >= 1 (or absent: until clearFaults())');
    }
    if (fault.kind === 'slow' && !(fault.delayMs !== undefined && fault.delayMs >= 0)) {
      throw new RangeError("a 'slow' fault needs delayMs >= 0");
    }
    this.#armed.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.#armed = [];
  }

  /** The first armed fault matching the call, counted down; one call suffers one fault at most. */
  take(target: FaultTarget): Fault | null {
    const armed = this.#armed.find(({ fault }) => fault.match === undefined || fault.match(target));
    if (armed === undefined) return null;
    armed.remaining -= 1;
    if (armed.remaining <= 0) this.#armed = this.#armed.filter((entry) => entry !== armed);
    return armed.fault;
  }
}
