import { type FieldNode, GraphQLError, locatedError } from 'graphql';
import type { NonFiniteItem } from '../resolvers/kept-columns.js';

/**
 * What the executor reports for a number JSON cannot carry in a `[Float!]!` column (graphql's inspect prints
 * numbers as String does), at the item's path below the column's: `path` is the column's.
 */
export function columnItemError(
  item: NonFiniteItem,
  nodes: readonly FieldNode[],
  path: ReadonlyArray<string | number>,
): GraphQLError {
  return locatedError(
    new GraphQLError(`Float cannot represent non numeric value: ${String(item.value)}`),
    nodes,
    [...path, item.index],
  );
}
