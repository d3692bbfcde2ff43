/**
 * `recordRoom`: a client asks the gateway to keep a room's users recorded until an instant, so that their call
 * detail outlives the upstream's retention. Checked here (GraphQL-free), carried out by the process's recorder.
 */
import { ArchiveUnavailableError } from '../errors/archive-unavailable-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { LIST_CALL_DETAIL_LIMITS } from '../model/call-detail.js';
import { checkId } from './ids.js';

export interface RecordingModel {
  readonly appId: string;
  readonly roomId: string;
  readonly userIds: readonly string[];
  /** From where its slots are fetched (whole slots: the start of the slot holding the asked `from`). */
  readonly fromMs: number;
  readonly untilMs: number;
}

/** What the resolver needs of the process's recorder; null when there is no archive to record into. */
export interface RoomRecorder {
  /** Stores the recording (in the archive, so it survives a restart); false when the archive is down. */
  record(recording: RecordingModel): Promise<boolean>;
}

/** Users one recording may name: a large room's, and few enough that one request cannot flood the archive. */
const MAX_RECORDED_USERS = 200;

export async function recordRoom(
  args: { appId: string; roomId: string; userIds: readonly string[]; from?: number | null; until: number },
  context: { readonly nowMs: number; readonly recorder: RoomRecorder | null; readonly slotMs: number },
): Promise<RecordingModel> {
  checkId('appId', args.appId);
  checkId('roomId', args.roomId);
  if (args.userIds.length === 0 || args.userIds.length > MAX_RECORDED_USERS) {
    throw new InvalidArgumentError('userIds', `\`userIds\` must name 1 to ${MAX_RECORDED_USERS} users`);
  }
  for (const userId of args.userIds) checkId('userIds', userId);
  const { nowMs } = context;
  if (!(args.until > nowMs)) {
    throw new InvalidArgumentError('until', '`until` must be in the future: the recording ends there');
  }
  // The upstream still has the last 6 days: a recording may start anywhere in them, by default now.
  const oldestMs = nowMs - LIST_CALL_DETAIL_LIMITS.retentionMs + 60_000;
  const askedFromMs = args.from ?? nowMs;
  if (askedFromMs < oldestMs || askedFromMs >= args.until) {
    throw new InvalidArgumentError(
      'from',
      "`from` must lie inside the upstream's 6-day retention and before `until` (default: now)",
    );
  }
  const recording: RecordingModel = {
    appId: args.appId,
    roomId: args.roomId,
    userIds: [...new Set(args.userIds)],
    fromMs: Math.floor(askedFromMs / context.slotMs) * context.slotMs,
    untilMs: args.until,
  };
  if (context.recorder === null || !(await context.recorder.record(recording))) {
    throw new ArchiveUnavailableError();
  }
  return recording;
}
