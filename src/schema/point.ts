import { builder } from './builder.js';

export interface PointModel {
  readonly time: number;
  readonly value: number;
}

export const Point = builder.objectRef<PointModel>('Point').implement({
  description: 'One sample of a metric.',
  fields: (t) => ({
    time: t.expose('time', {
      type: 'DateTime',
      description: 'When the sample was taken (for a bucket: its start).',
    }),
    value: t.exposeFloat('value', { description: 'The sample, in the metric’s unit.' }),
  }),
});
