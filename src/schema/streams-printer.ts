/**
 * Prints one user's `streams` by its plan (streams-plan.ts): each field's resolver is called as the executor
 * calls it, in the executor's order, so what resolvers count (the output budget, the metric names asked) and
 * the first error are the executor's; but no path, info or result object is made, and the JSON is printed
 * straight to bytes.
 *
 * The printer first resolves every field and records what it read on a tape, then prints the tape. Streams
 * found printed before (the very stream objects, under the same plan and arguments: resolvers/printed-streams.ts)
 * are not walked at all: their JSON is the same, and what their resolvers did beside answering is done again.
 * A field's error is located as the executor locates it (its nodes, its path); since every printable field's
 * error reaches `streams` through non-null types, throwing it from the `streams` field gives the executor's
 * answer: `streams: null`, and that error.
 */
import { type GraphQLResolveInfo, locatedError, responsePathAsArray } from 'graphql';
import { inspect } from 'graphql/jsutils/inspect.js';
import { columnSinkOf, printedStreamsOf } from '../resolvers/column-sink.js';
import type { PointColumns } from '../resolvers/downsample.js';
import { isNonFinite, type KeptColumn } from '../resolvers/kept-columns.js';
import { columnItemError } from './column-item-error.js';
import type { GatewayContext } from './context.js';
import {
  argumentsKey,
  argumentsOf,
  type PlannedColumn,
  type PlannedField,
  type PlannedLeaf,
  type PlannedObjects,
  type StreamsPlan,
} from './streams-plan.js';
import { printTape } from './streams-tape.js';

const EMPTY_LIST = Buffer.from('[]');
const NO_CONTEXT: object = Object.freeze({});

/** graphql-js's defaultFieldResolver, for a field name of its own. */
function propertyOf(source: unknown, name: string, args: object, context: object, info: GraphQLResolveInfo) {
  if ((typeof source !== 'object' || source === null) && typeof source !== 'function') return undefined;
  const property: unknown = (source as Record<string, unknown>)[name];
  if (typeof property === 'function') return property.call(source, args, context, info);
  return property;
}

/**
 * Resolves the fields of one user's streams onto a tape; throws each field's error located. One walk serves
 * every print, cleared after each (a print runs to its end synchronously), so printing makes no tape of its
 * own. The tape is overwritten, never shrunk (setting an array's length to 0 lets its storage go): its first
 * `size` values count.
 */
class Walk {
  readonly tape: unknown[] = [];
  size = 0;
  /** Each effect the resolvers ran, as its field then its subject (see FieldEffect); its first `effectsSize`. */
  readonly effects: unknown[] = [];
  effectsSize = 0;
  /** The path below `streams` of the field being resolved: read only to locate an error. */
  readonly #path: Array<string | number> = [];
  #context: object = NO_CONTEXT;
  #info: GraphQLResolveInfo | undefined;

  /** Lets go of the last print's request (its context holds the request's loaded data) and streams. */
  clear(): void {
    this.tape.fill(undefined, 0, this.size);
    this.size = 0;
    this.effects.fill(undefined, 0, this.effectsSize);
    this.effectsSize = 0;
    this.#path.length = 0;
    this.#context = NO_CONTEXT;
    this.#info = undefined;
  }

  streams(plan: StreamsPlan, streams: readonly unknown[], context: object, info: GraphQLResolveInfo): void {
    this.#context = context;
    this.#info = info;
    for (let i = 0; i < streams.length; i += 1) {
      this.#path.push(i);
      this.#object(plan.fields, streams[i]);
      this.#path.pop();
    }
    this.#record(streams.length);
  }

  #object(fields: readonly PlannedField[], source: unknown): void {
    for (const field of fields) {
      if (field.kind === 'typename') continue;
      this.#path.push(field.key);
      try {
        if (field.kind === 'column') this.#record(this.#column(field, source));
        else if (field.kind === 'leaf') this.#record(this.#leaf(field, source));
        else this.#objects(field, source);
      } catch (error) {
        throw locatedError(error, field.nodes, this.#errorPath());
      }
      this.#path.pop();
    }
  }

  #record(value: unknown): void {
    this.tape[this.size] = value;
    this.size += 1;
  }

  /** Where the field being resolved is in the answer. */
  #errorPath(): Array<string | number> {
    return [...responsePathAsArray(this.#info?.path), ...this.#path];
  }

  #resolve(field: PlannedLeaf | PlannedObjects, source: unknown): unknown {
    const info = this.#info as GraphQLResolveInfo;
    const args = argumentsOf(field, info.variableValues);
    const { resolve } = field.def;
    // Pothos's exposed fields have no resolver: the executor's default reads the property of the field's name,
    // which `info` (the `streams` field's) would not give.
    const value = resolve
      ? resolve(source, args, this.#context, info)
      : propertyOf(source, field.def.name, args, this.#context, info);
    if (value instanceof Error) throw value;
    if (value instanceof Promise) throw new Error(`${field.coordinate} resolved asynchronously, unprintable`);
    if (field.effect !== undefined) {
      this.effects[this.effectsSize] = field;
      this.effects[this.effectsSize + 1] = field.effect.on === 'source' ? source : value;
      this.effectsSize += 2;
    }
    return value;
  }

  #leaf(field: PlannedLeaf, source: unknown): unknown {
    const value = this.#resolve(field, source);
    if (value === null || value === undefined) {
      if (field.nonNull) throw new Error(`Cannot return null for non-nullable field ${field.coordinate}.`);
      return null;
    }
    const serialized = field.type.serialize(value);
    if (serialized === null || serialized === undefined) {
      throw new Error(
        `Expected \`${inspect(field.type)}.serialize(${inspect(value)})\` to return non-nullable value, returned: ${inspect(serialized)}`,
      );
    }
    return serialized;
  }

  #objects(field: PlannedObjects, source: unknown): void {
    const value = this.#resolve(field, source);
    if (value === null || value === undefined) {
      throw new Error(`Cannot return null for non-nullable field ${field.coordinate}.`);
    }
    if (field.kind === 'object') {
      this.#object(field.fields, value);
      return;
    }
    const items = value as readonly unknown[];
    this.#record(items.length);
    for (let i = 0; i < items.length; i += 1) {
      this.#path.push(i);
      const item = items[i];
      if (item instanceof Error) throw item;
      if (item === null || item === undefined) {
        throw new Error(`Cannot return null for non-nullable field ${field.coordinate}.`);
      }
      this.#object(field.fields, item);
      this.#path.pop();
    }
  }

  #column(field: PlannedColumn, series: unknown): KeptColumn {
    const kept = columnSinkOf(this.#context).keptColumn(series as PointColumns, field.column);
    if (isNonFinite(kept)) {
      throw columnItemError(kept, field.nodes, this.#errorPath());
    }
    return kept;
  }
}

const walk = new Walk();

/** The plan's arguments key, or none when an argument does not bind (the walk then throws where it should). */
function keyOf(plan: StreamsPlan, variables: object): string | undefined {
  try {
    return argumentsKey(plan, variables);
  } catch {
    return undefined;
  }
}

/**
 * Does again what the resolvers did beside answering, in their order. A failure (the output budget spent) is
 * thrown from `streams` as it comes: the output limit answers the whole operation with its one error anyway.
 */
function replay(effects: readonly unknown[], context: GatewayContext, variables: object): void {
  for (let i = 0; i < effects.length; i += 2) {
    const field = effects[i] as PlannedLeaf | PlannedObjects;
    field.effect?.run(effects[i + 1], argumentsOf(field, variables), context);
  }
}

/**
 * The column token standing for one user's streams printed by `plan`, or found printed of the same streams
 * under the same arguments (its resolvers' effects done again); throws the first field error, located.
 */
export function printStreams(
  plan: StreamsPlan,
  streams: readonly unknown[],
  context: GatewayContext,
  info: GraphQLResolveInfo,
): string {
  const sink = columnSinkOf(context);
  if (streams.length === 0) return sink.addJson(EMPTY_LIST);
  const printed = printedStreamsOf(context);
  const key = printed === undefined ? undefined : keyOf(plan, info.variableValues);
  const known = key === undefined ? undefined : printed?.find(plan, key, streams);
  if (known !== undefined) {
    replay(known.effects, context, info.variableValues);
    return sink.addJson(known.json);
  }
  try {
    walk.streams(plan, streams, context, info);
    const json = printTape(plan, walk.tape, walk.size);
    if (key !== undefined) {
      const effects = walk.effects.slice(0, walk.effectsSize);
      printed?.keep({ plan, argumentsKey: key, streams: [...streams], effects, json });
    }
    return sink.addJson(json);
  } finally {
    walk.clear();
  }
}
