import { authorizeAppId } from '../auth/authorize-app-id.js';
import { loadStreams, planCallQuality, planRange } from '../resolvers/call-quality.js';
import {
  checkDiscoveryBounds,
  type DiscoveredUser,
  type Discovery,
  discoverParticipants,
} from '../resolvers/insights/participant-discovery.js';
import { builder } from './builder.js';
import { noteServedRange, rangeArgs } from './range-args.js';

const RECEIVE_ONLY_NOTE =
  'Users are found as the senders of DOWN streams: a user who only receives is nobody’s peer and is not ' +
  'listed unless given in `userIds`.';

const Participant = builder.objectRef<DiscoveredUser>('Participant').implement({
  description: 'A user of the room, given or found.',
  fields: (t) => ({
    userId: t.exposeID('userId', { description: 'The user.' }),
    foundVia: t.exposeID('foundVia', {
      nullable: true,
      description: 'The user whose DOWN stream named this one as its sender; null for a user given.',
    }),
    round: t.exposeInt('round', { description: '0 for the users given, 1 for their senders, and so on.' }),
    receives: t.exposeBoolean('receives', {
      description: 'Whether the user has a DOWN stream in the range.',
    }),
  }),
});

const Participants = builder.objectRef<Discovery>('Participants').implement({
  description: 'The users of a room found from known ones, through the senders of their DOWN streams.',
  fields: (t) => ({
    users: t.field({
      type: [Participant],
      description: 'The users given first, in order, then in the order found.',
      resolve: (d) => d.users,
    }),
    userIds: t.idList({
      description: 'The same users’ ids, for `callQuality(userIds:)`.',
      resolve: (d) => d.users.map((u) => u.userId),
    }),
    complete: t.exposeBoolean('complete', {
      description:
        'False when `maxUsers` or `maxRounds` stopped the search while senders were still unexplored.',
    }),
    note: t.string({
      description: 'What this way of finding users cannot find.',
      resolve: () => RECEIVE_ONLY_NOTE,
    }),
  }),
});

builder.queryField('participants', (t) =>
  t.field({
    type: Participants,
    nullable: true,
    description:
      'The other users of a room over [from, to) or the `last` seconds, found from `userIds` through the ' +
      'senders of their DOWN streams, round by round (each round shares upstream calls), within `maxUsers` ' +
      `and \`maxRounds\`. ${RECEIVE_ONLY_NOTE} The cost limit counts the most calls the bounds allow. Null, ` +
      'with an error at this path, when a round’s data could not be fetched.',
    args: {
      appId: t.arg.id({ description: 'The RTC application id.' }),
      roomId: t.arg.id({ description: 'The room id.' }),
      userIds: t.arg.idList({ description: 'Users known to be in the room.' }),
      from: rangeArgs.from,
      to: rangeArgs.to,
      last: rangeArgs.last,
      maxUsers: t.arg.int({
        defaultValue: 100,
        description: 'The most users to list, those given included (1 to 500).',
      }),
      maxRounds: t.arg.int({
        defaultValue: 3,
        description: 'The most rounds of senders to follow (1 to 10).',
      }),
    },
    tracing: true,
    resolve: async (_root, args, context, info) => {
      const range = planRange(args, context.nowMs, context.rangeRetentionMs);
      const seeds = args.userIds.map(String);
      const bounds = { maxUsers: args.maxUsers, maxRounds: args.maxRounds };
      checkDiscoveryBounds(bounds, seeds);
      const request = {
        appId: String(args.appId),
        roomId: String(args.roomId),
        fromMs: range.fromMs,
        toMs: range.toMs,
        directions: ['down' as const],
      };
      planCallQuality({ ...request, userIds: seeds }, context.nowMs, context.rangeRetentionMs);
      noteServedRange(context, range, info);
      authorizeAppId(context.principal, request.appId);
      return discoverParticipants(seeds, bounds, (userIds) =>
        Promise.all(
          planCallQuality({ ...request, userIds }, context.nowMs, context.rangeRetentionMs).map((entry) =>
            loadStreams(entry, context.callDetailLoader),
          ),
        ),
      );
    },
  }),
);
