/**
 * The callers waiting for a rate limiter's turns, served round-robin across flows (GraphQL operations): each
 * flow with a caller waiting gets one turn per round, so a dashboard's one call waits behind one call of each
 * other busy operation, about one rate window, instead of behind a whole 145-call export.
 *
 * Why operations and not principals: without client authentication every request is the same principal, and
 * one principal often runs a dashboard and an export at once, whose dashboard must not queue behind its own
 * export. Every call costs one turn, so deficit round robin would hand out the same turns as plain round robin.
 *
 * The subtle part is maxWaitMs. Every caller may wait the same maxWaitMs, so arrival order is deadline order,
 * and admission plans a newcomer's turn as if it were served after everyone ahead (first come, first served):
 * what the limiter could promise before fairness, it still promises. Plain round robin would break that
 * promise: two exports admitted one after the other would each get half the rate, and both miss their
 * deadlines where the first one alone used to complete. So a flow's turn is taken only while it costs no one
 * their deadline: when serving the flow whose turn it is would push a caller that asked earlier past its
 * deadline (as far as the plan can tell), the oldest caller is served instead. An export keeps the turns it
 * was promised; dashboards borrow from its slack, and only while there is some.
 */
import type { Flow } from '../model/flow.js';

export interface FairWaiter {
  readonly flow: Flow;
  /** When the caller asked; its deadline is this plus the limiter's maxWaitMs. */
  readonly askedAt: number;
}

export class FairQueue<W extends FairWaiter> {
  /** Every waiter in arrival order, which is deadline order. */
  readonly #arrivals: W[] = [];
  /** Each flow's waiters in arrival order; the Map's order is the ring: its first flow's turn comes next. */
  readonly #flows = new Map<Flow, W[]>();

  get length(): number {
    return this.#arrivals.length;
  }

  /** Flows with a caller waiting. */
  get flowCount(): number {
    return this.#flows.size;
  }

  /** The waiter that asked first: its deadline comes first. */
  oldest(): W | undefined {
    return this.#arrivals[0];
  }

  /** Every waiter, oldest first. */
  arrivals(): readonly W[] {
    return this.#arrivals;
  }

  push(waiter: W): void {
    this.#arrivals.push(waiter);
    const own = this.#flows.get(waiter.flow);
    if (own === undefined) this.#flows.set(waiter.flow, [waiter]);
    else own.push(waiter);
  }

  /**
   * Who to serve now: the head of the flow whose turn it is, unless `inTime(waiter, k)` (whether `waiter`
   * would still be served in time as the k-th next grant, 0 being this one) says that one of the waiters it
   * would pass, each pushed back one grant, would then miss its deadline; the oldest waiter then.
   */
  next(inTime: (waiter: W, k: number) => boolean): W | undefined {
    const [turn] = this.#flows.values();
    const candidate = turn?.[0];
    if (candidate === undefined) return undefined;
    const passed = this.#arrivals.indexOf(candidate);
    for (let i = 0; i < passed; i++) {
      if (!inTime(this.#arrivals[i] as W, i + 1)) return this.#arrivals[0];
    }
    return candidate;
  }

  /**
   * Takes `waiter` out of the queue; false when it was not in it. `served`: it got a turn, so its flow, if it
   * still has callers waiting, goes to the end of the ring (a refused or aborted caller costs its flow nothing).
   */
  remove(waiter: W, served: boolean): boolean {
    const at = this.#arrivals.indexOf(waiter);
    if (at === -1) return false;
    this.#arrivals.splice(at, 1);
    const own = this.#flows.get(waiter.flow) as W[];
    own.splice(own.indexOf(waiter), 1);
    if (own.length === 0 || served) this.#flows.delete(waiter.flow);
    if (own.length > 0 && served) this.#flows.set(waiter.flow, own);
    return true;
  }
}
