/**
 * The per-request DataLoader that turns every user an operation asks for into as few ListCallDetail calls as
 * possible: keys are grouped by (app, room, window), users de-duplicated and sent in chunks of 20, one call per
 * chunk, and the answers re-keyed by user id (never trusting the upstream's order).
 */
import DataLoader from 'dataloader';
import {
  type CallDetailQuery,
  type DirectionFilter,
  LIST_CALL_DETAIL_LIMITS,
  type StreamDetail,
  type StreamDirection,
} from './call-detail.js';
import type { FetchCallDetail } from './call-detail-fetcher.js';

export interface CallDetailKey {
  readonly appId: string;
  readonly roomId: string;
  readonly userId: string;
  readonly startMs: number;
  readonly endMs: number;
  /** What the field asked for; decides the upstream `Direction` filter. Never empty. */
  readonly directions: readonly StreamDirection[];
}

export type CallDetailLoader = DataLoader<CallDetailKey, readonly StreamDetail[], string>;

const SEPARATOR = '\u0000';

function windowGroupKey(key: CallDetailKey): string {
  return [key.appId, key.roomId, key.startMs, key.endMs].join(SEPARATOR);
}

function loaderCacheKey(key: CallDetailKey): string {
  return [windowGroupKey(key), key.userId, [...key.directions].sort().join(',')].join(SEPARATOR);
}

/** One `Direction=0` call serves a group that mixes directions: upstream calls are scarce, bytes are not. */
function directionFilter(directions: ReadonlySet<StreamDirection>): DirectionFilter {
  if (directions.size !== 1) return 0;
  return directions.has('up') ? 1 : 2;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

/** Fetches one (app, room, window) group and answers each of its keys, an Error for keys whose chunk failed. */
async function loadWindowGroup(
  keys: readonly CallDetailKey[],
  fetchCallDetail: FetchCallDetail,
  signal: AbortSignal | undefined,
): Promise<Map<CallDetailKey, readonly StreamDetail[] | Error>> {
  const [first] = keys;
  const answers = new Map<CallDetailKey, readonly StreamDetail[] | Error>();
  if (first === undefined) return answers;
  const userIds = [...new Set(keys.map((key) => key.userId))];
  const direction = directionFilter(new Set(keys.flatMap((key) => key.directions)));
  const streamsByUser = new Map<string, StreamDetail[] | Error>();

  await Promise.all(
    chunk(userIds, LIST_CALL_DETAIL_LIMITS.maxUsersPerCall).map(async (chunkUserIds) => {
      const query: CallDetailQuery = {
        appId: first.appId,
        roomId: first.roomId,
        userIds: chunkUserIds,
        startMs: first.startMs,
        endMs: first.endMs,
        direction,
      };
      try {
        const result = await fetchCallDetail(query, signal);
        for (const userId of chunkUserIds) streamsByUser.set(userId, []);
        for (const stream of result.streams) {
          const streams = streamsByUser.get(stream.userId);
          // Streams of ids we did not ask for (the upstream echoing a normalised id) are not ours to serve.
          if (Array.isArray(streams)) streams.push(stream);
        }
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        for (const userId of chunkUserIds) streamsByUser.set(userId, failure);
      }
    }),
  );

  for (const key of keys) {
    const streams = streamsByUser.get(key.userId) ?? [];
    answers.set(
      key,
      streams instanceof Error
        ? streams
        : streams.filter((stream) => key.directions.includes(stream.direction)),
    );
  }
  return answers;
}

/**
 * Creates the loader for one GraphQL request. `signal` is the request's: a client that goes away stops its
 * own fetches (this loader is never shared across requests).
 *
 * No `maxBatchSize`: the batch function itself chunks each window's users by 20. A DataLoader-level cap of 20
 * keys would cut one window's users across batches (15 users over 2 windows would cost 3 calls, not 2).
 */
export function createCallDetailLoader(
  fetchCallDetail: FetchCallDetail,
  signal?: AbortSignal,
): CallDetailLoader {
  return new DataLoader<CallDetailKey, readonly StreamDetail[], string>(
    async (keys) => {
      const groups = new Map<string, CallDetailKey[]>();
      for (const key of keys) {
        const groupKey = windowGroupKey(key);
        const group = groups.get(groupKey);
        if (group) group.push(key);
        else groups.set(groupKey, [key]);
      }
      const answers = new Map<CallDetailKey, readonly StreamDetail[] | Error>();
      const groupAnswers = await Promise.all(
        [...groups.values()].map((group) => loadWindowGroup(group, fetchCallDetail, signal)),
      );
      for (const groupAnswer of groupAnswers)
        for (const [key, answer] of groupAnswer) answers.set(key, answer);
      return keys.map((key) => answers.get(key) ?? new Error(`no answer for user ${key.userId}`));
    },
    { cacheKeyFn: loaderCacheKey, name: 'callDetail' },
  );
}
