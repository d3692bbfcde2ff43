/**
 * Writes the operation's warnings (schema/warnings.ts) to `extensions.warnings`, once execution is done: a
 * check such as UNKNOWN_METRIC can only decide when every field has run. An answer without warnings has no
 * `warnings` key, so today's answers stay byte for byte what they were.
 */
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../schema/context.js';
import type { WarningCheck } from '../schema/warnings.js';

export function useWarnings(checks: readonly WarningCheck<GatewayContext>[]): Plugin<GatewayContext> {
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        // The schema has no @defer, @stream nor subscriptions: a stream never reaches here.
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
