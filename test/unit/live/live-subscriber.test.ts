import { describe, expect, it } from 'vitest';
import { SubscriptionBacklogError } from '../../../src/errors/live-errors.js';
import type { LiveEvent } from '../../../src/live/live-event.js';
import { LiveSubscriber } from '../../../src/live/live-subscriber.js';

function event(fromMs: number): LiveEvent {
  return { initial: false, fromMs, toMs: fromMs + 1, windowFromMs: 0, users: [] };
}

describe('LiveSubscriber', () => {
  it('hands events to a waiting reader, and queues them for one that reads later', async () => {
    const subscriber = new LiveSubscriber({ maxBacklog: 2, tally: { sent: 0, dropped: 0 }, onEnd: () => {} });
    const waiting = subscriber.next();
    subscriber.push(event(1));
    subscriber.push(event(2));
    subscriber.push(event(3));
    await expect(waiting).resolves.toEqual({ value: event(1), done: false });
    await expect(subscriber.next()).resolves.toEqual({ value: event(2), done: false });
    await expect(subscriber.next()).resolves.toEqual({ value: event(3), done: false });
  });

  it('drops the backlog of a reader that falls behind: one coded error, then the end', async () => {
    let ends = 0;
    const subscriber = new LiveSubscriber({
      maxBacklog: 2,
      tally: { sent: 0, dropped: 0 },
      onEnd: () => ends++,
    });
    for (let at = 1; at <= 3; at++) subscriber.push(event(at));
    const dropped = await subscriber.next();
    expect(dropped.value).toBeInstanceOf(SubscriptionBacklogError);
    expect(dropped.value).toMatchObject({ code: 'SUBSCRIPTION_BACKLOG_EXCEEDED', limit: 2 });
    subscriber.push(event(4));
    await expect(subscriber.next()).resolves.toEqual({ value: undefined, done: true });
    expect(ends).toBe(1);
  });

  it('ends once when its reader leaves, completing a pending read', async () => {
    let ends = 0;
    const subscriber = new LiveSubscriber({
      maxBacklog: 2,
      tally: { sent: 0, dropped: 0 },
      onEnd: () => ends++,
    });
    const pending = subscriber.next();
    await subscriber.return();
    subscriber.end();
    await expect(pending).resolves.toEqual({ value: undefined, done: true });
    expect(ends).toBe(1);
  });

  it('counts the events its reader had, and those dropped with a backlog', async () => {
    const tally = { sent: 0, dropped: 0 };
    const subscriber = new LiveSubscriber({ maxBacklog: 2, tally, onEnd: () => {} });
    const waiting = subscriber.next();
    subscriber.push(event(1));
    await waiting;
    subscriber.push(event(2));
    await subscriber.next();
    expect(tally).toEqual({ sent: 2, dropped: 0 });
    for (let at = 3; at <= 5; at++) subscriber.push(event(at));
    // The third unread event overflows the backlog of 2: all three go, and the coded error is not an event.
    await expect(subscriber.next()).resolves.toMatchObject({
      value: { code: 'SUBSCRIPTION_BACKLOG_EXCEEDED' },
    });
    subscriber.push(event(6));
    expect(tally).toEqual({ sent: 2, dropped: 3 });
  });
});
