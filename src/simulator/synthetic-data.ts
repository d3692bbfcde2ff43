/**
 * The data the simulator serves, in the upstream's JSON shape. Exported so tests can compute what the
 * simulator answers for one user alone and compare it with what the gateway made of it.
 */
import type { DirectionFilter } from '../model/call-detail.js';
import { LIST_CALL_DETAIL_LIMITS } from '../model/call-detail.js';
import { seedOf, unitHash } from './deterministic-hash.js';
import {
  isParticipant,
  lossSpikeOf,
  presenceOf,
  roomPublishers,
  rttSpikeOf,
  stallOf,
  type TimePredicate,
} from './episodes.js';
import { DOWN_METRICS, type MetricModel, type StreamCondition, UP_METRICS } from './metric-models.js';

export interface SimulatedDataPoint {
  /** Unix ms. */
  Time: number;
  Value: number;
}

export interface SimulatedCallDetail {
  Name: string;
  Desc: string;
  Unit: string;
  Data: SimulatedDataPoint[];
}

export interface SimulatedUserCallDetail {
  UserId: string;
  RoomId: string;
  Direction: 'up' | 'down';
  /** The sending peer; `down` entries only. */
  PeerId?: string;
  CallDetail: SimulatedCallDetail[];
}

export interface UserCallDetailRequest {
  appId: string;
  roomId: string;
  userId: string;
  /** Unix ms; both ends are inclusive, as the upstream's are. */
  startMs: number;
  endMs: number;
  direction: DirectionFilter;
  sampleIntervalMs: number;
  /** The simulator's clock: nothing newer than `nowMs - 100 s` exists yet. */
  nowMs: number;
}

/**
 * Every entry the upstream would return for one user: one `up` entry, then one `down` entry per publisher
 * other than the user, each only when it has at least one point. Invalid ids and ids starting with `absent`
 * get none; so does a user away for the whole range.
 */
export function generateUserCallDetail(request: UserCallDetailRequest): SimulatedUserCallDetail[] {
  const { appId, roomId, userId, direction } = request;
  if (!isParticipant(userId)) return [];
  const userTimes = sampleTimes(request).filter(presenceOf(appId, roomId, userId));
  if (userTimes.length === 0) return [];
  const entries: SimulatedUserCallDetail[] = [];
  const upKey = [appId, roomId, userId, 'up'];
  if (direction !== 2) {
    const condition = { lossSpike: lossSpikeOf(upKey), rttSpike: rttSpikeOf(upKey), stall: () => false };
    const details = callDetails(upKey, UP_METRICS, userTimes, condition);
    entries.push({ UserId: userId, RoomId: roomId, Direction: 'up', CallDetail: details });
  }
  if (direction !== 1) {
    for (const peerId of roomPublishers(appId, roomId)) {
      if (peerId === userId) continue;
      const times = userTimes.filter(presenceOf(appId, roomId, peerId));
      if (times.length === 0) continue;
      const downKey = [appId, roomId, userId, 'down', peerId];
      const ownLoss = lossSpikeOf(downKey);
      // Loss on the sender's uplink reaches every receiver of that sender.
      const senderLoss = lossSpikeOf([appId, roomId, peerId, 'up']);
      const lossSpike = (timeMs: number) => ownLoss(timeMs) || senderLoss(timeMs);
      const condition = { lossSpike, rttSpike: rttSpikeOf(downKey), stall: stallOf(downKey) };
      const details = callDetails(downKey, DOWN_METRICS, times, condition);
      entries.push({
        UserId: userId,
        RoomId: roomId,
        Direction: 'down',
        PeerId: peerId,
        CallDetail: details,
      });
    }
  }
  return entries;
}

/**
 * The `Result` of one ListCallDetail call: each distinct user id in request order, with its entries. Users
 * without data contribute nothing, as upstream.
 */
export function generateCallDetailResult(
  request: Omit<UserCallDetailRequest, 'userId'> & { userIds: readonly string[] },
) {
  const { userIds, ...shared } = request;
  const UserCallDetail = [...new Set(userIds)].flatMap((userId) =>
    generateUserCallDetail({ ...shared, userId }),
  );
  return { UserCallDetail };
}

/** Multiples of the interval in [startMs, endMs], cut off where the upstream has no data yet. */
function sampleTimes({ startMs, endMs, sampleIntervalMs, nowMs }: UserCallDetailRequest): number[] {
  const lastMs = Math.min(endMs, nowMs - LIST_CALL_DETAIL_LIMITS.latencyMs);
  const times: number[] = [];
  for (
    let timeMs = Math.ceil(startMs / sampleIntervalMs) * sampleIntervalMs;
    timeMs <= lastMs;
    timeMs += sampleIntervalMs
  ) {
    times.push(timeMs);
  }
  return times;
}

function callDetails(
  streamKey: readonly string[],
  models: readonly MetricModel[],
  times: readonly number[],
  episodes: Readonly<Record<keyof StreamCondition, TimePredicate>>,
): SimulatedCallDetail[] {
  // Episodes are shared by all metrics of the stream: loss and bitrate move together.
  const samples = times.map((timeMs) => ({
    timeMs,
    condition: {
      lossSpike: episodes.lossSpike(timeMs),
      rttSpike: episodes.rttSpike(timeMs),
      stall: episodes.stall(timeMs),
    },
  }));
  return models.map((model) => {
    const level = unitHash(seedOf(...streamKey, model.name, 'level'));
    const noiseSeed = seedOf(...streamKey, model.name, 'noise');
    const Data = samples.map(({ timeMs, condition }) => ({
      Time: timeMs,
      Value: model.value(level, unitHash(noiseSeed, timeMs), condition),
    }));
    return { Name: model.name, Desc: model.desc, Unit: model.unit, Data };
  });
}
