/**
 * ListCallDetail in process: the answer the simulator would give a call (its parameter checks, its injected
 * faults, its generated data), or the entries a test computes for a quirk the simulator does not model,
 * serialised to the upstream's JSON and read back by the gateway's own parser. Only signing and the socket are
 * left out, so unit tests count upstream calls as the simulator counts them, without a port.
 */
import {
  type CallDetailQuery,
  LIST_CALL_DETAIL_ACTION,
  LIST_CALL_DETAIL_VERSION,
} from '../../src/model/call-detail.js';
import { apiError, errorEnvelope, newRequestId, successEnvelope } from '../../src/simulator/envelope.js';
import { type Fault, FaultBook } from '../../src/simulator/fault-book.js';
import { splitUserIds, validateListCallDetailParams } from '../../src/simulator/list-call-detail-params.js';
import { generateCallDetailResult } from '../../src/simulator/synthetic-data.js';
import type { CallDetailClient } from '../../src/upstream/call-detail-client.js';
import { parseListCallDetailResponse } from '../../src/upstream/parse-response.js';
import type { QuirkCall, UserCallDetailEntry } from './quirk-upstream.js';

/** One call as the simulator records it: the query values as sent. */
export interface InProcessCall {
  readonly appId: string;
  readonly roomId: string;
  readonly userIds: readonly string[];
  /** RFC 3339, second precision, as sent. */
  readonly startTime: string;
  readonly endTime: string;
  /** '0' both, '1' up, '2' down, as sent. */
  readonly direction: string;
}

/** The simulator's faults that are an answer; transport faults (reset, truncated, slow) need a socket. */
export type InProcessFault = Omit<Fault, 'kind' | 'delayMs'> & { readonly kind: 'http500' | 'http429' };

export interface InProcessUpstreamOptions {
  /** The upstream's clock: nothing newer than now - 100 s exists yet, nothing older than 6 days is served. */
  readonly now: () => number;
  /** Points lie on multiples of this; default 10 000, as the simulator's. */
  readonly sampleIntervalMs?: number;
  /** The `UserCallDetail` entries of a call, instead of the simulator's generated data. */
  readonly answer?: (call: QuirkCall) => readonly UserCallDetailEntry[];
}

export interface InProcessUpstream {
  /** What the gateway's fetcher calls, in place of the undici client. */
  readonly client: CallDetailClient;
  /** Every call received, in order. */
  readonly calls: readonly InProcessCall[];
  resetCalls(): void;
  injectFault(fault: InProcessFault): void;
  clearFaults(): void;
}

const rfc3339Seconds = (ms: number) =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export function createInProcessUpstream(options: InProcessUpstreamOptions): InProcessUpstream {
  const sampleIntervalMs = options.sampleIntervalMs ?? 10_000;
  const calls: InProcessCall[] = [];
  const faults = new FaultBook();

  /** The HTTP status and body the simulator would answer `query` with, at `nowMs`. */
  function answer(query: CallDetailQuery, nowMs: number): { status: number; body: unknown } {
    const sent = {
      Action: LIST_CALL_DETAIL_ACTION,
      Version: LIST_CALL_DETAIL_VERSION,
      AppId: query.appId,
      RoomId: query.roomId,
      UserId: query.userIds.join(','),
      StartTime: rfc3339Seconds(query.startMs),
      EndTime: rfc3339Seconds(query.endMs),
      Direction: String(query.direction),
    };
    calls.push({
      appId: sent.AppId,
      roomId: sent.RoomId,
      userIds: splitUserIds(sent.UserId),
      startTime: sent.StartTime,
      endTime: sent.EndTime,
      direction: sent.Direction,
    });
    const metadata = {
      RequestId: newRequestId(nowMs),
      Action: sent.Action,
      Version: sent.Version,
      Service: 'rtc',
      Region: 'cn-north-1',
    };
    const validation = validateListCallDetailParams(sent, nowMs);
    if (!validation.ok) {
      return { status: validation.error.httpStatus, body: errorEnvelope(metadata, validation.error) };
    }
    const { params } = validation;
    const fault = faults.take(params);
    if (fault !== null) {
      const error =
        fault.kind === 'http500'
          ? apiError('InternalError', 'an internal error occurred, please retry')
          : apiError('FlowLimitExceeded', 'the request rate limit of the account is exceeded');
      return { status: error.httpStatus, body: errorEnvelope(metadata, error) };
    }
    const result = options.answer
      ? { UserCallDetail: options.answer(params) }
      : generateCallDetailResult({ ...params, sampleIntervalMs, nowMs });
    return { status: 200, body: successEnvelope(metadata, result) };
  }

  return {
    client: {
      async listCallDetail(query) {
        const nowMs = options.now();
        const { status, body } = answer(query, nowMs);
        return {
          ...parseListCallDetailResponse(status, JSON.stringify(body), null, nowMs),
          startMs: query.startMs,
          httpStatus: status,
        };
      },
      close: async () => {},
    },
    calls,
    resetCalls: () => {
      calls.length = 0;
    },
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
  };
}
