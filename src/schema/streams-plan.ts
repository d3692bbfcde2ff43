/**
 * Plans for the `streams` selections the fast path prints itself (streams-printer.ts) instead of leaving them to
 * graphql-js's executor, which makes a path object, an info object and a result object for each of the ~1900
 * fields of a 20-user dashboard poll, and then has JSON.stringify walk them.
 *
 * A plan is compiled once per document (the parse cache keeps a polled operation's document the same object)
 * and holds only what the printer must do: fields merged by response key in the executor's order, aliases,
 * `__typename`, fragments inlined. Only the fields below are printable, chosen because each of their errors
 * reaches `streams` itself, through non-null types (Stream!, [Metric!]!, Series!, [Float!]!): the answer
 * then holds `streams: null` and that one error, which the printer can give exactly as the executor does. A
 * selection with anything else (incidents, quality, summary, points, `metric`, a directive) is not printable,
 * and its document is executed as before.
 */
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLLeafType,
  type GraphQLObjectType,
  getArgumentValues,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type { StreamDetail } from '../model/call-detail.js';
import type { PointColumns } from '../resolvers/downsample.js';
import type { GatewayContext } from './context.js';
import { spendSeries } from './metric.js';
import { askMetrics } from './stream.js';

type FieldKind = 'leaf' | 'list' | 'object' | 'column';

/**
 * What a resolver does beside answering, on what it answered from (`source`) or with (`value`): the printer
 * replays it for streams it found printed (streams-printer.ts), in the order the resolvers would have run.
 */
export interface FieldEffect {
  readonly on: 'source' | 'value';
  run(subject: unknown, args: Record<string, unknown>, context: GatewayContext): void;
}

interface Printable {
  readonly kind: FieldKind;
  readonly effect?: FieldEffect;
}

/**
 * The printable fields, by type: every one's resolver is synchronous, reads nothing of `info`, and answers the
 * same for the same source and arguments; whatever else it does is its `effect` here, the very function the
 * resolver calls (a resolver doing anything more must not be printable).
 */
const PRINTABLE: Readonly<Record<string, Readonly<Record<string, Printable>>>> = {
  Stream: {
    direction: { kind: 'leaf' },
    peerId: { kind: 'leaf' },
    metrics: {
      kind: 'list',
      effect: {
        on: 'source',
        run: (stream, args, context) =>
          askMetrics(stream as StreamDetail, args.names as readonly string[] | null | undefined, context),
      },
    },
  },
  Metric: {
    name: { kind: 'leaf' },
    description: { kind: 'leaf' },
    unit: { kind: 'leaf' },
    series: {
      kind: 'object',
      effect: {
        on: 'value',
        run: (columns, _args, context) => spendSeries(columns as PointColumns, context),
      },
    },
  },
  Series: { times: { kind: 'column' }, values: { kind: 'column' } },
};

interface PlannedBase {
  /** The response key: the alias, or the field's name. */
  readonly key: string;
  /** What precedes the value in the object's JSON: `"key":`, after a comma for all fields but the first. */
  readonly prefix: string;
  readonly nodes: readonly FieldNode[];
}

export interface PlannedTypename extends PlannedBase {
  readonly kind: 'typename';
  /** The type's name as JSON. */
  readonly json: string;
}

interface PlannedResolved extends PlannedBase {
  readonly def: GraphQLField<unknown, unknown>;
  /** `Type.field`, as the executor's messages name it. */
  readonly coordinate: string;
  /** The arguments, per operation's variables (one object per execution). */
  readonly args: WeakMap<object, Record<string, unknown>>;
  readonly effect: FieldEffect | undefined;
}

export interface PlannedLeaf extends PlannedResolved {
  readonly kind: 'leaf';
  readonly type: GraphQLLeafType;
  readonly nonNull: boolean;
}

/** A non-null list of non-null objects, or a non-null object: either way, nothing in it may be null. */
export interface PlannedObjects extends PlannedResolved {
  readonly kind: 'list' | 'object';
  readonly fields: readonly PlannedField[];
}

export interface PlannedColumn extends PlannedBase {
  readonly kind: 'column';
  readonly column: 'times' | 'values';
}

export type PlannedField = PlannedTypename | PlannedLeaf | PlannedObjects | PlannedColumn;

/** What the printer prints of each stream of a `streams` field. */
export interface StreamsPlan {
  readonly fields: readonly PlannedField[];
  /** Every field taking arguments, in the plan's order: what `argumentsKey` reads. */
  readonly argued: readonly (PlannedLeaf | PlannedObjects)[];
  /** argumentsKey's answers, per operation's variables. */
  readonly keys: WeakMap<object, string>;
}

type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

/**
 * The selections' fields by response key, in order of first appearance, as graphql-js collects them; false
 * when one cannot be printed: a directive (`@skip`, `@include`), or a fragment on another type.
 */
function collect(
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  fragments: Fragments,
  into: Map<string, FieldNode[]>,
  spread: Set<string>,
): boolean {
  for (const set of sets) {
    for (const selection of set.selections) {
      if (selection.directives !== undefined && selection.directives.length > 0) return false;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const nodes = into.get(key);
        if (nodes === undefined) into.set(key, [selection]);
        else nodes.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value ?? type.name;
        if (condition !== type.name || !collect(type, [selection.selectionSet], fragments, into, spread))
          return false;
      } else {
        const name = selection.name.value;
        if (spread.has(name)) continue;
        spread.add(name);
        const fragment = fragments[name];
        if (fragment === undefined || fragment.typeCondition.name.value !== type.name) return false;
        if (!collect(type, [fragment.selectionSet], fragments, into, spread)) return false;
      }
    }
  }
  return true;
}

function planFields(
  type: GraphQLObjectType,
  sets: readonly SelectionSetNode[],
  fragments: Fragments,
): PlannedField[] | null {
  const printable = PRINTABLE[type.name];
  const collected = new Map<string, FieldNode[]>();
  if (printable === undefined || !collect(type, sets, fragments, collected, new Set())) return null;
  const fields: PlannedField[] = [];
  for (const [key, nodes] of collected) {
    const prefix = `${fields.length > 0 ? ',' : ''}${JSON.stringify(key)}:`;
    const name = (nodes[0] as FieldNode).name.value;
    if (name === '__typename') {
      fields.push({ kind: 'typename', key, prefix, nodes, json: JSON.stringify(type.name) });
      continue;
    }
    const kind = printable[name]?.kind;
    const effect = printable[name]?.effect;
    const def = type.getFields()[name];
    if (kind === undefined || def === undefined) return null;
    if (kind === 'column') {
      fields.push({ kind, key, prefix, nodes, column: name as 'times' | 'values' });
      continue;
    }
    const coordinate = `${type.name}.${name}`;
    const resolved = { key, prefix, nodes, def, coordinate, args: new WeakMap(), effect };
    if (kind === 'leaf') {
      const leaf = getNamedType(def.type);
      if (!isLeafType(leaf)) return null;
      fields.push({ kind, ...resolved, type: leaf, nonNull: isNonNullType(def.type) });
      continue;
    }
    const child = getNamedType(def.type);
    if (!isNonNullType(def.type) || !isObjectType(child)) return null;
    if (kind === 'list') {
      const list = def.type.ofType;
      if (!isListType(list) || !isNonNullType(list.ofType)) return null;
    }
    const sub = planFields(
      child,
      nodes.flatMap((node) => (node.selectionSet === undefined ? [] : [node.selectionSet])),
      fragments,
    );
    if (sub === null) return null;
    fields.push({ kind, ...resolved, fields: sub });
  }
  return fields;
}

/** The plan for a `streams` field's nodes (one per occurrence under its response key), or null. */
export function planStreams(
  stream: GraphQLObjectType,
  nodes: readonly FieldNode[],
  fragments: Fragments,
): StreamsPlan | null {
  const fields = planFields(
    stream,
    nodes.flatMap((node) => (node.selectionSet === undefined ? [] : [node.selectionSet])),
    fragments,
  );
  if (fields === null) return null;
  const argued: Array<PlannedLeaf | PlannedObjects> = [];
  const visit = (planned: readonly PlannedField[]) => {
    for (const field of planned) {
      if (
        (field.kind === 'leaf' || field.kind === 'list' || field.kind === 'object') &&
        field.def.args.length > 0
      ) {
        argued.push(field);
      }
      if (field.kind === 'list' || field.kind === 'object') visit(field.fields);
    }
  };
  visit(fields);
  return { fields, argued, keys: new WeakMap() };
}

/**
 * The plan's arguments under the operation's variables, as one string: two operations print the same streams
 * the same when their plans and these are equal. Throws as argumentsOf does.
 */
export function argumentsKey(plan: StreamsPlan, variables: object): string {
  const known = plan.keys.get(variables);
  if (known !== undefined) return known;
  const key = JSON.stringify(plan.argued.map((field) => argumentsOf(field, variables)));
  plan.keys.set(variables, key);
  return key;
}

const NO_ARGUMENTS: Record<string, unknown> = Object.freeze({});

/**
 * A field's arguments under the operation's variables, coerced as the executor does; thrown as the executor
 * would throw them, at the field's first execution.
 */
export function argumentsOf(field: PlannedLeaf | PlannedObjects, variables: object): Record<string, unknown> {
  if (field.def.args.length === 0) return NO_ARGUMENTS;
  const known = field.args.get(variables);
  if (known !== undefined) return known;
  const args = getArgumentValues(
    field.def,
    field.nodes[0] as FieldNode,
    variables as Record<string, unknown>,
  );
  field.args.set(variables, args);
  return args;
}
