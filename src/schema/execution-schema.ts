/**
 * The schemas operations are executed against, when the column fast path is on (http/column-execution-plugin.ts):
 * copies of the public schema in which each float column (`Series.times`, `Series.values`) completes as ONE
 * value, a token the body's writer replaces with the column's JSON (resolvers/column-sink.ts), instead of one
 * list item per float; and, in the printing copy, each user's `streams` completes as one token too, printed
 * by its plan (streams-printer.ts) when the document's every `streams` selection is printable. Every other
 * type, field, argument and resolver is the public schema's, so an operation validated against the public
 * schema means the same here; the public schema stays what clients introspect and what schema.graphql prints.
 */
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  type FieldNode,
  type GraphQLFieldResolver,
  GraphQLNonNull,
  GraphQLObjectType,
  type GraphQLResolveInfo,
  GraphQLScalarType,
  type GraphQLSchema,
  responsePathAsArray,
} from 'graphql';
import { sameItems } from '../model/same-items.js';
import { columnSinkOf } from '../resolvers/column-sink.js';
import type { PointColumns } from '../resolvers/downsample.js';
import { columnItemError } from './column-item-error.js';
import type { GatewayContext } from './context.js';
import { planStreams, type StreamsPlan } from './streams-plan.js';
import { printStreams } from './streams-printer.js';

/** The columns completed whole: type name, then field name and the column it reads. */
const COLUMN_FIELDS: Readonly<Record<string, Readonly<Record<string, 'times' | 'values'>>>> = {
  Series: { times: 'times', values: 'values' },
};

/** The `streams` fields printed whole in the printing copy: type name, then field name. */
export const PRINTED_STREAMS_FIELD = { type: 'UserCallQuality', field: 'streams' } as const;

/**
 * Never introspected (introspection runs against the public schema): it only carries the token through. One
 * type for both kinds of token, which the body's writer tells apart by nothing: each is JSON to put in place.
 */
const PrintedJson = new GraphQLScalarType({
  name: 'PrintedJson',
  serialize: (token) => token,
});

function columnResolver(column: 'times' | 'values'): GraphQLFieldResolver<PointColumns, object> {
  return (series, _args, context, info) => {
    const added = columnSinkOf(context).addColumn(series, column);
    if (typeof added === 'string') return added;
    throw columnItemError(added, info.fieldNodes, responsePathAsArray(info.path));
  };
}

/** Per `streams` node (the document is kept while polled), the plans compiled for the nodes it comes with. */
const plans = new WeakMap<FieldNode, Array<{ nodes: readonly FieldNode[]; plan: StreamsPlan }>>();

function planOf(stream: GraphQLObjectType, info: GraphQLResolveInfo): StreamsPlan {
  const first = info.fieldNodes[0] as FieldNode;
  const known = plans.get(first) ?? [];
  const found = known.find(({ nodes }) => sameItems(nodes, info.fieldNodes));
  if (found !== undefined) return found.plan;
  const plan = planStreams(stream, info.fieldNodes, info.fragments);
  // The plugin picks the printing copy only for documents whose every `streams` selection has a plan.
  if (plan === null) throw new Error('a streams selection without a plan ran on the printing schema');
  plans.set(first, [...known, { nodes: [...info.fieldNodes], plan }]);
  return plan;
}

function printedStreamsResolver(
  resolve: GraphQLFieldResolver<unknown, GatewayContext>,
  stream: GraphQLObjectType,
): GraphQLFieldResolver<unknown, GatewayContext> {
  return async (source, args, context, info) => {
    const streams: unknown = await resolve(source, args, context, info);
    // Null, or an Error to throw: the executor completes those as it would the list.
    if (!Array.isArray(streams)) return streams;
    return printStreams(planOf(stream, info), streams, context, info);
  };
}

export function createExecutionSchema(schema: GraphQLSchema, options: { readonly printStreams: boolean }) {
  const stream = schema.getType('Stream');
  if (!(stream instanceof GraphQLObjectType)) throw new Error('the schema has no Stream type');
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const column = COLUMN_FIELDS[typeName]?.[fieldName];
      if (column !== undefined) {
        return { ...field, type: new GraphQLNonNull(PrintedJson), resolve: columnResolver(column) };
      }
      const { type, field: name } = PRINTED_STREAMS_FIELD;
      if (options.printStreams && typeName === type && fieldName === name && field.resolve !== undefined) {
        return { ...field, type: PrintedJson, resolve: printedStreamsResolver(field.resolve, stream) };
      }
      return field;
    },
  });
}
