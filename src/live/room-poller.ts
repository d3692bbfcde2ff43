/**
 * One room's poller: every subscription of the same (app, room, directions) reads from it, so the upstream is
 * asked for the room's moving tail once per interval, for the union of the subscribed users (the source batches
 * them by 20 into calls), however many subscribe.
 *
 * The subtle part is sending each point exactly once. A poll asks for `[tailFromMs, now)`, where `tailFromMs`
 * is the previous poll's instant minus the settle time: anything older can no longer change, and was in the
 * previous poll's answer. Per series, the marks (point-marks.ts) hold the latest point sent, so a poll sends
 * what lies beyond them. A subscription joining between polls gets its whole window at once, cut to what
 * every other subscriber already has (before the tail, or up to the marks); the rest comes with the next poll.
 * Joins and polls take turns (`work`), so a window is never cut against marks a poll is moving.
 */
import type { StreamDetail, StreamDirection } from '../model/call-detail.js';
import { getOrInsert } from '../model/get-or-insert.js';
import { assembleStreams } from '../resolvers/call-quality.js';
import type { CallDetailSource } from '../slots/call-detail-source.js';
import type { LiveEvent } from './live-event.js';
import { LiveSubscriber, type LiveTally } from './live-subscriber.js';
import { deliveredPoints, type PointMarks, pointsFrom, takeNewPoints } from './point-marks.js';

function clipped(
  streams: ReadonlyMap<string, readonly StreamDetail[]>,
  fromMs: number,
): Map<string, readonly StreamDetail[]> {
  return new Map([...streams].map(([userId, points]) => [userId, pointsFrom(points, fromMs)]));
}

export interface Room {
  readonly appId: string;
  readonly roomId: string;
  /** Distinct, sorted: subscriptions asking for the same directions share the poller. */
  readonly directions: readonly StreamDirection[];
}

/** One read of a room's moving tail: what a poll found, to apply here and to publish to other replicas. */
export interface Tail {
  /** The range read: [fromMs, toMs). */
  readonly fromMs: number;
  readonly toMs: number;
  /** Where the next read starts: the end minus the settle time, or `fromMs` again when a user's fetch failed. */
  readonly nextFromMs: number;
  /** The streams of every user whose fetch succeeded. */
  readonly users: ReadonlyMap<string, readonly StreamDetail[]>;
}

/**
 * How a room's pollers on several replicas share one upstream poll (see redis/live-relay.ts): before each poll,
 * `turn` says whether this replica polls, and for which users (every replica's); the one that does publishes
 * its tail, which the others receive and apply as if they had read it.
 */
export interface RoomRelay {
  /** Shares this replica's users; resolves to the users to poll for, or null when another replica polls. */
  turn(localUserIds: readonly string[]): Promise<readonly string[] | null>;
  publish(tail: Tail): void;
  close(): void;
}

export interface RoomPollerDeps {
  readonly source: CallDetailSource;
  readonly now: () => number;
  /** Upstream latency plus margin: data older than this can no longer change. */
  readonly settleMs: number;
  readonly pollIntervalMs: number;
  readonly maxBacklog: number;
  /** Where every subscription counts the events it sent and dropped. */
  readonly tally: LiveTally;
  /** A poll or a join that failed as a whole (a user's failed fetch is not: it is that user's error). */
  readonly onFailure: (error: unknown) => void;
  /** The last subscription left: the poller has stopped, and may be forgotten. */
  readonly onIdle: () => void;
  /** Across replicas; absent, this replica polls alone. Given what to do with a tail another replica read. */
  readonly relay?: (receive: (tail: Tail) => void) => RoomRelay;
}

interface Watch {
  /** Watches of one key get the very same event objects, so their execution can be shared. */
  readonly key: string;
  readonly userIds: readonly string[];
  readonly windowMs: number;
  readonly subscriber: LiveSubscriber;
  /** Its users count in `users` once its first event is made. */
  joined: boolean;
}

export class RoomPoller {
  private readonly watches = new Set<Watch>();
  /** How many joined subscriptions watch each user: the users polled. */
  private readonly users = new Map<string, number>();
  private readonly marks = new Map<string, PointMarks>();
  private tailFromMs: number;
  private work: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly relay: RoomRelay | undefined;
  /**
   * The last first window made, until a tail moves the marks: a crowd of dashboards opening the same view
   * between two polls is one load (and, with the tail's cache expired, one upstream call), not one each.
   */
  private lastWindow: { readonly key: string; readonly event: LiveEvent } | null = null;

  constructor(
    private readonly room: Room,
    private readonly deps: RoomPollerDeps,
  ) {
    this.tailFromMs = deps.now() - deps.settleMs;
    this.relay = deps.relay?.((tail) => this.enqueue(async () => this.apply(tail)));
    this.timer = setInterval(() => this.enqueue(() => this.poll()), deps.pollIntervalMs);
    // Subscriptions keep the process serving, not the timer: shutdown ends them, which stops it.
    this.timer.unref();
  }

  /** A subscription to `userIds` over a moving window of `windowMs`; its first event is the whole window. */
  watch(userIds: readonly string[], windowMs: number, onEnd: () => void): LiveSubscriber {
    const watch: Watch = {
      key: JSON.stringify([windowMs, userIds]),
      userIds,
      windowMs,
      joined: false,
      subscriber: new LiveSubscriber({
        maxBacklog: this.deps.maxBacklog,
        tally: this.deps.tally,
        onEnd: () => {
          this.unwatch(watch);
          onEnd();
        },
      }),
    };
    this.watches.add(watch);
    this.enqueue(() => this.join(watch));
    return watch.subscriber;
  }

  /** Ends every subscription (their clients see the stream complete) and stops polling. */
  close(): void {
    for (const watch of [...this.watches]) watch.subscriber.end();
  }

  private enqueue(task: () => Promise<void>): void {
    this.work = this.work.then(task).catch(this.deps.onFailure);
  }

  private unwatch(watch: Watch): void {
    if (!this.watches.delete(watch)) return;
    if (watch.joined) {
      for (const userId of new Set(watch.userIds)) {
        const count = (this.users.get(userId) ?? 1) - 1;
        if (count > 0) {
          this.users.set(userId, count);
        } else {
          this.users.delete(userId);
          this.marks.delete(userId);
        }
      }
    }
    if (this.watches.size === 0) {
      clearInterval(this.timer);
      this.relay?.close();
      this.deps.onIdle();
    }
  }

  /** Each user's streams over [fromMs, toMs), or the Error of its fetch. */
  private async load(userIds: readonly string[], fromMs: number, toMs: number) {
    const { appId, roomId, directions } = this.room;
    const requests = userIds.map((userId) => ({ appId, roomId, userId, fromMs, toMs, directions }));
    const results = await this.deps.source.load(requests);
    const streams = new Map<string, readonly StreamDetail[] | Error>();
    userIds.forEach((userId, index) => {
      const parts = results[index] as Exclude<(typeof results)[number], undefined>;
      streams.set(userId, parts instanceof Error ? parts : assembleStreams(parts, fromMs, toMs));
    });
    return streams;
  }

  private async join(watch: Watch): Promise<void> {
    if (!this.watches.has(watch)) return;
    const { key } = watch;
    const reused = this.lastWindow;
    // Only while every user is still watched: a user's marks go with its last subscription.
    if (reused?.key === key && watch.userIds.every((userId) => this.users.has(userId))) {
      for (const userId of new Set(watch.userIds)) this.users.set(userId, (this.users.get(userId) ?? 0) + 1);
      watch.joined = true;
      watch.subscriber.push(reused.event);
      return;
    }
    const nowMs = this.deps.now();
    const fromMs = nowMs - watch.windowMs;
    const userIds = [...new Set(watch.userIds)];
    // From the tail's start too, when the window is shorter: the marks of a user nobody watched yet must cover
    // all that the next poll reads, or it would send points the window never held as new.
    const loaded = await this.load(userIds, Math.min(fromMs, this.tailFromMs), nowMs);
    if (!this.watches.has(watch)) return;
    for (const userId of userIds) {
      const streams = loaded.get(userId);
      if (streams === undefined || streams instanceof Error) continue;
      const marks = this.marks.get(userId);
      if (marks === undefined) {
        // Nobody else watches this user: its whole window is sent, and marks where the next poll takes over.
        const fresh: PointMarks = new Map();
        takeNewPoints(streams, fresh);
        this.marks.set(userId, fresh);
        loaded.set(userId, pointsFrom(streams, fromMs));
      } else {
        loaded.set(userId, pointsFrom(deliveredPoints(streams, marks, this.tailFromMs), fromMs));
      }
    }
    for (const userId of userIds) this.users.set(userId, (this.users.get(userId) ?? 0) + 1);
    watch.joined = true;
    // Its users' marks now hold all of it, so the same window cut again would come out the same.
    const event = this.event(watch, true, fromMs, nowMs, loaded);
    this.lastWindow = { key, event };
    watch.subscriber.push(event);
  }

  private async poll(): Promise<void> {
    if (this.users.size === 0) return;
    let userIds: readonly string[] = [...this.users.keys()];
    if (this.relay) {
      const leading = await this.relay.turn(userIds);
      if (leading === null) return;
      userIds = leading;
    }
    const nowMs = this.deps.now();
    const fromMs = this.tailFromMs;
    const loaded = await this.load(userIds, fromMs, nowMs);
    const users = new Map<string, readonly StreamDetail[]>();
    for (const [userId, streams] of loaded) if (!(streams instanceof Error)) users.set(userId, streams);
    // The tail is not moved past what a failed user still lacks: the next poll asks for it again.
    const complete = users.size === loaded.size;
    const nextFromMs = complete ? Math.max(fromMs, nowMs - this.deps.settleMs) : fromMs;
    const tail: Tail = { fromMs, toMs: nowMs, nextFromMs, users };
    this.relay?.publish(tail);
    this.apply(tail);
  }

  /** Sends each subscription the points of `tail` it has not had yet. */
  private apply(tail: Tail): void {
    const { fromMs, toMs: nowMs } = tail;
    this.tailFromMs = Math.max(this.tailFromMs, tail.nextFromMs);
    let anyNew = false;
    const fresh = new Map<string, readonly StreamDetail[]>();
    for (const [userId, streams] of tail.users) {
      // A user that left while the poll was out (or that another replica's subscribers watch) has no marks here.
      if (!this.users.has(userId)) continue;
      const points = takeNewPoints(
        streams,
        getOrInsert(this.marks, userId, () => new Map()),
      );
      if (points.length > 0) anyNew = true;
      fresh.set(userId, points);
    }
    if (!anyNew) return;
    this.lastWindow = null;
    // A window shorter than the tail gets only what lies inside it; computed once per window length.
    const byWindow = new Map<number, ReadonlyMap<string, readonly StreamDetail[]>>();
    const events = new Map<string, LiveEvent | null>();
    for (const watch of this.watches) {
      if (!watch.joined) continue;
      const made = events.get(watch.key);
      if (made !== undefined) {
        if (made) watch.subscriber.push(made);
        continue;
      }
      const windowFromMs = nowMs - watch.windowMs;
      const points =
        windowFromMs <= fromMs
          ? fresh
          : getOrInsert(byWindow, watch.windowMs, () => clipped(fresh, windowFromMs));
      if (!watch.userIds.some((userId) => (points.get(userId)?.length ?? 0) > 0)) {
        events.set(watch.key, null);
        continue;
      }
      const event = this.event(watch, false, Math.max(fromMs, windowFromMs), nowMs, points);
      events.set(watch.key, event);
      watch.subscriber.push(event);
    }
  }

  private event(
    watch: Watch,
    initial: boolean,
    fromMs: number,
    toMs: number,
    streams: ReadonlyMap<string, readonly StreamDetail[] | Error>,
  ): LiveEvent {
    const { appId, roomId, directions } = this.room;
    return {
      initial,
      fromMs,
      toMs,
      windowFromMs: toMs - watch.windowMs,
      users: watch.userIds.map((userId) => ({
        appId,
        roomId,
        userId,
        directions,
        streams: streams.get(userId) ?? [],
      })),
    };
  }
}
