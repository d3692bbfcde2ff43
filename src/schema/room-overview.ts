import { authorizeAppId } from '../auth/authorize-app-id.js';
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { loadStreams } from '../resolvers/call-quality.js';
import { roundValue } from '../resolvers/frame.js';
import { DEFAULT_INCIDENT_RULES } from '../resolvers/insights/default-incident-rules.js';
import { incidentRules } from '../resolvers/insights/incident-rule-input.js';
import {
  type RoomOverviewModel,
  roomOverview,
  type UserOverview,
} from '../resolvers/insights/room-overview.js';
import { builder } from './builder.js';
import { Direction } from './direction.js';
import { IncidentRuleInput, RULES_DESCRIPTION } from './incident.js';
import { planRoomUsers, rangeArgs } from './range-args.js';
import { QualityBand } from './stream-quality.js';
import { noteUnjudgedRules } from './unjudged-rule-warning.js';

const UserOverviewRef = builder.objectRef<UserOverview>('UserOverview').implement({
  description:
    'One user of the room at a glance: the weakest link of their streams and their time in trouble.',
  fields: (t) => ({
    userId: t.exposeID('userId', { description: 'The user.' }),
    worstScore: t.float({
      nullable: true,
      description:
        'The lowest bucket score (0 to 100) of any of their streams; null when none could be rated.',
      resolve: (u) => (u.worstScore === null ? null : roundValue(u.worstScore)),
    }),
    worstBand: t.field({
      type: QualityBand,
      nullable: true,
      description: 'That score’s band.',
      resolve: (u) => u.worstBand,
    }),
    worstDirection: t.field({
      type: Direction,
      nullable: true,
      description: 'The direction of the stream that scored it.',
      resolve: (u) => u.worstStream?.direction ?? null,
    }),
    worstPeerId: t.id({
      nullable: true,
      description: 'The sending peer of that stream, when it is a DOWN stream.',
      resolve: (u) => u.worstStream?.peerId ?? null,
    }),
    incidentSeconds: t.exposeFloat('incidentSeconds', {
      description: 'Seconds in at least one incident of any of their streams, overlaps counted once.',
    }),
    incidentCount: t.exposeInt('incidentCount', { description: 'Incidents of all their streams.' }),
    worstMetric: t.exposeString('worstMetric', {
      nullable: true,
      description:
        'The metric whose incidents lasted longest; MOS only when no measured metric had one; null without ' +
        'incidents.',
    }),
  }),
});

const RoomOverview = builder.objectRef<RoomOverviewModel>('RoomOverview').implement({
  description: 'A room’s users ranked worst first, and how many were in trouble at each moment.',
  fields: (t) => ({
    users: t.field({
      type: [UserOverviewRef],
      description:
        'Worst first: the lowest worst score (users that could not be rated last), then the most time in ' +
        'incidents, then in the order asked.',
      resolve: (o) => o.users,
    }),
    times: t.floatList({
      description: 'Every bucket of the range, unix ms, epoch-aligned.',
      resolve: (o) => o.bucketTimes,
    }),
    usersInIncident: t.intList({
      description:
        '`usersInIncident[i]`: how many users had an incident overlapping the bucket at `times[i]`.',
      resolve: (o) => o.usersInIncident,
    }),
  }),
});

builder.queryField('roomOverview', (t) =>
  t.field({
    type: RoomOverview,
    nullable: true,
    description:
      'Several users of a room over [from, to) or the `last` seconds, judged by incident rules and the E-model ' +
      'score, ranked worst first. Costs the same shared upstream calls as their series. Null, with an error ' +
      'at this path, when a user’s data could not be fetched.',
    args: {
      appId: t.arg.id({ description: 'The RTC application id.' }),
      roomId: t.arg.id({ description: 'The room id.' }),
      userIds: t.arg.idList({ description: 'The users to judge.' }),
      ...rangeArgs,
      step: t.arg.int({ defaultValue: 60, description: 'Bucket length in seconds, 10 to 86400.' }),
      rules: t.arg({ type: [IncidentRuleInput], required: false, description: RULES_DESCRIPTION }),
    },
    tracing: true,
    resolve: async (_root, args, context, info) => {
      const { range, entries } = planRoomUsers(args, context, info);
      if (!Number.isInteger(args.step) || args.step < 10 || args.step > 86_400) {
        throw new InvalidArgumentError('step', '`step` must be a whole number of seconds from 10 to 86400');
      }
      const rules = args.rules ? incidentRules(args.rules) : DEFAULT_INCIDENT_RULES;
      authorizeAppId(context.principal, String(args.appId));
      // Loaded together, so the request's loader batches every user into shared upstream calls.
      const users = await Promise.all(
        entries.map(async (entry) => ({
          userId: entry.userId,
          streams: await loadStreams(entry, context.callDetailLoader),
        })),
      );
      await context.nextTurn();
      const overview = roomOverview({
        users,
        fromMs: range.fromMs,
        toMs: range.toMs,
        stepMs: args.step * 1000,
        rules,
        roles: context.metricRoles,
      });
      noteUnjudgedRules(context, overview.unjudged);
      context.output.spend(overview.bucketTimes.length * 2 + overview.users.length);
      return overview;
    },
  }),
);
