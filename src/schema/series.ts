import type { PointColumns } from '../resolvers/downsample.js';
import { builder } from './builder.js';

export const Series = builder.objectRef<PointColumns>('Series').implement({
  description:
    'A metric’s points as two columns of equal length, the shape charting libraries take (e.g. uPlot, ECharts).',
  fields: (t) => ({
    times: t.floatList({
      description: 'Sample times in unix milliseconds, increasing.',
      resolve: (s) => s.times,
    }),
    values: t.floatList({
      description: 'Sample values, `values[i]` taken at `times[i]`.',
      resolve: (s) => s.values,
    }),
  }),
});
