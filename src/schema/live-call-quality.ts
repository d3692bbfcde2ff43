import { authorizeAppId } from '../auth/authorize-app-id.js';
import type { LiveEvent } from '../live/live-event.js';
import { builder } from './builder.js';
import { Direction } from './direction.js';
import { planRoomUsers } from './range-args.js';
import { UserCallQuality } from './user-call-quality.js';

const LiveCallQualityEvent = builder.objectRef<LiveEvent>('LiveCallQualityEvent').implement({
  description:
    'One event of `liveCallQuality`: first the whole window, then, whenever new data has arrived, only the ' +
    'points new since the previous event.',
  fields: (t) => ({
    initial: t.exposeBoolean('initial', {
      description:
        'True for the first event, which holds the whole window; false for an update, which holds only new ' +
        'points (append them to what you hold).',
    }),
    from: t.field({
      type: 'DateTime',
      description: 'Every point of this event lies in [from, to).',
      resolve: (event) => event.fromMs,
    }),
    to: t.field({
      type: 'DateTime',
      description: 'End of the event’s range.',
      resolve: (event) => event.toMs,
    }),
    windowFrom: t.field({
      type: 'DateTime',
      description: 'Where the moving window starts at this event: points held from before it have left it.',
      resolve: (event) => event.windowFromMs,
    }),
    users: t.field({
      type: [UserCallQuality],
      description:
        'One entry per subscribed user, in order, over [from, to): its streams hold only this event’s points.',
      resolve: (event) =>
        event.users.map((user) => ({
          appId: user.appId,
          roomId: user.roomId,
          userId: user.userId,
          directions: user.directions,
          fromMs: event.fromMs,
          toMs: event.toMs,
          loaded: user.streams,
        })),
    }),
  }),
});

builder.subscriptionField('liveCallQuality', (t) =>
  t.field({
    type: LiveCallQualityEvent,
    description:
      'The call quality of several users of one room over a moving window (the `last` seconds up to now), as ' +
      'it arrives: one event with the whole window, then an event whenever new data has arrived, with only ' +
      'the new points. Subscribers of the same room and directions share one upstream poll ' +
      '(`LIVE_POLL_INTERVAL_MS`), however many they are. At `/graphql` over SSE (GraphQL over SSE, e.g. the ' +
      '`graphql-sse` client) or WebSocket (the `graphql-ws` protocol and client).',
    args: {
      appId: t.arg.id({ description: 'The RTC application id.' }),
      roomId: t.arg.id({ description: 'The room id.' }),
      userIds: t.arg.idList({ description: 'The users, in the order the entries should come back.' }),
      last: t.arg.int({
        defaultValue: 3600,
        description: 'Length of the moving window in seconds; at most 518400 (6 days).',
      }),
      directions: t.arg({
        type: [Direction],
        defaultValue: ['up', 'down'],
        description: 'What to fetch: UP, DOWN or both.',
      }),
    },
    subscribe: (_root, args, context, info) => {
      const appId = String(args.appId);
      authorizeAppId(context.principal, appId);
      // Checks ids, directions and the window as `callQuality` does, before anything is polled; a clamped window
      // is said once, with the first event (useWarnings): its instants are those of the window at subscribe time.
      const { range, entries } = planRoomUsers(args, context, info);
      const [first] = entries;
      return context.live.subscribe({
        principal: JSON.stringify([context.principal.kind, context.principal.name]),
        appId,
        roomId: String(args.roomId),
        userIds: args.userIds.map(String),
        directions: first?.directions ?? args.directions,
        windowMs: range.toMs - range.fromMs,
      });
    },
    resolve: (item, _args, context) => {
      if (item instanceof Error) throw item;
      // Each event is an answer of its own: the points limit applies per event, not to the subscription's life.
      context.output.renew();
      return item;
    },
  }),
);
