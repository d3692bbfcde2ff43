import { authorizeAppId } from '../auth/authorize-app-id.js';
import { isFinal, loadStreams, type UserCallQualityModel } from '../resolvers/call-quality.js';
import { distinctMetrics } from '../resolvers/metric-names.js';
import { selectStreams } from '../resolvers/projection.js';
import { builder } from './builder.js';
import { Direction } from './direction.js';
import { MetricName } from './metric-name.js';
import { planRoomUsers, rangeArgs } from './range-args.js';
import { Stream } from './stream.js';

export const UserCallQuality = builder.objectRef<UserCallQualityModel>('UserCallQuality').implement({
  description: 'The call quality of one user of a room over the half-open range [from, to).',
  fields: (t) => ({
    appId: t.exposeID('appId', { description: 'The RTC application.' }),
    roomId: t.exposeID('roomId', { description: 'The room.' }),
    userId: t.exposeID('userId', { description: 'The user.' }),
    from: t.field({
      type: 'DateTime',
      description: 'Start of the range (inclusive).',
      resolve: (q) => q.fromMs,
    }),
    to: t.field({ type: 'DateTime', description: 'End of the range (exclusive).', resolve: (q) => q.toMs }),
    final: t.boolean({
      description:
        'False while the range reaches into the last ~100 s, which the upstream may still complete. True means ' +
        'the gateway will never answer this range differently: every slot behind it has settled (ended more ' +
        'than the upstream latency plus `CACHE_LATENCY_MARGIN_MS` ago) and is served from a fetch made after that.',
      resolve: (quality, _args, context) => isFinal(quality, context.nowMs, context.slotTiming),
    }),
    streams: t.field({
      type: [Stream],
      nullable: true,
      description:
        'One UP stream, and one DOWN stream per sending peer (UP first, then DOWN by peer id); empty when the ' +
        'user has no data in the range; ' +
        'null, with an error at this path, when the upstream data for this user could not be fetched ' +
        '(or the caller may not read this AppId: FORBIDDEN).',
      args: {
        direction: t.arg({
          type: Direction,
          required: false,
          description: 'Only streams of this direction.',
        }),
        peerId: t.arg.id({ required: false, description: 'Only DOWN streams received from this peer.' }),
      },
      tracing: true,
      resolve: async (quality, args, context) => {
        // Here and in metricNames, the only fields that read upstream data: a refused AppId costs no upstream
        // call, and its error stays at this nullable field, so the other fields of the operation are still served.
        authorizeAppId(context.principal, quality.appId);
        const streams = await loadStreams(quality, context.callDetailLoader);
        // Each user's answer is completed on a turn of its own, so a large operation never holds the loop.
        await context.nextTurn();
        return selectStreams(streams, args);
      },
    }),
    metricNames: t.field({
      type: [MetricName],
      nullable: true,
      description:
        'Every metric name of the user’s streams in the range, once each, in upstream order (UP stream first, ' +
        'then DOWN by peer id): what a metric picker offers. Costs the same upstream data as `streams` (a ' +
        'range already cached costs nothing more) but returns no points. Empty when the user has no data; ' +
        'null, with an error at this path, as for `streams`.',
      tracing: true,
      resolve: async (quality, _args, context) => {
        authorizeAppId(context.principal, quality.appId);
        const streams = await loadStreams(quality, context.callDetailLoader);
        return distinctMetrics(streams);
      },
    }),
  }),
});

builder.queryField('callQuality', (t) =>
  t.field({
    type: [UserCallQuality],
    description:
      'Call quality of several users of one room over [from, to), or the `last` seconds before `to` (default ' +
      'now). One entry per requested user, in order. ' +
      'Ranges of any length within the last 6 days are served; all users of an operation are batched into ' +
      'shared upstream calls.',
    args: {
      appId: t.arg.id({ description: 'The RTC application id.' }),
      roomId: t.arg.id({ description: 'The room id.' }),
      userIds: t.arg.idList({ description: 'The users, in the order the entries should come back.' }),
      ...rangeArgs,
    },
    resolve: (_root, args, context, info) => planRoomUsers(args, context, info).entries,
  }),
);
