// @ts-check
/**
 * The GraphQL operations the page sends, and their variables for a view. They are the public API's own
 * (schema.graphql): this page is its reference client, so anything it shows a user can ask for too, and the
 * GraphiQL link opens exactly these.
 */
import { PRESET_SECONDS } from './view.js';

/** @typedef {import('./view.js').View} View */

const INCIDENT_FIELDS = 'kind metric start end peak threshold';
const STREAM_FIELDS = (/** @type {string} */ series) =>
  `direction peerId incidents { ${INCIDENT_FIELDS} } metrics { name unit ${series} { times values } }`;
const OVERVIEW_FIELDS =
  'users { userId worstScore worstBand worstMetric worstDirection worstPeerId incidentSeconds incidentCount }';

export const DASHBOARD_QUERY = `query Dashboard($appId: ID!, $roomId: ID!, $userIds: [ID!]!, $directions: [Direction!]!, $from: DateTime, $to: DateTime, $last: Int, $step: Int, $overviewStep: Int!) {
  callQuality(appId: $appId, roomId: $roomId, userIds: $userIds, directions: $directions, from: $from, to: $to, last: $last) {
    userId
    streams { ${STREAM_FIELDS('series(step: $step)')} }
  }
  roomOverview(appId: $appId, roomId: $roomId, userIds: $userIds, directions: $directions, from: $from, to: $to, last: $last, step: $overviewStep) {
    ${OVERVIEW_FIELDS}
  }
}`;

export const LIVE_SUBSCRIPTION = `subscription LiveDashboard($appId: ID!, $roomId: ID!, $userIds: [ID!]!, $directions: [Direction!]!, $last: Int!) {
  liveCallQuality(appId: $appId, roomId: $roomId, userIds: $userIds, directions: $directions, last: $last) {
    initial
    windowFrom
    users { userId streams { ${STREAM_FIELDS('series')} } }
  }
}`;

export const LIVE_OVERVIEW_QUERY = `query LiveOverview($appId: ID!, $roomId: ID!, $userIds: [ID!]!, $directions: [Direction!]!, $last: Int!) {
  roomOverview(appId: $appId, roomId: $roomId, userIds: $userIds, directions: $directions, last: $last, step: 60) {
    ${OVERVIEW_FIELDS}
  }
}`;

export const PARTICIPANTS_QUERY = `query Participants($appId: ID!, $roomId: ID!, $userIds: [ID!]!, $from: DateTime, $to: DateTime, $last: Int) {
  participants(appId: $appId, roomId: $roomId, userIds: $userIds, from: $from, to: $to, last: $last) { userIds complete }
}`;

// About this many points per line: enough for a chart a screen wide, few enough for six hours of a big room.
const POINTS_PER_LINE = 360;

/** The range part of the variables: `last` for a preset, `from`/`to` for a custom range. @param {View} view */
export function rangeVariables(view) {
  if (view.range === 'custom') return { from: view.from, to: view.to };
  return { last: PRESET_SECONDS[/** @type {keyof typeof PRESET_SECONDS} */ (view.range)] ?? 3600 };
}

/** Seconds the view's range spans (a custom range as given, even when it is invalid). @param {View} view */
function rangeSeconds(view) {
  const range = rangeVariables(view);
  if (range.last !== undefined) return range.last;
  return Math.max(0, (Date.parse(view.to) - Date.parse(view.from)) / 1000);
}

/** @param {View} view */
export function dashboardVariables(view) {
  const seconds = rangeSeconds(view);
  // Up to an hour, every raw point (samples are seconds apart); longer, epoch-aligned buckets of whole 10 s.
  const step = seconds > 3600 ? Math.ceil(seconds / POINTS_PER_LINE / 10) * 10 : undefined;
  return {
    appId: view.app,
    roomId: view.room,
    userIds: view.users,
    directions: view.directions,
    ...rangeVariables(view),
    step,
    overviewStep: Math.max(60, step ?? 0),
  };
}

/** @param {View} view */
export function liveVariables(view) {
  return {
    appId: view.app,
    roomId: view.room,
    userIds: view.users,
    directions: view.directions,
    last: PRESET_SECONDS.live,
  };
}
