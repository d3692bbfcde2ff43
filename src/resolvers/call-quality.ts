/**
 * Call quality of one user over a range: validates what a client asked for, and assembles the user's streams
 * from the slots the request's batching loader brings back (cached or fetched).
 */

import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { LIST_CALL_DETAIL_LIMITS, type StreamDetail } from '../model/call-detail.js';
import type { CallDetailLoader } from '../slots/call-detail-loader.js';
import type { CallDetailRequest, SlotParts } from '../slots/call-detail-source.js';
import { isRangeSettled, type SlotTiming } from '../slots/slots.js';
import { checkId } from './ids.js';
import { mergeWindowStreams } from './merge-windows.js';
import { type RangeArgs, type ResolvedRange, resolveRange, validateRange } from './time-range.js';

/** What the call-quality resolvers need of a request (part of the schema's context, made per request). */
export interface CallQualityContext {
  /** The request's batching loader: every user an operation asks for goes out in one batch. */
  readonly callDetailLoader: CallDetailLoader;
  /** Which slots can no longer change: decides `final`. */
  readonly slotTiming: SlotTiming;
  /**
   * How far back a range may start: the upstream's retention, or the archive's when there is one (the part
   * older than the upstream's is then served from the archive, or named as missing).
   */
  readonly rangeRetentionMs: number;
}

/**
 * One entry of the answer: exactly what the loader needs to fetch the user's data, or (a live event's entry)
 * the streams already loaded for it, or the Error that kept them from being loaded.
 */
export interface UserCallQualityModel extends CallDetailRequest {
  readonly loaded?: readonly StreamDetail[] | Error;
}

type RangeRequest = Omit<CallDetailRequest, 'userId'>;

export interface CallQualityRequest extends RangeRequest {
  readonly userIds: readonly string[];
}

/** Checks everything but the users; throws InvalidArgumentError, before any upstream call. */
function checkRangeRequest(request: RangeRequest, nowMs: number, retentionMs: number): void {
  checkId('appId', request.appId);
  checkId('roomId', request.roomId);
  if (request.directions.length === 0) {
    throw new InvalidArgumentError('directions', '`directions` must hold UP, DOWN or both');
  }
  const problem = validateRange({ fromMs: request.fromMs, toMs: request.toMs }, nowMs, retentionMs);
  if (problem) throw new InvalidArgumentError(problem.argument, problem.message);
}

/**
 * The range the arguments ask for at `nowMs` (`from` or `last`, `to` defaulting to now; see resolveRange):
 * what the plans below take as `fromMs`/`toMs`. Throws InvalidArgumentError, before any upstream call.
 */
export function planRange(
  args: RangeArgs,
  nowMs: number,
  retentionMs: number = LIST_CALL_DETAIL_LIMITS.retentionMs,
): ResolvedRange {
  const range = resolveRange(args, nowMs, retentionMs);
  if ('argument' in range) throw new InvalidArgumentError(range.argument, range.message);
  return range;
}

function model(request: RangeRequest, userId: string): UserCallQualityModel {
  const { appId, roomId, fromMs, toMs } = request;
  return { appId, roomId, userId, fromMs, toMs, directions: [...new Set(request.directions)] };
}

/** One entry per requested user, in the order asked; throws InvalidArgumentError before any upstream call. */
export function planCallQuality(
  request: CallQualityRequest,
  nowMs: number,
  retentionMs: number = LIST_CALL_DETAIL_LIMITS.retentionMs,
): UserCallQualityModel[] {
  checkRangeRequest(request, nowMs, retentionMs);
  if (request.userIds.length === 0)
    throw new InvalidArgumentError('userIds', '`userIds` must name at least one user');
  for (const userId of request.userIds) checkId('userIds', userId);
  return request.userIds.map((userId) => model(request, userId));
}

/** The same for one user (`Room.user`). */
export function planUserCallQuality(
  request: RangeRequest & { readonly userId: string },
  nowMs: number,
  retentionMs: number = LIST_CALL_DETAIL_LIMITS.retentionMs,
) {
  checkRangeRequest(request, nowMs, retentionMs);
  checkId('userId', request.userId);
  return model(request, request.userId);
}

/**
 * Whether the answer for the range can never change: the upstream lags about 100 s behind real time, and the
 * window cache only keeps a slot for good once that (plus a margin) has passed, so `final` follows the same rule.
 */
export function isFinal(model: UserCallQualityModel, nowMs: number, timing: SlotTiming): boolean {
  return isRangeSettled(model.toMs, nowMs, timing);
}

/**
 * Streams in one stable order, UP first, then DOWN by peer id: merged slots list a peer where it first sent,
 * which would make the order depend on the range and on what was cached.
 */
function streamOrder(a: StreamDetail, b: StreamDetail): number {
  if (a.direction !== b.direction) return a.direction === 'up' ? -1 : 1;
  const peerA = a.peerId ?? '';
  const peerB = b.peerId ?? '';
  return peerA < peerB ? -1 : peerA > peerB ? 1 : 0;
}

/** Per merged list (the same for a range keeping the same points, see mergeWindowStreams), the list sorted. */
const sortedStreams = new WeakMap<readonly StreamDetail[], readonly StreamDetail[]>();

/** One user's streams over [fromMs, toMs) from its slot parts, in time order and in the stable stream order. */
export function assembleStreams(parts: SlotParts, fromMs: number, toMs: number): readonly StreamDetail[] {
  const merged = mergeWindowStreams(parts, fromMs, toMs);
  let sorted = sortedStreams.get(merged);
  if (sorted === undefined) {
    sorted = [...merged].sort(streamOrder);
    sortedStreams.set(merged, sorted);
  }
  return sorted;
}

/** The user's streams over the range, assembled from cached or freshly fetched slots, in time order. */
export async function loadStreams(
  model: UserCallQualityModel,
  loader: CallDetailLoader,
): Promise<readonly StreamDetail[]> {
  if (model.loaded instanceof Error) throw model.loaded;
  if (model.loaded !== undefined) return model.loaded;
  return assembleStreams(await loader.load(model), model.fromMs, model.toMs);
}
