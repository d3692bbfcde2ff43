/**
 * The executed path's fast lane for float columns and streams: operations run against an execution schema
 * (schema/execution-schema.ts), whose columns, and where the document allows it each user's `streams`,
 * complete as tokens, and the body is the stringified result with each token replaced by its JSON bytes, sent
 * as bytes. The JSON is byte for byte what the public schema's execution gives
 * (test/unit/http/column-execution-plugin.test.ts holds it so). Introspection runs against the public schema,
 * so clients never see the execution schema's token type.
 */
import {
  BREAK,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { openColumnSink } from '../resolvers/column-sink.js';
import type { FastPath } from '../resolvers/fast-path.js';
import type { GatewayContext } from '../schema/context.js';
import { createExecutionSchema, PRINTED_STREAMS_FIELD } from '../schema/execution-schema.js';
import { schema } from '../schema/index.js';
import { planStreams } from '../schema/streams-plan.js';
import { noteStitchedBody } from './stitched-body.js';

/** Per document: with the parse cache, a polled operation's document is the same object every time. */
const introspecting = new WeakMap<DocumentNode, boolean>();

function asksIntrospection(document: DocumentNode): boolean {
  const known = introspecting.get(document);
  if (known !== undefined) return known;
  let found = false;
  visit(document, {
    [Kind.FIELD]: (node) => {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  introspecting.set(document, found);
  return found;
}

/** Per document: whether every `streams` selection in it has a plan (schema/streams-plan.ts). */
const printable = new WeakMap<DocumentNode, boolean>();

function printsStreams(document: DocumentNode): boolean {
  const known = printable.get(document);
  if (known !== undefined) return known;
  const stream = schema.getType('Stream') as GraphQLObjectType;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const typeInfo = new TypeInfo(schema);
  let found = true;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      [Kind.FIELD]: (node) => {
        if (node.name.value !== PRINTED_STREAMS_FIELD.field) return undefined;
        if (typeInfo.getParentType()?.name !== PRINTED_STREAMS_FIELD.type) return undefined;
        if (planStreams(stream, [node], fragments) !== null) return false;
        found = false;
        return BREAK;
      },
    }),
  );
  printable.set(document, found);
  return found;
}

export function useColumnExecution(fastPath: FastPath): Plugin<GatewayContext> {
  const columnSchema = createExecutionSchema(schema, { printStreams: false });
  const printingSchema = createExecutionSchema(schema, { printStreams: true });
  return {
    onExecute: ({ args, executeFn, setExecuteFn }) => {
      if (asksIntrospection(args.document)) return;
      const sink = openColumnSink(args.contextValue, fastPath);
      const executionSchema = printsStreams(args.document) ? printingSchema : columnSchema;
      setExecuteFn((executionArgs) => executeFn({ ...executionArgs, schema: executionSchema }));
      return {
        onExecuteDone: ({ result, setResult }) => {
          if (Symbol.asyncIterator in result || sink.size === 0) return;
          // Yoga writes the body with a result's own `stringify` (Buffer bodies are sent as they are); the plugins
          // after this one copy the result with `...`, which keeps it.
          const stringify = (value: unknown) => {
            const body = sink.stitch(JSON.stringify(value), fastPath.stitchedBodies);
            noteStitchedBody(args.contextValue.request, body);
            return body;
          };
          setResult({ ...result, stringify } as typeof result);
        },
      };
    },
  };
}
