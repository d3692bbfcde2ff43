/**
 * Executes each event of a subscription once per distinct operation, however many subscribers receive it.
 * graphql-js runs the selection set for every subscriber and event: 1,000 dashboards on one room meant 1,000
 * executions of the same event a poll, seconds of CPU behind which delivery fell. The live pollers hand every
 * subscription of the same users and window the very same event object, so an answer is keyed by that object
 * (weakly: it goes when the event does) and by what makes the answer differ: the document, the operation, the
 * variables and the principal's scope.
 */
import { createSourceEventStream, type ExecutionArgs, type ExecutionResult, execute, print } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import type { Principal } from '../auth/principal.js';

/** What the plugin reads of the request context. */
export interface SharedEventContext {
  readonly principal: Principal;
}

export function useSharedEventExecution(): Plugin<SharedEventContext> {
  const answers = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
  return {
    onSubscribe: ({ setSubscribeFn }) => {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const source = await createSourceEventStream(args);
        if (!isAsyncIterable(source)) return source;
        const context = args.contextValue as SharedEventContext;
        const key = JSON.stringify([
          print(args.document),
          args.operationName ?? null,
          args.variableValues ?? null,
          context.principal.scope,
        ]);
        return mapAsyncIterator(source, (event: unknown) => {
          // Anything but an object (an error ending the stream) is executed for its subscriber alone.
          if (event === null || typeof event !== 'object') return execute({ ...args, rootValue: event });
          let byOperation = answers.get(event);
          if (!byOperation) {
            byOperation = new Map();
            answers.set(event, byOperation);
          }
          let answer = byOperation.get(key);
          if (!answer) {
            answer = Promise.resolve(execute({ ...args, rootValue: event }));
            byOperation.set(key, answer);
          }
          return answer;
        });
      });
    },
  };
}
