import { authorizeAppId } from '../auth/authorize-app-id.js';
import { loadStreams } from '../resolvers/call-quality.js';
import {
  buildFrame,
  FRAME_SIGNIFICANT_DIGITS,
  type FrameColumnModel,
  type FrameModel,
  frameStep,
} from '../resolvers/frame.js';
import { Aggregate } from './aggregate.js';
import { builder } from './builder.js';
import { Direction } from './direction.js';
import { planRoomUsers, rangeArgs } from './range-args.js';

const FrameColumn = builder.objectRef<FrameColumnModel>('FrameColumn').implement({
  description: 'One stream’s values on the frame’s time axis.',
  fields: (t) => ({
    userId: t.exposeID('userId', { description: 'The user the stream belongs to.' }),
    direction: t.field({ type: Direction, description: 'UP or DOWN.', resolve: (c) => c.direction }),
    peerId: t.exposeID('peerId', {
      nullable: true,
      description: 'The sending peer of a DOWN stream; null for UP.',
    }),
    values: t.field({
      type: ['Float'],
      nullable: { list: false, items: true },
      description:
        `\`values[i]\` at \`times[i]\`, null where the stream has no point then; rounded to ` +
        `${FRAME_SIGNIFICANT_DIGITS} significant digits, so averages carry no binary noise.`,
      resolve: (c) => c.values,
    }),
  }),
});

const Frame = builder.objectRef<FrameModel>('Frame').implement({
  description: 'One metric of several streams as a table: one shared time axis, one column per stream.',
  fields: (t) => ({
    metric: t.exposeString('metric', { description: 'The metric name asked for.' }),
    unit: t.exposeString('unit', {
      nullable: true,
      description: 'Unit of the values; null when no stream has the metric.',
    }),
    times: t.floatList({
      description:
        'Unix milliseconds, increasing: every time (bucket start with a step) any column has a point.',
      resolve: (f) => f.times,
    }),
    columns: t.field({
      type: [FrameColumn],
      description:
        'One per stream having the metric: users in the order asked, each UP first, then DOWN by peer id.',
      resolve: (f) => f.columns,
    }),
  }),
});

builder.queryField('frame', (t) =>
  t.field({
    type: Frame,
    nullable: true,
    description:
      'One metric of several users of a room as a chart-ready table over [from, to) or the `last` seconds: ' +
      'shared times, a column per stream, nulls for gaps. Users are batched into shared upstream calls as in ' +
      '`callQuality`. Null, with an error at this path, when a user’s data could not be fetched.',
    args: {
      appId: t.arg.id({ description: 'The RTC application id.' }),
      roomId: t.arg.id({ description: 'The room id.' }),
      userIds: t.arg.idList({ description: 'The users; their columns come in this order.' }),
      metric: t.arg.string({ description: 'The upstream’s metric name, e.g. `Rtt`.' }),
      ...rangeArgs,
      step: t.arg.int({
        required: false,
        description:
          'Bucket length in seconds (1 to 86400), aligned to the Unix epoch; with `maxDataPoints`, the ' +
          'smallest step allowed. Neither given: raw points.',
      }),
      maxDataPoints: t.arg.int({
        required: false,
        description:
          'At most about this many times, as Grafana asks: step = max(`step` or 1, ceil(range seconds / ' +
          'maxDataPoints)), at most 86400.',
      }),
      aggregate: t.arg({ type: Aggregate, defaultValue: 'AVG', description: 'How a bucket is reduced.' }),
    },
    tracing: true,
    resolve: async (_root, args, context, info) => {
      const { range, entries } = planRoomUsers(args, context, info);
      const step = frameStep(args, range.fromMs, range.toMs);
      authorizeAppId(context.principal, String(args.appId));
      // Loaded together, so the request's loader batches every user into shared upstream calls.
      const perUser = await Promise.all(entries.map((entry) => loadStreams(entry, context.callDetailLoader)));
      await context.nextTurn();
      const streams = perUser.flat();
      const frame = buildFrame(streams, args.metric, step, args.aggregate);
      context.metricNames.note(
        [args.metric],
        streams.flatMap((stream) => stream.metrics),
      );
      // Cells, the times column included: what the answer is made of.
      context.output.spend(frame.times.length * (frame.columns.length + 1));
      return frame;
    },
  }),
);
