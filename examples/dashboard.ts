/**
 * What a call-quality dashboard asks callq: which metrics a user has (the picker), the room's overview (one
 * series and summary per stream) and one chart (one metric of every user on one time axis). Each function is
 * one operation; `npm run examples:codegen` types it from schema.graphql.
 */
import type { Execute, Result } from './client.js';
import { graphql } from './gql/gql.js';
import type { FrameQuery, MetricNamesQuery, RoomOverviewQuery } from './gql/graphql.js';

/**
 * The `last` seconds up to `to` (default: now, by the gateway's clock, so a browser's skewed clock does not
 * matter), or an explicit `[from, to)`. Instants are RFC 3339 strings.
 */
export type TimeRange =
  | { readonly last: number; readonly to?: string }
  | { readonly from: string; readonly to?: string };

export interface RoomSelection {
  readonly appId: string;
  readonly roomId: string;
  readonly range: TimeRange;
}

const METRIC_NAMES = graphql(`
  query MetricNames($appId: ID!, $roomId: ID!, $userId: ID!, $from: DateTime, $to: DateTime, $last: Int) {
    callQuality(appId: $appId, roomId: $roomId, userIds: [$userId], from: $from, to: $to, last: $last) {
      metricNames {
        name
        unit
        description
      }
    }
  }
`);

/** The metric picker: every metric name the user's streams have in the range, without their points. */
export async function metricNames(
  execute: Execute,
  selection: RoomSelection & { readonly userId: string },
): Promise<Result<MetricName[] | null>> {
  const { range, ...ids } = selection;
  const result = await execute(METRIC_NAMES, { ...ids, ...range });
  // null (with an error at its path) when the user's data could not be fetched.
  return { ...result, data: result.data.callQuality[0]?.metricNames ?? null };
}

export type MetricName = NonNullable<MetricNamesQuery['callQuality'][number]['metricNames']>[number];

const ROOM_OVERVIEW = graphql(`
  query RoomOverview(
    $appId: ID!
    $roomId: ID!
    $userIds: [ID!]!
    $metrics: [String!]!
    $step: Int!
    $from: DateTime
    $to: DateTime
    $last: Int
  ) {
    callQuality(appId: $appId, roomId: $roomId, userIds: $userIds, from: $from, to: $to, last: $last) {
      userId
      from
      to
      final
      streams {
        direction
        peerId
        metrics(names: $metrics) {
          name
          unit
          summary {
            avg
            p95
            max
            last
          }
          series(step: $step) {
            times
            values
          }
        }
      }
    }
  }
`);

export type UserOverview = RoomOverviewQuery['callQuality'][number];

/**
 * Sparklines and a summary per stream: the named metrics of every user, averaged per `step` seconds. A user
 * whose data could not be fetched has `streams: null` and an entry in `errors` (its `path` says which).
 */
export async function roomOverview(
  execute: Execute,
  selection: RoomSelection & {
    readonly userIds: readonly string[];
    readonly metrics: readonly string[];
    readonly step: number;
  },
): Promise<Result<UserOverview[]>> {
  const { range, userIds, metrics, ...rest } = selection;
  const result = await execute(ROOM_OVERVIEW, {
    ...rest,
    userIds: [...userIds],
    metrics: [...metrics],
    ...range,
  });
  return { ...result, data: result.data.callQuality };
}

const FRAME = graphql(`
  query Frame(
    $appId: ID!
    $roomId: ID!
    $userIds: [ID!]!
    $metric: String!
    $maxDataPoints: Int
    $from: DateTime
    $to: DateTime
    $last: Int
  ) {
    frame(
      appId: $appId
      roomId: $roomId
      userIds: $userIds
      metric: $metric
      maxDataPoints: $maxDataPoints
      from: $from
      to: $to
      last: $last
    ) {
      metric
      unit
      times
      columns {
        userId
        direction
        peerId
        values
      }
    }
  }
`);

export type ChartFrame = NonNullable<FrameQuery['frame']>;

/**
 * One chart: `metric` of every stream of the users, on one time axis (at most about `maxDataPoints` times,
 * the step derived as Grafana does), null where a stream has no point. Null data, with an error, when a user's
 * data could not be fetched.
 */
export async function chartFrame(
  execute: Execute,
  selection: RoomSelection & {
    readonly userIds: readonly string[];
    readonly metric: string;
    readonly maxDataPoints?: number;
  },
): Promise<Result<ChartFrame | null>> {
  const { range, userIds, ...rest } = selection;
  const result = await execute(FRAME, { ...rest, userIds: [...userIds], ...range });
  return { ...result, data: result.data.frame ?? null };
}

/** uPlot's data layout, `[times in seconds, ...one array per series]`, with a label per series. */
export function toUPlot(frame: ChartFrame): { data: (number | null)[][]; labels: string[] } {
  return {
    data: [frame.times.map((ms) => ms / 1000), ...frame.columns.map((column) => column.values)],
    labels: frame.columns.map((column) =>
      column.direction === 'UP' ? `${column.userId} up` : `${column.userId} from ${column.peerId}`,
    ),
  };
}
