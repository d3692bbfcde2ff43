import { builder } from './builder.js';

export const Aggregate = builder.enumType('Aggregate', {
  description: 'How the points of one `step` bucket are combined into one.',
  values: {
    AVG: { description: 'Arithmetic mean.' },
    MIN: { description: 'Smallest value.' },
    MAX: { description: 'Largest value.' },
    LAST: { description: 'Value of the latest point in the bucket.' },
    P95: {
      description: '95th percentile, linear interpolation between closest ranks (the R-7 / NumPy default).',
    },
  } as const,
});
