/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant. Input: RFC 3339 with an offset, any number of fraction digits (finer than a millisecond rounds up to the next one, which keeps [from, to) exact for millisecond samples). Output: RFC 3339 in UTC with milliseconds. */
  DateTime: { input: string; output: string; }
};

/** How the points of one `step` bucket are combined into one. */
export type Aggregate =
  /** Arithmetic mean. */
  | 'AVG'
  /** Value of the latest point in the bucket. */
  | 'LAST'
  /** Largest value. */
  | 'MAX'
  /** Smallest value. */
  | 'MIN'
  /** 95th percentile, linear interpolation between closest ranks (the R-7 / NumPy default). */
  | 'P95';

/** Which side of the threshold is trouble. */
export type Comparison =
  /** Values strictly above the threshold breach it. */
  | 'ABOVE'
  /** Values strictly below the threshold breach it. */
  | 'BELOW';

/** Which media of a user a stream carries. */
export type Direction =
  /** Media the user receives, one stream per sending peer. */
  | 'DOWN'
  /** Media the user sends. */
  | 'UP';

/** One metric of several streams as a table: one shared time axis, one column per stream. */
export type Frame = {
  __typename?: 'Frame';
  /** One per stream having the metric: users in the order asked, each UP first, then DOWN by peer id. */
  columns: Array<FrameColumn>;
  /** The metric name asked for. */
  metric: Scalars['String']['output'];
  /** Unix milliseconds, increasing: every time (bucket start with a step) any column has a point. */
  times: Array<Scalars['Float']['output']>;
  /** Unit of the values; null when no stream has the metric. */
  unit?: Maybe<Scalars['String']['output']>;
};

/** One stream’s values on the frame’s time axis. */
export type FrameColumn = {
  __typename?: 'FrameColumn';
  /** UP or DOWN. */
  direction: Direction;
  /** The sending peer of a DOWN stream; null for UP. */
  peerId?: Maybe<Scalars['ID']['output']>;
  /** The user the stream belongs to. */
  userId: Scalars['ID']['output'];
  /** `values[i]` at `times[i]`, null where the stream has no point then; rounded to 12 significant digits, so averages carry no binary noise. */
  values: Array<Maybe<Scalars['Float']['output']>>;
};

/** An interval where a rule held on a stream. */
export type Incident = {
  __typename?: 'Incident';
  /** The direction of the stream it happened on. */
  direction: Direction;
  /** The first sample back within bounds after the last bad one; the last bad sample when the data ends or breaks off first. */
  end: Scalars['DateTime']['output'];
  /** The rule’s kind, e.g. HIGH_RTT. */
  kind: Scalars['String']['output'];
  /** The metric the rule read, or MOS. */
  metric: Scalars['String']['output'];
  /** The worst value inside the incident, to 12 significant digits. */
  peak: Scalars['Float']['output'];
  /** The sending peer of that stream, when it is a DOWN stream. */
  peerId?: Maybe<Scalars['ID']['output']>;
  /** The first bad sample. */
  start: Scalars['DateTime']['output'];
  /** The threshold that fired. */
  threshold: Scalars['Float']['output'];
};

/** When a stream is in trouble: its metric (or role) beyond a threshold in `breaching` of the last `samples` samples, or for `seconds` on end; it clears once back within `clearThreshold` (hysteresis). */
export type IncidentRuleInput = {
  /** How many of the last `samples` must breach (default all). */
  breaching?: InputMaybe<Scalars['Int']['input']>;
  /** While open, a sample counts as bad until back within this; default `threshold`. */
  clearThreshold?: InputMaybe<Scalars['Float']['input']>;
  /** ABOVE or BELOW the threshold is trouble. */
  comparison: Comparison;
  /** Judge only streams of this direction; both when omitted. */
  direction?: InputMaybe<Direction>;
  /** The name incidents of this rule carry, e.g. "HIGH_RTT". */
  kind: Scalars['String']['input'];
  /** An upstream metric name; give this or `role`. */
  metric?: InputMaybe<Scalars['String']['input']>;
  /** A metric role; give this or `metric`. */
  role?: InputMaybe<MetricRole>;
  /** The window of samples, 1 to 360 (default 1). */
  samples?: InputMaybe<Scalars['Int']['input']>;
  /** Instead of samples: breaching on end for at least this long, 1 to 3600. */
  seconds?: InputMaybe<Scalars['Int']['input']>;
  /** In the metric’s unit (the role’s, for a role). */
  threshold: Scalars['Float']['input'];
};

/** One event of `liveCallQuality`: first the whole window, then, whenever new data has arrived, only the points new since the previous event. */
export type LiveCallQualityEvent = {
  __typename?: 'LiveCallQualityEvent';
  /** Every point of this event lies in [from, to). */
  from: Scalars['DateTime']['output'];
  /** True for the first event, which holds the whole window; false for an update, which holds only new points (append them to what you hold). */
  initial: Scalars['Boolean']['output'];
  /** End of the event’s range. */
  to: Scalars['DateTime']['output'];
  /** One entry per subscribed user, in order, over [from, to): its streams hold only this event’s points. */
  users: Array<UserCallQuality>;
  /** Where the moving window starts at this event: points held from before it have left it. */
  windowFrom: Scalars['DateTime']['output'];
};

/** One time series of a stream, e.g. a bitrate or a loss rate. Metric names are the upstream’s own and are not a fixed list: ask `metrics` which ones a stream has. */
export type Metric = {
  __typename?: 'Metric';
  /** What the metric measures, in words. */
  description: Scalars['String']['output'];
  /** The upstream’s metric name, e.g. `VideoSendBitrate`. */
  name: Scalars['String']['output'];
  /** Points in time order; with `step`, one point per aligned bucket, aggregated. */
  points: Array<Point>;
  /** The same data in columns, for charting libraries: times in unix ms, values, equal lengths. */
  series: Series;
  /** Count, extremes, mean, median, 95th percentile and last value over the whole range. */
  summary: MetricSummary;
  /** Unit of the values, e.g. `kbps`, `%`, `ms`. */
  unit: Scalars['String']['output'];
};


/** One time series of a stream, e.g. a bitrate or a loss rate. Metric names are the upstream’s own and are not a fixed list: ask `metrics` which ones a stream has. */
export type MetricPointsArgs = {
  aggregate?: Aggregate;
  step?: InputMaybe<Scalars['Int']['input']>;
};


/** One time series of a stream, e.g. a bitrate or a loss rate. Metric names are the upstream’s own and are not a fixed list: ask `metrics` which ones a stream has. */
export type MetricSeriesArgs = {
  aggregate?: Aggregate;
  step?: InputMaybe<Scalars['Int']['input']>;
};

/** A metric some stream has, without its points: what a metric picker shows. Ask `Stream.metrics(names:)` or `Stream.metric(name:)` for its data. */
export type MetricName = {
  __typename?: 'MetricName';
  /** What the metric measures, in words. */
  description: Scalars['String']['output'];
  /** The upstream’s metric name, e.g. `Rtt`. */
  name: Scalars['String']['output'];
  /** Unit of the values, e.g. `kbps`, `%`, `ms`. */
  unit: Scalars['String']['output'];
};

/** The part a metric plays in quality insights, whatever the upstream calls it (METRIC_ROLES maps names to roles), or MOS, computed from RTT, jitter and loss. */
export type MetricRole =
  /** Video bitrate. */
  | 'BITRATE'
  /** Video frame rate. */
  | 'FRAME_RATE'
  /** Time a receiving video stream spent frozen in a sampling period, ms. */
  | 'FREEZE'
  /** Jitter, ms. */
  | 'JITTER'
  /** The E-model’s mean opinion score (1 to 4.5), from RTT, jitter and loss. */
  | 'MOS'
  /** Packet loss, percent (a metric whose unit is not `%` is read as a fraction). */
  | 'PACKET_LOSS'
  /** Round-trip time, ms. */
  | 'RTT';

/** Statistics of a metric over the whole requested range; all null when it has no points. */
export type MetricSummary = {
  __typename?: 'MetricSummary';
  /** Arithmetic mean of the points. */
  avg?: Maybe<Scalars['Float']['output']>;
  /** Number of points. */
  count: Scalars['Int']['output'];
  /** Value of the latest point. */
  last?: Maybe<Scalars['Float']['output']>;
  /** Largest value. */
  max?: Maybe<Scalars['Float']['output']>;
  /** Smallest value. */
  min?: Maybe<Scalars['Float']['output']>;
  /** Median, by linear interpolation between closest ranks (R-7, the NumPy default). */
  p50?: Maybe<Scalars['Float']['output']>;
  /** 95th percentile, by linear interpolation between closest ranks (R-7, the NumPy default). */
  p95?: Maybe<Scalars['Float']['output']>;
};

/** What the gateway is asked to do beyond answering. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Keeps users of a room recorded until `until`: the gateway fetches their call detail as it settles (within a bounded share of the upstream rate limit) and keeps it in the archive, so ranges past the upstream’s 6-day retention stay servable. Asking again widens a recording; it survives restarts. */
  recordRoom: Recording;
};


/** What the gateway is asked to do beyond answering. */
export type MutationRecordRoomArgs = {
  appId: Scalars['ID']['input'];
  from?: InputMaybe<Scalars['DateTime']['input']>;
  roomId: Scalars['ID']['input'];
  until: Scalars['DateTime']['input'];
  userIds: Array<Scalars['ID']['input']>;
};

/** A user of the room, given or found. */
export type Participant = {
  __typename?: 'Participant';
  /** The user whose DOWN stream named this one as its sender; null for a user given. */
  foundVia?: Maybe<Scalars['ID']['output']>;
  /** Whether the user has a DOWN stream in the range. */
  receives: Scalars['Boolean']['output'];
  /** 0 for the users given, 1 for their senders, and so on. */
  round: Scalars['Int']['output'];
  /** The user. */
  userId: Scalars['ID']['output'];
};

/** The users of a room found from known ones, through the senders of their DOWN streams. */
export type Participants = {
  __typename?: 'Participants';
  /** False when `maxUsers` or `maxRounds` stopped the search while senders were still unexplored. */
  complete: Scalars['Boolean']['output'];
  /** What this way of finding users cannot find. */
  note: Scalars['String']['output'];
  /** The same users’ ids, for `callQuality(userIds:)`. */
  userIds: Array<Scalars['ID']['output']>;
  /** The users given first, in order, then in the order found. */
  users: Array<Participant>;
};

/** One sample of a metric. */
export type Point = {
  __typename?: 'Point';
  /** When the sample was taken (for a bucket: its start). */
  time: Scalars['DateTime']['output'];
  /** The sample, in the metric’s unit. */
  value: Scalars['Float']['output'];
};

/** ITU-T G.109’s categories of the E-model’s R, the lower two merged. */
export type QualityBand =
  /** Score 90 or more (MOS 4.34 or more): best. */
  | 'EXCELLENT'
  /** Score 60 to 80 (MOS 3.10 to 4.03): some to many users dissatisfied. */
  | 'FAIR'
  /** Score 80 to 90 (MOS 4.03 to 4.34): high. */
  | 'GOOD'
  /** Score below 60 (MOS below 3.10): nearly all users dissatisfied. */
  | 'POOR';

/** Quality per epoch-aligned bucket, as columns of equal length; buckets without a rated sample left out. */
export type QualitySeries = {
  __typename?: 'QualitySeries';
  /** The bucket’s MOS, 1 to 4.5. */
  mos: Array<Scalars['Float']['output']>;
  /** The bucket’s score, 0 to 100. */
  scores: Array<Scalars['Float']['output']>;
  /** Bucket starts, unix ms. */
  times: Array<Scalars['Float']['output']>;
};

/** Call quality of Volcengine RTC rooms, per user, as time series. */
export type Query = {
  __typename?: 'Query';
  /** Call quality of several users of one room over [from, to), or the `last` seconds before `to` (default now). One entry per requested user, in order. Ranges of any length within the last 6 days are served; all users of an operation are batched into shared upstream calls. */
  callQuality: Array<UserCallQuality>;
  /** One metric of several users of a room as a chart-ready table over [from, to) or the `last` seconds: shared times, a column per stream, nulls for gaps. Users are batched into shared upstream calls as in `callQuality`. Null, with an error at this path, when a user’s data could not be fetched. */
  frame?: Maybe<Frame>;
  /** The other users of a room over [from, to) or the `last` seconds, found from `userIds` through the senders of their DOWN streams, round by round (each round shares upstream calls), within `maxUsers` and `maxRounds`. Users are found as the senders of DOWN streams: a user who only receives is nobody’s peer and is not listed unless given in `userIds`. The cost limit counts the most calls the bounds allow. Null, with an error at this path, when a round’s data could not be fetched. */
  participants?: Maybe<Participants>;
  /** A room, to ask for several of its users with aliases in one operation. */
  room: Room;
  /** Several users of a room over [from, to) or the `last` seconds, judged by incident rules and the E-model score, ranked worst first. Costs the same shared upstream calls as their series. Null, with an error at this path, when a user’s data could not be fetched. */
  roomOverview?: Maybe<RoomOverview>;
};


/** Call quality of Volcengine RTC rooms, per user, as time series. */
export type QueryCallQualityArgs = {
  appId: Scalars['ID']['input'];
  directions?: Array<Direction>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  roomId: Scalars['ID']['input'];
  to?: InputMaybe<Scalars['DateTime']['input']>;
  userIds: Array<Scalars['ID']['input']>;
};


/** Call quality of Volcengine RTC rooms, per user, as time series. */
export type QueryFrameArgs = {
  aggregate?: Aggregate;
  appId: Scalars['ID']['input'];
  directions?: Array<Direction>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  maxDataPoints?: InputMaybe<Scalars['Int']['input']>;
  metric: Scalars['String']['input'];
  roomId: Scalars['ID']['input'];
  step?: InputMaybe<Scalars['Int']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  userIds: Array<Scalars['ID']['input']>;
};


/** Call quality of Volcengine RTC rooms, per user, as time series. */
export type QueryParticipantsArgs = {
  appId: Scalars['ID']['input'];
  from?: InputMaybe<Scalars['DateTime']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  maxRounds?: Scalars['Int']['input'];
  maxUsers?: Scalars['Int']['input'];
  roomId: Scalars['ID']['input'];
  to?: InputMaybe<Scalars['DateTime']['input']>;
  userIds: Array<Scalars['ID']['input']>;
};


/** Call quality of Volcengine RTC rooms, per user, as time series. */
export type QueryRoomArgs = {
  appId: Scalars['ID']['input'];
  roomId: Scalars['ID']['input'];
};


/** Call quality of Volcengine RTC rooms, per user, as time series. */
export type QueryRoomOverviewArgs = {
  appId: Scalars['ID']['input'];
  directions?: Array<Direction>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  roomId: Scalars['ID']['input'];
  rules?: InputMaybe<Array<IncidentRuleInput>>;
  step?: Scalars['Int']['input'];
  to?: InputMaybe<Scalars['DateTime']['input']>;
  userIds: Array<Scalars['ID']['input']>;
};

/** Users of a room the gateway keeps recorded: their settled slots are fetched as they settle and kept in the archive, past the upstream’s 6-day retention, until `until`. */
export type Recording = {
  __typename?: 'Recording';
  /** The RTC application. */
  appId: Scalars['ID']['output'];
  /** Where recording starts: the start of the slot holding the `from` asked for. */
  from: Scalars['DateTime']['output'];
  /** The room. */
  roomId: Scalars['ID']['output'];
  /** Where recording ends. */
  until: Scalars['DateTime']['output'];
  /** The users recorded. */
  userIds: Array<Scalars['ID']['output']>;
};

/** A room of an RTC application; its users’ call quality is reached through `user`. */
export type Room = {
  __typename?: 'Room';
  /** The RTC application. */
  appId: Scalars['ID']['output'];
  /** The room. */
  roomId: Scalars['ID']['output'];
  /** One user’s call quality; sibling and aliased user fields are batched into shared upstream calls. */
  user: UserCallQuality;
};


/** A room of an RTC application; its users’ call quality is reached through `user`. */
export type RoomUserArgs = {
  directions?: Array<Direction>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  userId: Scalars['ID']['input'];
};

/** A room’s users ranked worst first, and how many were in trouble at each moment. */
export type RoomOverview = {
  __typename?: 'RoomOverview';
  /** Every bucket of the range, unix ms, epoch-aligned. */
  times: Array<Scalars['Float']['output']>;
  /** Worst first: the lowest worst score (users that could not be rated last), then the most time in incidents, then in the order asked. */
  users: Array<UserOverview>;
  /** `usersInIncident[i]`: how many users had an incident overlapping the bucket at `times[i]`. */
  usersInIncident: Array<Scalars['Int']['output']>;
};

/** A metric’s points as two columns of equal length, the shape charting libraries take (e.g. uPlot, ECharts). */
export type Series = {
  __typename?: 'Series';
  /** Sample times in unix milliseconds, increasing. */
  times: Array<Scalars['Float']['output']>;
  /** Sample values, `values[i]` taken at `times[i]`. */
  values: Array<Scalars['Float']['output']>;
};

/** The metrics of one media stream of a user: what it sends (UP), or what it receives from one peer (DOWN). */
export type Stream = {
  __typename?: 'Stream';
  /** UP: sent by the user; DOWN: received. */
  direction: Direction;
  /** Intervals where the stream was in trouble by the rules, in order of their start. */
  incidents: Array<Incident>;
  /** One metric by name; null when this stream has no such metric (an UNKNOWN_METRIC warning in `extensions.warnings` when no stream of the answer has it). */
  metric?: Maybe<Metric>;
  /** All metrics, or those named, in upstream order. A name no stream of the answer has is skipped here and named in an UNKNOWN_METRIC warning (`extensions.warnings`), with the closest known names. */
  metrics: Array<Metric>;
  /** The sending peer of a DOWN stream; null for UP. */
  peerId?: Maybe<Scalars['ID']['output']>;
  /** A quality score and MOS by the E-model, over the range and per bucket. */
  quality: StreamQuality;
};


/** The metrics of one media stream of a user: what it sends (UP), or what it receives from one peer (DOWN). */
export type StreamIncidentsArgs = {
  rules?: InputMaybe<Array<IncidentRuleInput>>;
};


/** The metrics of one media stream of a user: what it sends (UP), or what it receives from one peer (DOWN). */
export type StreamMetricArgs = {
  name: Scalars['String']['input'];
};


/** The metrics of one media stream of a user: what it sends (UP), or what it receives from one peer (DOWN). */
export type StreamMetricsArgs = {
  names?: InputMaybe<Array<Scalars['String']['input']>>;
};

/** How a listener would rate the stream, by the simplified ITU-T G.107 E-model: R = 94.768 - delay effect - 2.5 x loss %, the delay effect from rtt + 2 x jitter + 10 ms (L / 40 below 160 ms, (L - 120) / 10 from there), MOS = 1 + 0.035 R + 7e-6 R (R - 60)(100 - R); averaged over the samples where RTT, jitter and loss are all known. */
export type StreamQuality = {
  __typename?: 'StreamQuality';
  /** The score’s band. */
  band?: Maybe<QualityBand>;
  /** The same per bucket, for a chart. */
  buckets: QualitySeries;
  /** The roles (RTT, JITTER, PACKET_LOSS) the stream lacks for a rating; empty when rated. */
  missingRoles: Array<Scalars['String']['output']>;
  /** The MOS of that score, 1 to 4.5. */
  mos?: Maybe<Scalars['Float']['output']>;
  /** The mean R over the range, 0 to 100; null when the stream cannot be rated (see `missingRoles`). */
  score?: Maybe<Scalars['Float']['output']>;
};


/** How a listener would rate the stream, by the simplified ITU-T G.107 E-model: R = 94.768 - delay effect - 2.5 x loss %, the delay effect from rtt + 2 x jitter + 10 ms (L / 40 below 160 ms, (L - 120) / 10 from there), MOS = 1 + 0.035 R + 7e-6 R (R - 60)(100 - R); averaged over the samples where RTT, jitter and loss are all known. */
export type StreamQualityBucketsArgs = {
  step?: Scalars['Int']['input'];
};

/** Call quality of Volcengine RTC rooms as it arrives. */
export type Subscription = {
  __typename?: 'Subscription';
  /** The call quality of several users of one room over a moving window (the `last` seconds up to now), as it arrives: one event with the whole window, then an event whenever new data has arrived, with only the new points. Subscribers of the same room and directions share one upstream poll (`LIVE_POLL_INTERVAL_MS`), however many they are. At `/graphql` over SSE (GraphQL over SSE, e.g. the `graphql-sse` client) or WebSocket (the `graphql-ws` protocol and client). */
  liveCallQuality: LiveCallQualityEvent;
};


/** Call quality of Volcengine RTC rooms as it arrives. */
export type SubscriptionLiveCallQualityArgs = {
  appId: Scalars['ID']['input'];
  directions?: Array<Direction>;
  last?: Scalars['Int']['input'];
  roomId: Scalars['ID']['input'];
  userIds: Array<Scalars['ID']['input']>;
};

/** The call quality of one user of a room over the half-open range [from, to). */
export type UserCallQuality = {
  __typename?: 'UserCallQuality';
  /** The RTC application. */
  appId: Scalars['ID']['output'];
  /** False while the range reaches into the last ~100 s, which the upstream may still complete. True means the gateway will never answer this range differently: every slot behind it has settled (ended more than the upstream latency plus `CACHE_LATENCY_MARGIN_MS` ago) and is served from a fetch made after that. */
  final: Scalars['Boolean']['output'];
  /** Start of the range (inclusive). */
  from: Scalars['DateTime']['output'];
  /** Every metric name of the user’s streams in the range, once each, in upstream order (UP stream first, then DOWN by peer id): what a metric picker offers. Costs the same upstream data as `streams` (a range already cached costs nothing more) but returns no points. Empty when the user has no data; null, with an error at this path, as for `streams`. */
  metricNames?: Maybe<Array<MetricName>>;
  /** The room. */
  roomId: Scalars['ID']['output'];
  /** One UP stream, and one DOWN stream per sending peer (UP first, then DOWN by peer id); empty when the user has no data in the range; null, with an error at this path, when the upstream data for this user could not be fetched (or the caller may not read this AppId: FORBIDDEN). */
  streams?: Maybe<Array<Stream>>;
  /** End of the range (exclusive). */
  to: Scalars['DateTime']['output'];
  /** The user. */
  userId: Scalars['ID']['output'];
};


/** The call quality of one user of a room over the half-open range [from, to). */
export type UserCallQualityStreamsArgs = {
  direction?: InputMaybe<Direction>;
  peerId?: InputMaybe<Scalars['ID']['input']>;
};

/** One user of the room at a glance: the weakest link of their streams and their time in trouble. */
export type UserOverview = {
  __typename?: 'UserOverview';
  /** Incidents of all their streams. */
  incidentCount: Scalars['Int']['output'];
  /** Seconds in at least one incident of any of their streams, overlaps counted once. */
  incidentSeconds: Scalars['Float']['output'];
  /** The user. */
  userId: Scalars['ID']['output'];
  /** That score’s band. */
  worstBand?: Maybe<QualityBand>;
  /** The direction of the stream that scored it. */
  worstDirection?: Maybe<Direction>;
  /** The metric whose incidents lasted longest; MOS only when no measured metric had one; null without incidents. */
  worstMetric?: Maybe<Scalars['String']['output']>;
  /** The sending peer of that stream, when it is a DOWN stream. */
  worstPeerId?: Maybe<Scalars['ID']['output']>;
  /** The lowest bucket score (0 to 100) of any of their streams; null when none could be rated. */
  worstScore?: Maybe<Scalars['Float']['output']>;
};

export type MetricNamesQueryVariables = Exact<{
  appId: Scalars['ID']['input'];
  roomId: Scalars['ID']['input'];
  userId: Scalars['ID']['input'];
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
}>;


export type MetricNamesQuery = { __typename?: 'Query', callQuality: Array<{ __typename?: 'UserCallQuality', metricNames?: Array<{ __typename?: 'MetricName', name: string, unit: string, description: string }> | null }> };

export type RoomOverviewQueryVariables = Exact<{
  appId: Scalars['ID']['input'];
  roomId: Scalars['ID']['input'];
  userIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
  metrics: Array<Scalars['String']['input']> | Scalars['String']['input'];
  step: Scalars['Int']['input'];
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
}>;


export type RoomOverviewQuery = { __typename?: 'Query', callQuality: Array<{ __typename?: 'UserCallQuality', userId: string, from: string, to: string, final: boolean, streams?: Array<{ __typename?: 'Stream', direction: Direction, peerId?: string | null, metrics: Array<{ __typename?: 'Metric', name: string, unit: string, summary: { __typename?: 'MetricSummary', avg?: number | null, p95?: number | null, max?: number | null, last?: number | null }, series: { __typename?: 'Series', times: Array<number>, values: Array<number> } }> }> | null }> };

export type FrameQueryVariables = Exact<{
  appId: Scalars['ID']['input'];
  roomId: Scalars['ID']['input'];
  userIds: Array<Scalars['ID']['input']> | Scalars['ID']['input'];
  metric: Scalars['String']['input'];
  maxDataPoints?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
}>;


export type FrameQuery = { __typename?: 'Query', frame?: { __typename?: 'Frame', metric: string, unit?: string | null, times: Array<number>, columns: Array<{ __typename?: 'FrameColumn', userId: string, direction: Direction, peerId?: string | null, values: Array<number | null> }> } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const MetricNamesDocument = new TypedDocumentString(`
    query MetricNames($appId: ID!, $roomId: ID!, $userId: ID!, $from: DateTime, $to: DateTime, $last: Int) {
  callQuality(
    appId: $appId
    roomId: $roomId
    userIds: [$userId]
    from: $from
    to: $to
    last: $last
  ) {
    metricNames {
      name
      unit
      description
    }
  }
}
    `, {"hash":"1ec4b9112c3e44acb090bca7da993c02ebd7a4d3543ace8578136c1459175b1f"}) as unknown as TypedDocumentString<MetricNamesQuery, MetricNamesQueryVariables>;
export const RoomOverviewDocument = new TypedDocumentString(`
    query RoomOverview($appId: ID!, $roomId: ID!, $userIds: [ID!]!, $metrics: [String!]!, $step: Int!, $from: DateTime, $to: DateTime, $last: Int) {
  callQuality(
    appId: $appId
    roomId: $roomId
    userIds: $userIds
    from: $from
    to: $to
    last: $last
  ) {
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
    `, {"hash":"0d0d315ba33dfa4730dc977933028ed180c46c0096a858c8f2241cb90b44263b"}) as unknown as TypedDocumentString<RoomOverviewQuery, RoomOverviewQueryVariables>;
export const FrameDocument = new TypedDocumentString(`
    query Frame($appId: ID!, $roomId: ID!, $userIds: [ID!]!, $metric: String!, $maxDataPoints: Int, $from: DateTime, $to: DateTime, $last: Int) {
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
    `, {"hash":"1abe6bab27eb8c795ede21c398d294ea4f71f07395c0b323ada4658d3ec1be7a"}) as unknown as TypedDocumentString<FrameQuery, FrameQueryVariables>;