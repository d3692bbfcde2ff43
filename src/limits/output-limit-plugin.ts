/**
 * Answers an operation that ran past its output budget (output-budget.ts) with one coded error and no data,
 * like a refusal before execution: a partial answer cut at an arbitrary field would look like data, and one
 * error per remaining field would itself grow with the operation.
 */
import type { Plugin } from 'graphql-yoga';
import { clientErrorOf } from '../errors/client-errors.js';
import { OutputLimitError } from '../errors/output-limit-error.js';
import type { OutputBudget } from './output-budget.js';

/** What the plugin reads of the request context: the budget the operation's fields spent. */
export interface OutputLimitContext {
  readonly output: OutputBudget;
}

export function useOutputLimit(): Plugin<OutputLimitContext> {
  return {
    onExecute: ({ args }) => ({
      onExecuteDone: ({ result, setResult }) => {
        if (Symbol.asyncIterator in result || !args.contextValue.output.exceeded) return;
        setResult({ errors: [clientErrorOf(new OutputLimitError(args.contextValue.output.limit))] });
      },
    }),
  };
}
