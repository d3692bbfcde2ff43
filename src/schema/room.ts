import { planRange, planUserCallQuality } from '../resolvers/call-quality.js';
import { checkId } from '../resolvers/ids.js';
import { builder } from './builder.js';
import { noteServedRange, rangeArgs } from './range-args.js';
import { UserCallQuality } from './user-call-quality.js';

interface RoomModel {
  readonly appId: string;
  readonly roomId: string;
}

export const Room = builder.objectRef<RoomModel>('Room').implement({
  description: 'A room of an RTC application; its users’ call quality is reached through `user`.',
  fields: (t) => ({
    appId: t.exposeID('appId', { description: 'The RTC application.' }),
    roomId: t.exposeID('roomId', { description: 'The room.' }),
    user: t.field({
      type: UserCallQuality,
      description:
        'One user’s call quality; sibling and aliased user fields are batched into shared upstream calls.',
      args: {
        userId: t.arg.id({ description: 'The user.' }),
        ...rangeArgs,
      },
      resolve: (room, args, context, info) => {
        const range = planRange(args, context.nowMs, context.rangeRetentionMs);
        const model = planUserCallQuality(
          {
            ...room,
            userId: String(args.userId),
            fromMs: range.fromMs,
            toMs: range.toMs,
            directions: args.directions,
          },
          context.nowMs,
          context.rangeRetentionMs,
        );
        noteServedRange(context, range, info);
        return model;
      },
    }),
  }),
});

builder.queryField('room', (t) =>
  t.field({
    type: Room,
    description: 'A room, to ask for several of its users with aliases in one operation.',
    args: {
      appId: t.arg.id({ description: 'The RTC application id.' }),
      roomId: t.arg.id({ description: 'The room id.' }),
    },
    resolve: (_root, args) => {
      const room = { appId: String(args.appId), roomId: String(args.roomId) };
      checkId('appId', room.appId);
      checkId('roomId', room.roomId);
      return room;
    },
  }),
);
