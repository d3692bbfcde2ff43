import type { MetricSeries } from '../model/call-detail.js';
import { pointCount } from '../resolvers/column-pieces.js';
import { slotDownsamplesOf } from '../resolvers/column-sink.js';
import type { PointColumns } from '../resolvers/downsample.js';
import { metricPoints } from '../resolvers/metric-points.js';
import { summarize } from '../resolvers/summary.js';
import { Aggregate } from './aggregate.js';
import { builder } from './builder.js';
import type { GatewayContext } from './context.js';
import { MetricSummary } from './metric-summary.js';
import { Point, type PointModel } from './point.js';
import { Series } from './series.js';

const STEP_DESCRIPTION =
  'Bucket length in seconds (1 to 86400). Buckets are aligned to the Unix epoch, so the same instant falls in ' +
  'the same bucket in every query; empty buckets give no point. Omitted: every raw point.';

/**
 * What answering a series does beside answering, all of it (the streams printer replays it for streams it found
 * printed, schema/streams-printer.ts): its points are spent from the operation's output budget.
 */
export function spendSeries(columns: PointColumns, context: Pick<GatewayContext, 'output'>): void {
  context.output.spend(pointCount(columns));
}

export const Metric = builder.objectRef<MetricSeries>('Metric').implement({
  description:
    'One time series of a stream, e.g. a bitrate or a loss rate. Metric names are the upstream’s own and are ' +
    'not a fixed list: ask `metrics` which ones a stream has.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The upstream’s metric name, e.g. `VideoSendBitrate`.' }),
    description: t.exposeString('description', { description: 'What the metric measures, in words.' }),
    unit: t.exposeString('unit', { description: 'Unit of the values, e.g. `kbps`, `%`, `ms`.' }),
    points: t.field({
      type: [Point],
      description: 'Points in time order; with `step`, one point per aligned bucket, aggregated.',
      args: {
        step: t.arg.int({ required: false, description: STEP_DESCRIPTION }),
        aggregate: t.arg({ type: Aggregate, defaultValue: 'AVG', description: 'How a bucket is reduced.' }),
      },
      resolve: (metric, args, context) => {
        const { times, values } = metricPoints(metric, args.step, args.aggregate);
        context.output.spend(times.length);
        const points = new Array<PointModel>(times.length);
        for (let i = 0; i < times.length; i += 1)
          points[i] = { time: times[i] as number, value: values[i] as number };
        return points;
      },
    }),
    series: t.field({
      type: Series,
      description:
        'The same data in columns, for charting libraries: times in unix ms, values, equal lengths.',
      args: {
        step: t.arg.int({ required: false, description: STEP_DESCRIPTION }),
        aggregate: t.arg({ type: Aggregate, defaultValue: 'AVG', description: 'How a bucket is reduced.' }),
      },
      resolve: (metric, args, context) => {
        // On the fast path, whole slots' buckets are kept between requests (piecewise-downsample.ts).
        const columns = metricPoints(metric, args.step, args.aggregate, slotDownsamplesOf(context));
        spendSeries(columns, context);
        return columns;
      },
    }),
    summary: t.field({
      type: MetricSummary,
      description: 'Count, extremes, mean, median, 95th percentile and last value over the whole range.',
      resolve: (metric) => summarize(metric.values),
    }),
  }),
});
