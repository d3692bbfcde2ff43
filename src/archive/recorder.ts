/**
 * Recording on purpose: rooms' users kept in the archive as their slots settle, whether or not anyone asks for
 * them. Recordings live in the archive (so they survive a restart and replicas on one PostgreSQL share them),
 * each with how far it has got; a tick fetches, per recording, at most one hour of whole settled slots through
 * the call-detail source (which archives them), so recording catches up a few hours behind after an outage
 * rather than all at once.
 *
 * Its calls wait in the rate limiter's fair queue as a principal of their own, so against dashboards it gets
 * one principal's turn; and a tick sends at most `maxCallsPerTick` calls, which bounds its share of the
 * budget when nobody else is queued either.
 */
import { LIST_CALL_DETAIL_LIMITS } from '../model/call-detail.js';
import { createFlow } from '../model/flow.js';
import { getOrInsert } from '../model/get-or-insert.js';
import type { RecordingModel, RoomRecorder } from '../resolvers/record-room.js';
import type { CallDetailSource } from '../slots/call-detail-source.js';
import type { RecordingRow } from './archive-backend.js';
import type { SlotArchive } from './slot-archive.js';

export interface RecorderOptions {
  readonly archive: SlotArchive;
  readonly source: CallDetailSource;
  readonly slotMs: number;
  /** Upstream latency plus margin: a slot is fetched for the archive only once it can no longer change. */
  readonly settleMs: number;
  readonly now: () => number;
  /** Recordings the configuration names (ARCHIVE_RECORD): kept for as long as they are configured. */
  readonly configured: ReadonlyArray<{ appId: string; roomId: string; userId: string }>;
  readonly tickMs?: number;
  /** Upstream calls one tick may send, at most (20 users and one hour each). */
  readonly maxCallsPerTick?: number;
  readonly onFailure?: (error: Error) => void;
}

export interface Recorder extends RoomRecorder {
  /** One round: every recording due moved on by at most an hour; resolves the upstream calls it planned. */
  tick(): Promise<number>;
  stop(): void;
}

const HOUR_MS = 3_600_000;
const MAX_USERS_PER_CALL = LIST_CALL_DETAIL_LIMITS.maxUsersPerCall;
/** A configured recording never ends; kept as a number both databases store. */
const FOREVER_MS = Number.MAX_SAFE_INTEGER;

export function startRecorder(options: RecorderOptions): Recorder {
  const { archive, source, slotMs } = options;
  const flow = createFlow('recorder');
  const maxCalls = options.maxCallsPerTick ?? 2;
  let configuredStored = options.configured.length === 0;

  async function storeConfigured() {
    const recordedToMs = Math.floor(options.now() / slotMs) * slotMs;
    const rows = options.configured.map((target) => ({ ...target, untilMs: FOREVER_MS, recordedToMs }));
    configuredStored = (await archive.recordings.upsert(rows)) === true;
  }

  async function tick(): Promise<number> {
    if (!configuredStored) await storeConfigured();
    const rows = await archive.recordings.active();
    if (rows === undefined) return 0;
    const nowMs = options.now();
    // Only whole slots that have settled: a slot ending before this can no longer change.
    const settledToMs = Math.floor((nowMs - options.settleMs) / slotMs) * slotMs;
    // The upstream no longer has what lies past its retention: a recording that fell that far behind skips it.
    const oldestMs = Math.ceil((nowMs - LIST_CALL_DETAIL_LIMITS.retentionMs + 60_000) / slotMs) * slotMs;
    // Users of one room due over the same hour share calls, as the planner batches them.
    const windows = new Map<string, { rows: RecordingRow[]; fromMs: number; toMs: number }>();
    for (const row of rows) {
      const fromMs = Math.max(row.recordedToMs, oldestMs);
      const toMs = Math.min(fromMs + HOUR_MS, settledToMs, Math.ceil(row.untilMs / slotMs) * slotMs);
      if (toMs <= fromMs) continue;
      const key = JSON.stringify([row.appId, row.roomId, fromMs, toMs]);
      getOrInsert(windows, key, () => ({ rows: [], fromMs, toMs })).rows.push(row);
    }
    let calls = 0;
    for (const window of windows.values()) {
      const cost = Math.ceil(window.rows.length / MAX_USERS_PER_CALL);
      if (calls > 0 && calls + cost > maxCalls) break;
      calls += cost;
      const results = await source.load(
        window.rows.map((row) => ({
          appId: row.appId,
          roomId: row.roomId,
          userId: row.userId,
          fromMs: window.fromMs,
          toMs: window.toMs,
          directions: ['up', 'down'] as const,
        })),
        flow,
      );
      for (const [index, row] of window.rows.entries()) {
        const result = results[index];
        if (result instanceof Error) {
          options.onFailure?.(result);
          continue;
        }
        await archive.recordings.advance(row, window.toMs);
      }
    }
    return calls;
  }

  let ticking = false;
  const timer = setInterval(() => {
    if (ticking) return;
    ticking = true;
    // A round that fails is retried at the next: it must never become an unhandled rejection.
    tick()
      .catch((error: unknown) =>
        options.onFailure?.(error instanceof Error ? error : new Error(String(error))),
      )
      .finally(() => {
        ticking = false;
      });
  }, options.tickMs ?? 10_000);
  // A recording due is no reason to keep a stopping process alive.
  timer.unref();

  return {
    tick,
    stop: () => clearInterval(timer),
    async record(recording: RecordingModel) {
      const rows = recording.userIds.map((userId) => ({
        appId: recording.appId,
        roomId: recording.roomId,
        userId,
        untilMs: recording.untilMs,
        recordedToMs: recording.fromMs,
      }));
      return (await archive.recordings.upsert(rows)) === true;
    },
  };
}
