/**
 * A span for each call of a resolver that reads call-detail data (the fields marked `tracing: true`), so a trace
 * shows which field's load waited on which upstream attempts. The tracer comes with the request's context:
 * without one (tracing off) the resolver is called as it is, and no span object is made.
 *
 * Attributes name the field and its path in the answer (aliases and list indexes: the document's shape), never
 * its arguments, which are a client's variables; a failure is recorded by its code alone, since an error's
 * message may repeat an argument.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import type { PothosOutputFieldConfig, SchemaTypes } from '@pothos/core';
import type { GraphQLFieldResolver, GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from './context.js';

type Resolver<Types extends SchemaTypes> = GraphQLFieldResolver<
  unknown,
  Types['Context'],
  Record<string, unknown>
>;

function pathOf(info: GraphQLResolveInfo): string {
  const keys: Array<string | number> = [];
  for (let path: GraphQLResolveInfo['path'] | undefined = info.path; path; path = path.prev)
    keys.push(path.key);
  return keys.reverse().join('.');
}

function codeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'UNEXPECTED';
  const { extensions, code } = error as { extensions?: { code?: unknown }; code?: unknown };
  const found = extensions?.code ?? code;
  return typeof found === 'string' ? found : 'UNEXPECTED';
}

export function traceResolver<Types extends SchemaTypes & { Context: GatewayContext }>(
  resolver: Resolver<Types>,
  _options: unknown,
  config: PothosOutputFieldConfig<Types>,
): Resolver<Types> {
  const name = `${config.parentType}.${config.name}`;
  return (parent, args, context, info) => {
    const { tracer } = context;
    if (tracer === undefined) return resolver(parent, args, context, info);
    return tracer.startActiveSpan(
      name,
      { attributes: { 'graphql.field.name': config.name, 'graphql.field.path': pathOf(info) } },
      async (span) => {
        try {
          return await resolver(parent, args, context, info);
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.setAttribute('error.type', codeOf(error));
          throw error;
        } finally {
          span.end();
        }
      },
    );
  };
}
