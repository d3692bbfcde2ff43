/**
 * The callers waiting for a rate limiter's turns, served round-robin at two levels: across principals, then
 * across each principal's flows (its GraphQL operations). Each principal with a caller waiting gets one turn
 * per round, given to its flows in turn, so a dashboard's one call waits behind about one call of each other
 * busy principal or operation, about one rate window, instead of behind a whole 144-call export (the most the
 * default cost limit admits).
 *
 * Why both levels: by operations alone, a client could take most turns by running many operations at once;
 * by principals alone, one principal's dashboard would queue behind its own export, and without client
 * authentication every request is the same principal, so nothing would change. Every call costs one turn,
 * so deficit round robin would hand out the same turns as plain round robin.
 *
 * The subtle part is maxWaitMs. Every caller may wait the same maxWaitMs, so arrival order is deadline order,
 * and admission plans a newcomer's turn as if it were served after everyone ahead (first come, first served):
 * what the limiter could promise before fairness, it still promises. Plain round robin would break that
 * promise: two exports admitted one after the other would each get half the rate, and both miss their
 * deadlines where the first one alone used to complete. So a flow's turn is taken only while it costs no one
 * their deadline: when serving the flow whose turn it is would push a caller that asked earlier past its
 * deadline (as far as the plan can tell, see grant-plan.ts), the oldest caller is served instead. An export
 * keeps the turns it was promised; dashboards borrow from its slack, and only while there is some.
 */
import { createFlow, type Flow } from '../model/flow.js';

/** The flow of every call that names none (no principal is unnamed). */
export const UNATTRIBUTED = createFlow('');

export interface FairWaiter {
  readonly flow: Flow;
  /** When the caller asked; its deadline is this plus the limiter's maxWaitMs. */
  readonly askedAt: number;
}

/**
 * A ring as a Map: its first key's turn comes next, and `rotate` sends a key to the end. Insertion order is
 * the Map's iteration order, so both are O(1).
 */
function rotate<K, V>(ring: Map<K, V>, key: K, value: V): void {
  ring.delete(key);
  ring.set(key, value);
}

export class FairQueue<W extends FairWaiter> {
  /** Every waiter in arrival order, which is deadline order. */
  readonly #arrivals: W[] = [];
  /** Principals with a waiter, as a ring; each holds its flows as a ring, each flow its waiters, oldest first. */
  readonly #principals = new Map<string, Map<Flow, W[]>>();
  #flowCount = 0;

  get length(): number {
    return this.#arrivals.length;
  }

  /** Flows with a caller waiting. */
  get flowCount(): number {
    return this.#flowCount;
  }

  /** The waiter that asked first: its deadline comes first. */
  oldest(): W | undefined {
    return this.#arrivals[0];
  }

  push(waiter: W): void {
    this.#arrivals.push(waiter);
    let flows = this.#principals.get(waiter.flow.principal);
    if (flows === undefined) {
      flows = new Map();
      this.#principals.set(waiter.flow.principal, flows);
    }
    const own = flows.get(waiter.flow);
    if (own !== undefined) return void own.push(waiter);
    flows.set(waiter.flow, [waiter]);
    this.#flowCount++;
  }

  /**
   * Who to serve now: the head of the flow whose turn it is, unless `inTime(waiter, k)` (whether `waiter`
   * would still be served in time as the k-th next grant, 0 being this one) says that one of the waiters it
   * would pass, each pushed back one grant, would then miss its deadline; the oldest waiter then.
   */
  next(inTime: (waiter: W, k: number) => boolean): W | undefined {
    const [flows] = this.#principals.values();
    const [own] = flows?.values() ?? [];
    const candidate = own?.[0];
    if (candidate === undefined) return undefined;
    const passed = this.#arrivals.indexOf(candidate);
    for (let i = 0; i < passed; i++) {
      if (!inTime(this.#arrivals[i] as W, i + 1)) return this.#arrivals[0];
    }
    return candidate;
  }

  /**
   * Takes `waiter` out of the queue; false when it was not in it. `served`: it got a turn, so its principal,
   * and its flow among the principal's, go to the end of their rings (a refused or aborted caller costs
   * nobody a turn).
   */
  remove(waiter: W, served: boolean): boolean {
    const at = this.#arrivals.indexOf(waiter);
    if (at === -1) return false;
    this.#arrivals.splice(at, 1);
    const { flow } = waiter;
    const flows = this.#principals.get(flow.principal) as Map<Flow, W[]>;
    const own = flows.get(flow) as W[];
    own.splice(own.indexOf(waiter), 1);
    if (own.length === 0) {
      flows.delete(flow);
      this.#flowCount--;
    } else if (served) rotate(flows, flow, own);
    if (flows.size === 0) this.#principals.delete(flow.principal);
    else if (served) rotate(this.#principals, flow.principal, flows);
    return true;
  }
}
