import { authorizeAppId } from '../auth/authorize-app-id.js';
import { type RecordingModel, recordRoom } from '../resolvers/record-room.js';
import { builder } from './builder.js';
import { noteRange } from './context.js';

export const Recording = builder.objectRef<RecordingModel>('Recording').implement({
  description:
    'Users of a room the gateway keeps recorded: their settled slots are fetched as they settle and kept in ' +
    'the archive, past the upstream’s 6-day retention, until `until`.',
  fields: (t) => ({
    appId: t.exposeID('appId', { description: 'The RTC application.' }),
    roomId: t.exposeID('roomId', { description: 'The room.' }),
    userIds: t.idList({ description: 'The users recorded.', resolve: (recording) => [...recording.userIds] }),
    from: t.field({
      type: 'DateTime',
      description: 'Where recording starts: the start of the slot holding the `from` asked for.',
      resolve: (recording) => recording.fromMs,
    }),
    until: t.field({
      type: 'DateTime',
      description: 'Where recording ends.',
      resolve: (recording) => recording.untilMs,
    }),
  }),
});

builder.mutationType({ description: 'What the gateway is asked to do beyond answering.' });

builder.mutationField('recordRoom', (t) =>
  t.field({
    type: Recording,
    description:
      'Keeps users of a room recorded until `until`: the gateway fetches their call detail as it settles ' +
      '(within a bounded share of the upstream rate limit) and keeps it in the archive, so ranges past the ' +
      'upstream’s 6-day retention stay servable. Asking again widens a recording; it survives restarts.',
    args: {
      appId: t.arg.id({ description: 'The RTC application; the credential must be allowed to read it.' }),
      roomId: t.arg.id({ description: 'The room.' }),
      userIds: t.arg.idList({ description: 'The users to record (1 to 200).' }),
      from: t.arg({
        type: 'DateTime',
        required: false,
        description: 'Where to start, inside the upstream’s 6-day retention; default now.',
      }),
      until: t.arg({ type: 'DateTime', description: 'Where to stop; in the future.' }),
    },
    resolve: async (_root, args, context) => {
      const appId = String(args.appId);
      authorizeAppId(context.principal, appId);
      const recording = await recordRoom(
        {
          appId,
          roomId: String(args.roomId),
          userIds: args.userIds.map(String),
          from: args.from,
          until: args.until,
        },
        { nowMs: context.nowMs, recorder: context.recorder, slotMs: context.slotTiming.slotMs },
      );
      // A range reaching the future: an answer that is never kept whole (the response cache), so asking again runs.
      noteRange(context, recording.fromMs, recording.untilMs);
      return recording;
    },
  }),
);
