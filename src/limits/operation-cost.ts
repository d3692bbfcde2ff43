/**
 * The upstream cost of a GraphQL operation, known before it runs: the ListCallDetail calls it would need if
 * nothing were cached. It reads the operation the way execution will (the chosen operation, coerced variables,
 * fragments, `@skip`/`@include`, arguments through the schema's scalars) and gathers what the data root
 * fields would load: `frame`, `roomOverview` and `liveCallQuality` (its first window) whatever they select,
 * `callQuality` and `room { user }` only where `streams` or `metricNames` is selected, since nothing else of
 * theirs reaches the upstream, and `participants` as many calls as its bounds allow. Fields that execution
 * would refuse as bad input cost nothing.
 */
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isAbstractType,
  isObjectType,
  Kind,
  OperationTypeNode,
  type SelectionSetNode,
  typeFromAST,
} from 'graphql';
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import type { StreamDirection } from '../model/call-detail.js';
import { getOrInsert } from '../model/get-or-insert.js';
import { type CallQualityRequest, planRange, planUserCallQuality } from '../resolvers/call-quality.js';
import { checkId } from '../resolvers/ids.js';
import { checkDiscoveryBounds, discoveryCostRequests } from '../resolvers/insights/participant-discovery.js';
import type { RangeArgs } from '../resolvers/time-range.js';
import { archivedSlots } from './archived-slots.js';
import { coldCacheCalls } from './cold-cache-calls.js';

/** An operation as a client sent it, and the instant it is judged at. */
export interface OperationInput {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly operationName?: string | null;
  /** Raw, as the client sent them: coerced here as execution will. */
  readonly variables?: Readonly<Record<string, unknown>> | null;
  /** The request's instant, which decides (as in the resolvers) whether a range is valid. */
  readonly nowMs: number;
  /** How far back a range may start, as in the resolvers; default the upstream's retention. */
  readonly retentionMs?: number;
}

export interface OperationCostInput extends OperationInput {
  readonly slotMs: number;
  /** Stop counting once the cost is known to exceed this; the answer is then a lower bound above it. */
  readonly stopAbove?: number;
}

/** What an operation asks of the gateway, read once (variables coerced, fragments indexed) and asked twice. */
export interface OperationDemand {
  /**
   * How many user entries execution would build: every id of every `callQuality` and `frame` field and every
   * `room.user`, aliases and repeats included, whatever they select. Cheap to count (no id is looked at), it bounds the
   * work an operation that costs few upstream calls can still cause: 250 aliases sharing one 50 000-id
   * variable cost what 50 000 users cost upstream, but would build 12.5 million entries.
   */
  userEntries(): number;
  /** Upstream calls it would need with a cold cache: exact up to `stopAbove`, a lower bound above it. */
  upstreamCalls(options: { readonly slotMs: number; readonly stopAbove?: number }): number;
  /** Slots it would read from the archive at most (its ranges past the upstream's retention). */
  archivedSlots(options: { readonly slotMs: number }): number;
}

/** What the walk needs at every level. */
interface Walk {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly variables: Record<string, unknown>;
  readonly nowMs: number;
  readonly retentionMs: number | undefined;
}

/**
 * Reads an operation as execution will. One that execution rejects as a whole (unknown operation, variables
 * that do not coerce) asks for nothing.
 */
export function operationDemand(input: OperationInput): OperationDemand {
  const operation = getOperationAST(input.document, input.operationName ?? undefined);
  // A subscription's root fields load their first window as a query's do.
  const rootType =
    operation?.operation === OperationTypeNode.QUERY
      ? input.schema.getQueryType()
      : operation?.operation === OperationTypeNode.SUBSCRIPTION
        ? input.schema.getSubscriptionType()
        : null;
  if (!operation || !rootType) return NOTHING;
  const definitions = operation.variableDefinitions ?? [];
  const coerced = getVariableValues(input.schema, definitions, input.variables ?? {}, { maxErrors: 1 });
  if (coerced.errors) return NOTHING;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of input.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const walk: Walk = {
    schema: input.schema,
    fragments,
    variables: coerced.coerced,
    nowMs: input.nowMs,
    retentionMs: input.retentionMs,
  };
  const { selectionSet } = operation;
  // Read once for both counts: the cost limit asks for each.
  let requests: CallQualityRequest[] | undefined;
  const requested = () => {
    requests ??= requestsOf(walk, rootType, selectionSet);
    return requests;
  };
  return {
    userEntries: () => userEntriesOf(walk, rootType, selectionSet),
    upstreamCalls: (options) => coldCacheCalls(requested(), { ...options, nowMs: input.nowMs }),
    archivedSlots: (options) => archivedSlots(requested(), { ...options, nowMs: input.nowMs }),
  };
}

const NOTHING: OperationDemand = { userEntries: () => 0, upstreamCalls: () => 0, archivedSlots: () => 0 };

/** Root fields (of queries and subscriptions) that take a room's `userIds` and range. */
const USER_LIST_FIELDS = new Set(['callQuality', 'frame', 'roomOverview', 'liveCallQuality']);
/** Of those, the ones that load their users' streams whatever they select (a subscription: its first window). */
const ALWAYS_LOADING_FIELDS = new Set(['frame', 'roomOverview', 'liveCallQuality']);

/** The cold-cache upstream calls of an operation (see OperationDemand.upstreamCalls). */
export function operationCost(input: OperationCostInput): number {
  return operationDemand(input).upstreamCalls({ slotMs: input.slotMs, stopAbove: input.stopAbove });
}

function userEntriesOf(walk: Walk, queryType: GraphQLObjectType, selectionSet: SelectionSetNode): number {
  let entries = 0;
  for (const nodes of collectFields(walk, queryType, [selectionSet]).values()) {
    const field = queryType.getFields()[fieldName(nodes)];
    if (field !== undefined && USER_LIST_FIELDS.has(field.name)) {
      const userIds = argumentsOf(walk, field, nodes)?.userIds;
      if (Array.isArray(userIds)) entries += userIds.length;
    } else if (field?.name === 'participants') {
      const args = argumentsOf(walk, field, nodes);
      if (typeof args?.maxUsers === 'number') entries += args.maxUsers;
    } else if (field?.name === 'room') {
      const roomType = getNamedType(field.type);
      if (!isObjectType(roomType)) continue;
      for (const userNodes of collectFields(walk, roomType, selectionSetsOf(nodes)).values()) {
        if (fieldName(userNodes) === 'user') entries++;
      }
    }
  }
  return entries;
}

/** The requests the root fields would load, one per user-list field and one per `room { user }`. */
function requestsOf(
  walk: Walk,
  queryType: GraphQLObjectType,
  selectionSet: SelectionSetNode,
): CallQualityRequest[] {
  const requests: CallQualityRequest[] = [];
  for (const nodes of collectFields(walk, queryType, [selectionSet]).values()) {
    const field = queryType.getFields()[fieldName(nodes)];
    if (field !== undefined && USER_LIST_FIELDS.has(field.name)) {
      const args = argumentsOf(walk, field, nodes);
      if (!args || (!ALWAYS_LOADING_FIELDS.has(field.name) && !selectsStreams(walk, field, nodes))) continue;
      const range = rangeOf(args, walk);
      if (!range) continue;
      // IDs are strings once coerced; the list is kept as is, so aliases sharing a variable share one array.
      const request = { ...roomOf(args), userIds: args.userIds as string[], ...range };
      if (isValidCallQuality(request, walk)) requests.push(request);
    } else if (field?.name === 'participants') {
      const args = argumentsOf(walk, field, nodes);
      const range = args && rangeOf({ ...args, directions: ['down'] }, walk);
      if (!args || !range) continue;
      const bounds = { maxUsers: args.maxUsers as number, maxRounds: args.maxRounds as number };
      const seeds = (args.userIds as string[]).map(String);
      if (!isValid(() => checkDiscoveryBounds(bounds, seeds))) continue;
      if (!isValidCallQuality({ ...roomOf(args), userIds: seeds, ...range }, walk)) continue;
      requests.push(...discoveryCostRequests({ ...roomOf(args), ...range }, bounds));
    } else if (field?.name === 'room') {
      const args = argumentsOf(walk, field, nodes);
      const roomType = getNamedType(field.type);
      if (!args || !isObjectType(roomType)) continue;
      const room = roomOf(args);
      for (const userNodes of collectFields(walk, roomType, selectionSetsOf(nodes)).values()) {
        const userField = roomType.getFields()[fieldName(userNodes)];
        if (userField?.name !== 'user') continue;
        const userArgs = argumentsOf(walk, userField, userNodes);
        if (!userArgs || !selectsStreams(walk, userField, userNodes)) continue;
        const userId = String(userArgs.userId);
        const range = rangeOf(userArgs, walk);
        if (
          range &&
          isValid(() => planUserCallQuality({ ...room, userId, ...range }, walk.nowMs, walk.retentionMs))
        ) {
          requests.push({ ...room, userIds: [userId], ...range });
        }
      }
    }
  }
  return requests;
}

function roomOf(args: Record<string, unknown>) {
  return { appId: String(args.appId), roomId: String(args.roomId) };
}

/**
 * The range arguments (already parsed by the DateTime scalar and the Direction enum) resolved into the range
 * execution would serve (`last`, `to` defaulting to now, a clamped `from`), or null where it would refuse them.
 */
function rangeOf(args: Record<string, unknown>, walk: Walk) {
  try {
    const range = planRange(args as RangeArgs, walk.nowMs, walk.retentionMs);
    return { fromMs: range.fromMs, toMs: range.toMs, directions: args.directions as StreamDirection[] };
  } catch (error) {
    if (error instanceof InvalidArgumentError) return null;
    throw error;
  }
}

/**
 * What planCallQuality accepts, without building its entry per user (a refused 100 000-user list would
 * otherwise cost 100 000 objects): the range and first id as for one user, then every id.
 */
function isValidCallQuality(request: CallQualityRequest, walk: Walk): boolean {
  const [first] = request.userIds;
  if (first === undefined) return false;
  return isValid(() => {
    planUserCallQuality({ ...request, userId: first }, walk.nowMs, walk.retentionMs);
    for (const userId of request.userIds) checkId('userIds', userId);
  });
}

/** Whether the resolvers' own checks accept the request (they throw InvalidArgumentError, as execution would). */
function isValid(check: () => unknown): boolean {
  try {
    check();
    return true;
  } catch (error) {
    if (error instanceof InvalidArgumentError) return false;
    throw error;
  }
}

/** Arguments as execution coerces them (from the first node, as execution does), or null where it would fail. */
function argumentsOf(
  walk: Walk,
  field: GraphQLField<unknown, unknown>,
  nodes: readonly FieldNode[],
): Record<string, unknown> | null {
  try {
    return getArgumentValues(field, nodes[0] as FieldNode, walk.variables);
  } catch {
    return null;
  }
}

/** The fields of a user entry that load its upstream data; the rest of it is known without. */
const UPSTREAM_FIELDS = new Set(['streams', 'metricNames']);

function selectsStreams(walk: Walk, field: GraphQLField<unknown, unknown>, nodes: readonly FieldNode[]) {
  const type = getNamedType(field.type);
  if (!isObjectType(type)) return false;
  for (const subNodes of collectFields(walk, type, selectionSetsOf(nodes)).values()) {
    if (UPSTREAM_FIELDS.has(fieldName(subNodes))) return true;
  }
  return false;
}

function fieldName(nodes: readonly FieldNode[]): string {
  return (nodes[0] as FieldNode).name.value;
}

function selectionSetsOf(nodes: readonly FieldNode[]): SelectionSetNode[] {
  return nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
}

/**
 * The fields selected on `type`, grouped by response key, as graphql-js's `collectFields` groups them: through
 * inline fragments and named fragments (each once) whose type condition applies, minus what `@skip`/`@include`
 * leave out.
 */
function collectFields(
  walk: Walk,
  type: GraphQLObjectType,
  selectionSets: readonly SelectionSetNode[],
): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const applies = (condition: FragmentDefinitionNode['typeCondition'] | undefined) => {
    if (!condition) return true;
    const conditionType = typeFromAST(walk.schema, condition);
    if (conditionType === type) return true;
    return isAbstractType(conditionType) && walk.schema.isSubType(conditionType, type);
  };
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (!isIncluded(walk, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        getOrInsert(fields, selection.alias?.value ?? selection.name.value, () => []).push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition)) visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = walk.fragments.get(name);
        if (visited.has(name) || !fragment) continue;
        visited.add(name);
        if (applies(fragment.typeCondition)) visit(fragment.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet);
  return fields;
}

function isIncluded(walk: Walk, node: SelectionSetNode['selections'][number]): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, walk.variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, walk.variables)?.if !== false;
}
