import { type ResolvedRange, rangeClampedWarning } from '../resolvers/time-range.js';
import { builder } from './builder.js';
import { type GatewayContext, warn } from './context.js';
import { Direction } from './direction.js';

/** The range and directions every call-quality field takes, described once. */
export const rangeArgs = builder.args((t) => ({
  from: t.field({
    type: 'DateTime',
    required: false,
    description:
      'Start (inclusive); at most 6 days ago, not in the future. Give either `from` or `last`. A `from` up to ' +
      'a minute beyond the 6 days (clock skew) is served from the oldest instant still servable, and the ' +
      'answer says so: `from` shows that instant and `extensions.warnings` holds a RANGE_CLAMPED warning.',
  }),
  to: t.field({
    type: 'DateTime',
    required: false,
    description: 'End (exclusive); after `from`. Default: now, by the gateway’s clock.',
  }),
  last: t.int({
    required: false,
    description:
      'Instead of `from`: the range is the `last` seconds before `to` (default now, by the gateway’s clock), ' +
      'e.g. `last: 3600` for the last hour. At most 518400 (6 days); just beyond is clamped like `from`.',
  }),
  directions: t.field({
    type: [Direction],
    defaultValue: ['up', 'down'],
    description:
      'What to fetch: UP, DOWN or both. Asking for one direction only makes the upstream send less.',
  }),
}));

/** Tells the client, through the response's warnings, when its range was clamped into the retention. */
export function warnIfClamped(
  context: GatewayContext,
  range: ResolvedRange,
  path: readonly (string | number)[],
): void {
  const warning = rangeClampedWarning(range);
  if (warning) warn(context, { ...warning, path });
}
