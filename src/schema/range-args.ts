import { type GraphQLResolveInfo, responsePathAsArray } from 'graphql';
import type { StreamDirection } from '../model/call-detail.js';
import { planCallQuality, planRange } from '../resolvers/call-quality.js';
import { type RangeArgs, type ResolvedRange, rangeClampedWarning } from '../resolvers/time-range.js';
import { builder } from './builder.js';
import { type GatewayContext, noteRange, warn } from './context.js';
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

/**
 * What every range field records of the range it serves: the start asked for, for the response cache (a clamped
 * answer is one it must not keep past the retention), and a warning when the range was clamped into it.
 */
export function noteServedRange(
  context: GatewayContext,
  range: ResolvedRange,
  info: GraphQLResolveInfo,
): void {
  noteRange(context, range.clamped?.requestedFromMs ?? range.fromMs, range.toMs);
  const warning = rangeClampedWarning(range);
  if (warning) warn(context, { ...warning, path: responsePathAsArray(info.path) });
}

/** The arguments of a root field that asks for several users of one room over a range. */
interface RoomUsersArgs extends RangeArgs {
  readonly appId: string | number;
  readonly roomId: string | number;
  readonly userIds: readonly (string | number)[];
  readonly directions: readonly StreamDirection[];
}

/** The range and one entry per user of `callQuality`-shaped arguments, recorded as served. */
export function planRoomUsers(args: RoomUsersArgs, context: GatewayContext, info: GraphQLResolveInfo) {
  const range = planRange(args, context.nowMs, context.rangeRetentionMs);
  const entries = planCallQuality(
    {
      appId: String(args.appId),
      roomId: String(args.roomId),
      userIds: args.userIds.map(String),
      fromMs: range.fromMs,
      toMs: range.toMs,
      directions: args.directions,
    },
    context.nowMs,
    context.rangeRetentionMs,
  );
  noteServedRange(context, range, info);
  return { range, entries };
}
