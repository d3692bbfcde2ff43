/**
 * Writes the operation's warnings (schema/warnings.ts) to `extensions.warnings`, once execution is done: a
 * check such as UNKNOWN_METRIC can only decide when every field has run. An answer without warnings has no
 * `warnings` key, so today's answers stay byte for byte what they were.
 *
 * A subscription's first event carries the warnings its subscribe step drew (a clamped `last`). The checks do
 * not run on events: an event's execution is shared by every subscriber of the same operation
 * (shared-event-execution-plugin.ts), so what it records lands in one subscriber's context, and an update
 * holding only new points would find "unknown" every metric that had none.
 */
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../schema/context.js';
import type { WarningCheck } from '../schema/warnings.js';

export function useWarnings(checks: readonly WarningCheck<GatewayContext>[]): Plugin<GatewayContext> {
  return {
    onSubscribe: ({ args }) => ({
      onSubscribeResult: () => {
        // Taken before any event executes: what an event's fields record is not the subscription's to say.
        const warnings = [...args.contextValue.warnings];
        if (warnings.length === 0) return;
        let first = true;
        return {
          onNext: ({ result, setResult }) => {
            if (!first) return;
            first = false;
            setResult({ ...result, extensions: { ...result.extensions, warnings } });
          },
        };
      },
    }),
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        // The schema has no @defer nor @stream, and subscriptions are onSubscribe's: a stream never reaches here.
        if (Symbol.asyncIterator in result) return;
        const context = args.contextValue;
        const warnings = [...context.warnings];
        for (const check of checks) {
          const warning = check(context);
          if (warning !== null) warnings.push(warning);
        }
        if (warnings.length === 0) return;
        setResult({ ...result, extensions: { ...result.extensions, warnings } });
      },
    }),
  };
}
