import type { MetricSeries } from '../model/call-detail.js';
import { builder } from './builder.js';

/** Read from a fetched series, whose points are never looked at here. */
export const MetricName = builder.objectRef<MetricSeries>('MetricName').implement({
  description:
    'A metric some stream has, without its points: what a metric picker shows. Ask `Stream.metrics(names:)` ' +
    'or `Stream.metric(name:)` for its data.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The upstream’s metric name, e.g. `Rtt`.' }),
    description: t.exposeString('description', { description: 'What the metric measures, in words.' }),
    unit: t.exposeString('unit', { description: 'Unit of the values, e.g. `kbps`, `%`, `ms`.' }),
  }),
});
