/**
 * The schema operations are executed against, when the column fast path is on (http/column-execution-plugin.ts):
 * a copy of the public schema in which each float column (`Series.times`, `Series.values`) completes as ONE
 * value, a token the body's writer replaces with the column's JSON (resolvers/column-sink.ts), instead of one
 * list item per float. Every other type, field, argument and resolver is the public schema's, so an operation
 * validated against the public schema means the same here; the public schema stays what clients introspect
 * and what schema.graphql prints.
 */
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  GraphQLError,
  type GraphQLFieldResolver,
  GraphQLNonNull,
  GraphQLScalarType,
  type GraphQLSchema,
  locatedError,
  responsePathAsArray,
} from 'graphql';
import { columnSinkOf } from '../resolvers/column-sink.js';
import type { PointColumns } from '../resolvers/downsample.js';

/** The columns completed whole: type name, then field name and the column it reads. */
const COLUMN_FIELDS: Readonly<Record<string, Readonly<Record<string, 'times' | 'values'>>>> = {
  Series: { times: 'times', values: 'values' },
};

/** Never introspected (introspection runs against the public schema): it only carries the token through. */
const FloatColumn = new GraphQLScalarType({
  name: 'FloatColumn',
  serialize: (token) => token,
});

function columnResolver(column: 'times' | 'values'): GraphQLFieldResolver<PointColumns, object> {
  return (series, _args, context, info) => {
    const added = columnSinkOf(context).addColumn(series, column);
    if (typeof added === 'string') return added;
    // What the executor reports for such an item of `[Float!]!` (graphql's inspect prints numbers as String
    // does), at the item's path.
    throw locatedError(
      new GraphQLError(`Float cannot represent non numeric value: ${String(added.value)}`),
      info.fieldNodes,
      [...responsePathAsArray(info.path), added.index],
    );
  };
}

export function createExecutionSchema(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      const column = COLUMN_FIELDS[typeName]?.[fieldName];
      if (column === undefined) return field;
      return { ...field, type: new GraphQLNonNull(FloatColumn), resolve: columnResolver(column) };
    },
  });
}
