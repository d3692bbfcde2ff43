/**
 * The executed path's fast lane for float columns: operations run against the execution schema
 * (schema/execution-schema.ts), whose columns complete as tokens, and the body is the stringified result with
 * each token replaced by the column's JSON bytes, sent as bytes. The JSON is byte for byte what the public
 * schema's execution gives (test/unit/http/column-execution-plugin.test.ts holds it so). Introspection runs
 * against the public schema, so clients never see the execution schema's column type.
 */
import { BREAK, type DocumentNode, Kind, visit } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { openColumnSink } from '../resolvers/column-sink.js';
import type { FastPath } from '../resolvers/fast-path.js';
import type { GatewayContext } from '../schema/context.js';
import { createExecutionSchema } from '../schema/execution-schema.js';
import { schema } from '../schema/index.js';

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

export function useColumnExecution(fastPath: FastPath): Plugin<GatewayContext> {
  const executionSchema = createExecutionSchema(schema);
  return {
    onExecute: ({ args, executeFn, setExecuteFn }) => {
      if (asksIntrospection(args.document)) return;
      const sink = openColumnSink(args.contextValue, fastPath);
      setExecuteFn((executionArgs) => executeFn({ ...executionArgs, schema: executionSchema }));
      return {
        onExecuteDone: ({ result, setResult }) => {
          if (Symbol.asyncIterator in result || sink.size === 0) return;
          // Yoga writes the body with a result's own `stringify` (Buffer bodies are sent as they are); the plugins
          // after this one copy the result with `...`, which keeps it.
          const stringify = (value: unknown) => sink.stitch(JSON.stringify(value));
          setResult({ ...result, stringify } as typeof result);
        },
      };
    },
  };
}
