import type { MetricSummary as MetricSummaryModel } from '../resolvers/summary.js';
import { builder } from './builder.js';

const PERCENTILE_METHOD = 'linear interpolation between closest ranks (R-7, the NumPy default)';

export const MetricSummary = builder.objectRef<MetricSummaryModel>('MetricSummary').implement({
  description: 'Statistics of a metric over the whole requested range; all null when it has no points.',
  fields: (t) => ({
    count: t.exposeInt('count', { description: 'Number of points.' }),
    min: t.exposeFloat('min', { nullable: true, description: 'Smallest value.' }),
    max: t.exposeFloat('max', { nullable: true, description: 'Largest value.' }),
    avg: t.exposeFloat('avg', { nullable: true, description: 'Arithmetic mean of the points.' }),
    p50: t.exposeFloat('p50', { nullable: true, description: `Median, by ${PERCENTILE_METHOD}.` }),
    p95: t.exposeFloat('p95', { nullable: true, description: `95th percentile, by ${PERCENTILE_METHOD}.` }),
    last: t.exposeFloat('last', { nullable: true, description: 'Value of the latest point.' }),
  }),
});
