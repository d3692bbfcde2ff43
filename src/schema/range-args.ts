import { builder } from './builder.js';
import { Direction } from './direction.js';

/** The range and directions every call-quality field takes, described once. */
export const rangeArgs = builder.args((t) => ({
  from: t.field({
    type: 'DateTime',
    description: 'Start (inclusive); at most 6 days ago, not in the future.',
  }),
  to: t.field({ type: 'DateTime', description: 'End (exclusive); after `from`.' }),
  directions: t.field({
    type: [Direction],
    defaultValue: ['up', 'down'],
    description:
      'What to fetch: UP, DOWN or both. Asking for one direction only makes the upstream send less.',
  }),
}));
