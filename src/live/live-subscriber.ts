/**
 * One subscription's side of a room's poller: the events not yet read by its client, as an async iterator
 * (what a GraphQL `subscribe` returns). The queue is bounded: a client that reads slower than events come is
 * sent one SubscriptionBacklogError in place of what was waiting, and its subscription ends, so a stalled
 * reader costs at most `maxBacklog` events of memory.
 */
import { SubscriptionBacklogError } from '../errors/live-errors.js';
import type { LiveEvent } from './live-event.js';

/** Running totals over every subscription of a hub, for /metrics. */
export interface LiveTally {
  /** Events handed to their clients. */
  sent: number;
  /** Events thrown away with the backlog of a client dropped for reading too slowly. */
  dropped: number;
}

export interface LiveSubscriberOptions {
  readonly maxBacklog: number;
  readonly tally: LiveTally;
  /** Called once, however the subscription ends (its client left, it was dropped, the hub closed). */
  readonly onEnd: () => void;
}

/** What a client reads: an event, or the error that ends the subscription. */
export type LiveItem = LiveEvent | SubscriptionBacklogError;

export class LiveSubscriber implements AsyncIterableIterator<LiveItem> {
  private readonly queue: LiveItem[] = [];
  private waiting: ((result: IteratorResult<LiveItem>) => void) | null = null;
  private ended = false;

  constructor(private readonly options: LiveSubscriberOptions) {}

  /** Hands `event` to the client, or queues it; past the bound, drops the queue and ends the subscription. */
  push(event: LiveEvent): void {
    if (this.ended) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      this.count('sent', 1);
      resolve({ value: event, done: false });
      return;
    }
    if (this.queue.length < this.options.maxBacklog) {
      this.queue.push(event);
      return;
    }
    // The queue holds only events until this point: the error is the last thing ever queued.
    this.count('dropped', this.queue.length + 1);
    this.queue.length = 0;
    this.queue.push(new SubscriptionBacklogError(this.options.maxBacklog));
    this.end();
  }

  /** Ends the subscription: what is queued is still read, then the iterator is done. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.options.onEnd();
    if (this.waiting) {
      this.waiting({ value: undefined, done: true });
      this.waiting = null;
    }
  }

  next(): Promise<IteratorResult<LiveItem>> {
    const item = this.queue.shift();
    if (item !== undefined) {
      if (!(item instanceof SubscriptionBacklogError)) this.count('sent', 1);
      return Promise.resolve({ value: item, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  /** The client went away (or the stream was cancelled): nothing more is queued for it. */
  return(): Promise<IteratorResult<LiveItem>> {
    this.queue.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  private count(total: keyof LiveTally, events: number): void {
    this.options.tally[total] += events;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<LiveItem> {
    return this;
  }
}
