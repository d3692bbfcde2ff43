/**
 * Every live subscription of the process (process-lifetime, made in gateway.ts): one RoomPoller per (app, room,
 * directions), made by the first subscription and stopped when its last one leaves, and the bound on how many
 * subscriptions one principal may hold open. The upstream identity is the process's own (one upstream per
 * gateway), so it needs no place in the key here; the relays that share polls across replicas key by it.
 */
import { SubscriptionLimitError } from '../errors/live-errors.js';
import type { StreamDirection } from '../model/call-detail.js';
import { getOrInsert } from '../model/get-or-insert.js';
import type { CallDetailSource } from '../slots/call-detail-source.js';
import type { LiveItem, LiveTally } from './live-subscriber.js';
import { type Room, RoomPoller, type RoomRelay, type Tail } from './room-poller.js';

/** Shares rooms' polls with other replicas (redis/live-relay.ts). */
export interface RoomRelays {
  forRoom(room: Room, receive: (tail: Tail) => void): RoomRelay;
}

export interface LiveHubDeps {
  readonly source: CallDetailSource;
  readonly now: () => number;
  readonly settleMs: number;
  readonly pollIntervalMs: number;
  readonly maxSubscriptions: number;
  readonly maxBacklog: number;
  readonly onFailure: (error: unknown) => void;
  /** Absent: every room is polled here, whatever other replicas do. */
  readonly relays?: RoomRelays;
}

export interface LiveRequest {
  /** Whose bound the subscription counts against (a principal's name and kind). */
  readonly principal: string;
  readonly appId: string;
  readonly roomId: string;
  readonly userIds: readonly string[];
  readonly directions: readonly StreamDirection[];
  /** Length of the moving window. */
  readonly windowMs: number;
}

export interface LiveStats {
  readonly subscriptions: number;
  readonly pollers: number;
  /** Totals since the process started. */
  readonly eventsSent: number;
  readonly eventsDropped: number;
}

export interface LiveHub {
  /** Throws SubscriptionLimitError when the principal holds its limit already. */
  subscribe(request: LiveRequest): AsyncIterableIterator<LiveItem>;
  /** Open subscriptions and pollers (rooms polled), and events sent and dropped so far: for metrics and tests. */
  stats(): LiveStats;
  /** Completes every subscription (as at shutdown); later subscriptions are refused by the closed server. */
  close(): void;
}

export function createLiveHub(deps: LiveHubDeps): LiveHub {
  const pollers = new Map<string, RoomPoller>();
  const open = new Map<string, number>();
  let subscriptions = 0;
  const tally: LiveTally = { sent: 0, dropped: 0 };

  return {
    subscribe(request) {
      const held = open.get(request.principal) ?? 0;
      if (held >= deps.maxSubscriptions) throw new SubscriptionLimitError(deps.maxSubscriptions);
      const directions = [...new Set(request.directions)].sort();
      const key = JSON.stringify([request.appId, request.roomId, directions]);
      const poller = getOrInsert(pollers, key, () => {
        const room = { appId: request.appId, roomId: request.roomId, directions };
        const { relays } = deps;
        return new RoomPoller(room, {
          ...deps,
          tally,
          onIdle: () => pollers.delete(key),
          relay: relays ? (receive) => relays.forRoom(room, receive) : undefined,
        });
      });
      open.set(request.principal, held + 1);
      subscriptions += 1;
      return poller.watch(request.userIds, request.windowMs, () => {
        subscriptions -= 1;
        const left = (open.get(request.principal) ?? 1) - 1;
        if (left > 0) open.set(request.principal, left);
        else open.delete(request.principal);
      });
    },
    stats: () => ({
      subscriptions,
      pollers: pollers.size,
      eventsSent: tally.sent,
      eventsDropped: tally.dropped,
    }),
    close() {
      for (const poller of [...pollers.values()]) poller.close();
    },
  };
}
