/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query MetricNames($appId: ID!, $roomId: ID!, $userId: ID!, $from: DateTime, $to: DateTime, $last: Int) {\n    callQuality(appId: $appId, roomId: $roomId, userIds: [$userId], from: $from, to: $to, last: $last) {\n      metricNames {\n        name\n        unit\n        description\n      }\n    }\n  }\n": typeof types.MetricNamesDocument,
    "\n  query RoomOverview(\n    $appId: ID!\n    $roomId: ID!\n    $userIds: [ID!]!\n    $metrics: [String!]!\n    $step: Int!\n    $from: DateTime\n    $to: DateTime\n    $last: Int\n  ) {\n    callQuality(appId: $appId, roomId: $roomId, userIds: $userIds, from: $from, to: $to, last: $last) {\n      userId\n      from\n      to\n      final\n      streams {\n        direction\n        peerId\n        metrics(names: $metrics) {\n          name\n          unit\n          summary {\n            avg\n            p95\n            max\n            last\n          }\n          series(step: $step) {\n            times\n            values\n          }\n        }\n      }\n    }\n  }\n": typeof types.RoomOverviewDocument,
    "\n  query Frame(\n    $appId: ID!\n    $roomId: ID!\n    $userIds: [ID!]!\n    $metric: String!\n    $maxDataPoints: Int\n    $from: DateTime\n    $to: DateTime\n    $last: Int\n  ) {\n    frame(\n      appId: $appId\n      roomId: $roomId\n      userIds: $userIds\n      metric: $metric\n      maxDataPoints: $maxDataPoints\n      from: $from\n      to: $to\n      last: $last\n    ) {\n      metric\n      unit\n      times\n      columns {\n        userId\n        direction\n        peerId\n        values\n      }\n    }\n  }\n": typeof types.FrameDocument,
};
const documents: Documents = {
    "\n  query MetricNames($appId: ID!, $roomId: ID!, $userId: ID!, $from: DateTime, $to: DateTime, $last: Int) {\n    callQuality(appId: $appId, roomId: $roomId, userIds: [$userId], from: $from, to: $to, last: $last) {\n      metricNames {\n        name\n        unit\n        description\n      }\n    }\n  }\n": types.MetricNamesDocument,
    "\n  query RoomOverview(\n    $appId: ID!\n    $roomId: ID!\n    $userIds: [ID!]!\n    $metrics: [String!]!\n    $step: Int!\n    $from: DateTime\n    $to: DateTime\n    $last: Int\n  ) {\n    callQuality(appId: $appId, roomId: $roomId, userIds: $userIds, from: $from, to: $to, last: $last) {\n      userId\n      from\n      to\n      final\n      streams {\n        direction\n        peerId\n        metrics(names: $metrics) {\n          name\n          unit\n          summary {\n            avg\n            p95\n            max\n            last\n          }\n          series(step: $step) {\n            times\n            values\n          }\n        }\n      }\n    }\n  }\n": types.RoomOverviewDocument,
    "\n  query Frame(\n    $appId: ID!\n    $roomId: ID!\n    $userIds: [ID!]!\n    $metric: String!\n    $maxDataPoints: Int\n    $from: DateTime\n    $to: DateTime\n    $last: Int\n  ) {\n    frame(\n      appId: $appId\n      roomId: $roomId\n      userIds: $userIds\n      metric: $metric\n      maxDataPoints: $maxDataPoints\n      from: $from\n      to: $to\n      last: $last\n    ) {\n      metric\n      unit\n      times\n      columns {\n        userId\n        direction\n        peerId\n        values\n      }\n    }\n  }\n": types.FrameDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MetricNames($appId: ID!, $roomId: ID!, $userId: ID!, $from: DateTime, $to: DateTime, $last: Int) {\n    callQuality(appId: $appId, roomId: $roomId, userIds: [$userId], from: $from, to: $to, last: $last) {\n      metricNames {\n        name\n        unit\n        description\n      }\n    }\n  }\n"): typeof import('./graphql.js').MetricNamesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RoomOverview(\n    $appId: ID!\n    $roomId: ID!\n    $userIds: [ID!]!\n    $metrics: [String!]!\n    $step: Int!\n    $from: DateTime\n    $to: DateTime\n    $last: Int\n  ) {\n    callQuality(appId: $appId, roomId: $roomId, userIds: $userIds, from: $from, to: $to, last: $last) {\n      userId\n      from\n      to\n      final\n      streams {\n        direction\n        peerId\n        metrics(names: $metrics) {\n          name\n          unit\n          summary {\n            avg\n            p95\n            max\n            last\n          }\n          series(step: $step) {\n            times\n            values\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql.js').RoomOverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Frame(\n    $appId: ID!\n    $roomId: ID!\n    $userIds: [ID!]!\n    $metric: String!\n    $maxDataPoints: Int\n    $from: DateTime\n    $to: DateTime\n    $last: Int\n  ) {\n    frame(\n      appId: $appId\n      roomId: $roomId\n      userIds: $userIds\n      metric: $metric\n      maxDataPoints: $maxDataPoints\n      from: $from\n      to: $to\n      last: $last\n    ) {\n      metric\n      unit\n      times\n      columns {\n        userId\n        direction\n        peerId\n        values\n      }\n    }\n  }\n"): typeof import('./graphql.js').FrameDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
