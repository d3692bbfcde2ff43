/**
 * Refuses, before anything runs, an operation that could need more upstream calls than one request may spend.
 * The upstream's rate limit is shared by every client of the account, so one operation asking for a room's
 * whole week would otherwise hold the queue for everyone; the caller gets a coded error to act on instead.
 */
import { type DocumentNode, type ExecutionResult, GraphQLError, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ClientErrorCode } from '../errors/codes.js';
import { operationDemand } from './operation-cost.js';

export interface CostLimitOptions {
  /** Most upstream calls one operation may need with nothing cached. */
  readonly maxUpstreamCalls: number;
  /** Most user entries (ids of `callQuality`, `room.user` fields, aliases included) one operation may name. */
  readonly maxUserEntries: number;
  /** The cache's slot length, which decides how ranges are cut into calls. */
  readonly slotMs: number;
  /** Most slots one operation may read from the archive (past the upstream's retention); default no bound. */
  readonly maxArchivedSlots?: number;
}

/** What the plugin reads of the request context. */
export interface CostLimitContext {
  /** Validity of a range depends on "now": the request's own instant, the one its resolvers will use. */
  readonly nowMs: number;
  /** How far back a range may start: ranges older than the upstream's retention are not refused then. */
  readonly rangeRetentionMs: number;
}

/** What the onExecute and onSubscribe hooks both give. */
interface OperationHook {
  readonly args: {
    readonly schema: GraphQLSchema;
    readonly document: DocumentNode;
    readonly operationName?: string | null;
    readonly variableValues?: Readonly<Record<string, unknown>> | null;
    readonly contextValue: CostLimitContext;
  };
  readonly setResultAndStopExecution: (result: ExecutionResult) => void;
}

/**
 * Counts the cold-cache cost of every operation before execution (as the gateway would plan it if nothing were
 * cached, so the answer does not depend on what other clients happened to fetch) and, above the limit, answers
 * with one COST_LIMIT_EXCEEDED error carrying `cost` and `limit`, without executing anything.
 */
export function useCostLimit(options: CostLimitOptions): Plugin<CostLimitContext> {
  const limit = options.maxUpstreamCalls;
  const refuse = (
    message: string,
    figures: { cost: number } | { users: number } | { archivedSlots: number },
    limit: number,
  ) => ({
    errors: [
      new GraphQLError(message, {
        extensions: { code: 'COST_LIMIT_EXCEEDED' satisfies ClientErrorCode, ...figures, limit },
      }),
    ],
  });
  const check = ({ args, setResultAndStopExecution }: OperationHook) => {
    const demand = operationDemand({
      schema: args.schema,
      document: args.document,
      operationName: args.operationName,
      variables: args.variableValues,
      nowMs: args.contextValue.nowMs,
      retentionMs: args.contextValue.rangeRetentionMs,
    });
    // First, and cheap: it bounds the work of counting calls too, which looks at every id.
    const entries = demand.userEntries();
    if (entries > options.maxUserEntries) {
      setResultAndStopExecution(
        refuse(
          `this operation names ${entries} users (counting every field and alias); the limit is ` +
            `${options.maxUserEntries} (ask for fewer users, or split the operation)`,
          { users: entries },
          options.maxUserEntries,
        ),
      );
      return;
    }
    const maxArchived = options.maxArchivedSlots ?? Number.POSITIVE_INFINITY;
    const archived = Number.isFinite(maxArchived) ? demand.archivedSlots({ slotMs: options.slotMs }) : 0;
    if (archived > maxArchived) {
      setResultAndStopExecution(
        refuse(
          `this operation could read ${archived} archived slots (its ranges past the upstream's retention, per ` +
            `user and direction); the limit is ${maxArchived} (ask for fewer users or a shorter range)`,
          { archivedSlots: archived },
          maxArchived,
        ),
      );
      return;
    }
    const cost = demand.upstreamCalls({
      slotMs: options.slotMs,
      // Counting further would only refine a refusal, and an absurd operation must not cost much to refuse.
      stopAbove: limit,
    });
    if (cost <= limit) return;
    setResultAndStopExecution(
      refuse(
        `this operation could need at least ${cost} upstream calls; the limit is ${limit} ` +
          '(ask for fewer users or a shorter range, or split the operation)',
        { cost },
        limit,
      ),
    );
  };
  // A subscription's first event is its whole window: the limit applies to it at subscribe time.
  return { onExecute: check, onSubscribe: check };
}
