/**
 * Maps a ListCallDetail HTTP answer into the gateway's own model (call-detail.ts). The upstream is not trusted:
 * every field may be missing or of the wrong type, so each one is checked, and an answer we cannot read becomes
 * an `UpstreamResponseError` instead of silently empty data (an empty window would be cached as final).
 */
import type { CallDetailResult, MetricSeries, StreamDetail, StreamDirection } from '../model/call-detail.js';
import { joinSplitStreams, sortedUnique } from './split-streams.js';
import { INVALID_RESPONSE, UpstreamResponseError } from './upstream-error.js';

type JsonObject = Record<string, unknown>;

/** Enough of a body to recognise it in a log (an HTML error page, a cut-off JSON), never enough to leak data. */
const EXCERPT_CHARS = 80;
/** Upstream error messages are short sentences; anything longer is not worth repeating to clients. */
const MESSAGE_CHARS = 200;

/**
 * Parses one ListCallDetail answer.
 *
 * @param httpStatus the HTTP status; checked together with the envelope, since either may carry the error.
 * @param bodyText the whole response body.
 * @param retryAfterHeader the `Retry-After` header, seconds or an HTTP date.
 * @param nowMs the clock an HTTP-date `Retry-After` is measured against.
 * @throws UpstreamResponseError for an envelope error, a non-2xx status or a body that cannot be read.
 */
export function parseListCallDetailResponse(
  httpStatus: number,
  bodyText: string,
  retryAfterHeader?: string | null,
  nowMs: number = Date.now(),
): Omit<CallDetailResult, 'startMs'> {
  const retryAfterMs = parseRetryAfter(retryAfterHeader, nowMs);
  const invalid = (reason: string, cause?: unknown) =>
    new UpstreamResponseError(
      `ListCallDetail returned an unreadable answer (HTTP ${httpStatus}): ${reason}`,
      { upstreamCode: INVALID_RESPONSE, httpStatus, requestId: null, retryAfterMs },
      cause === undefined ? undefined : { cause },
    );

  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch (error) {
    throw invalid(`not JSON, starting ${JSON.stringify(safeExcerpt(bodyText, EXCERPT_CHARS))}`, error);
  }
  if (!isObject(body)) throw invalid(`expected a JSON object, got ${describeType(body)}`);

  const metadata = isObject(body.ResponseMetadata) ? body.ResponseMetadata : {};
  const requestId = typeof metadata.RequestId === 'string' ? metadata.RequestId : null;

  if (isObject(metadata.Error)) {
    const { Code, Message } = metadata.Error;
    const upstreamCode = typeof Code === 'string' && Code !== '' ? Code : `HTTP_${httpStatus}`;
    const message = typeof Message === 'string' ? `: ${safeExcerpt(Message, MESSAGE_CHARS)}` : '';
    throw new UpstreamResponseError(
      `ListCallDetail failed with ${upstreamCode} (HTTP ${httpStatus})${message}`,
      {
        upstreamCode,
        httpStatus,
        requestId,
        retryAfterMs,
      },
    );
  }
  if (httpStatus < 200 || httpStatus > 299) {
    throw new UpstreamResponseError(
      `ListCallDetail failed with HTTP ${httpStatus} and no error in the body`,
      {
        upstreamCode: `HTTP_${httpStatus}`,
        httpStatus,
        requestId,
        retryAfterMs,
      },
    );
  }

  // A success without `Result` cannot be told apart from a broken answer, and must not be cached as "no data".
  if (!isObject(body.Result)) throw invalid(`no Result object (got ${describeType(body.Result)})`);
  const entries = body.Result.UserCallDetail;
  // A user-less answer may come as null or without the key (nil slices in the upstream's JSON): no data.
  if (entries !== undefined && entries !== null && !Array.isArray(entries)) {
    throw invalid(`Result.UserCallDetail is ${describeType(entries)}, not an array`);
  }

  const streams: StreamDetail[] = [];
  for (const entry of entries ?? []) {
    const stream = parseStream(entry);
    if (stream) streams.push(stream);
  }
  return { requestId: requestId ?? '', streams: joinSplitStreams(streams) };
}

/** `Retry-After` as delta-seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const dateMs = Date.parse(value);
  // Only a real HTTP date; Date.parse also accepts plain numbers like "1.5" as years.
  if (Number.isNaN(dateMs) || !/[a-z]/i.test(value)) return null;
  return Math.max(0, dateMs - nowMs);
}

function parseStream(entry: unknown): StreamDetail | null {
  if (!isObject(entry) || typeof entry.UserId !== 'string') return null;
  const direction = entry.Direction;
  // Other directions may be added upstream one day; the gateway only models these two.
  if (direction !== 'up' && direction !== 'down') return null;
  const metrics: MetricSeries[] = [];
  for (const detail of Array.isArray(entry.CallDetail) ? entry.CallDetail : []) {
    const metric = parseMetric(detail);
    if (metric) metrics.push(metric);
  }
  return {
    userId: entry.UserId,
    direction: direction satisfies StreamDirection,
    peerId: direction === 'down' && typeof entry.PeerId === 'string' ? entry.PeerId : null,
    metrics,
  };
}

function parseMetric(detail: unknown): MetricSeries | null {
  if (!isObject(detail) || typeof detail.Name !== 'string') return null;
  const { times, values } = parsePoints(detail.Data);
  return {
    name: detail.Name,
    description: typeof detail.Desc === 'string' ? detail.Desc : '',
    unit: typeof detail.Unit === 'string' ? detail.Unit : '',
    times,
    values,
  };
}

/**
 * Finite points only, in strictly increasing time order whatever order the upstream sent them in.
 *
 * Written straight into typed arrays: an hour of 20 users at 10 s sampling is ~360 000 points, and an object
 * and two array slots per point cost more than JSON.parse itself (measured: 120 ms against 30 ms per call).
 */
function parsePoints(data: unknown): { times: Float64Array; values: Float64Array } {
  const list = Array.isArray(data) ? data : [];
  const times = new Float64Array(list.length);
  const values = new Float64Array(list.length);
  let count = 0;
  let ordered = true;
  for (const point of list) {
    if (!isObject(point)) continue;
    const { Time: time, Value: value } = point;
    if (typeof time !== 'number' || typeof value !== 'number') continue;
    if (!Number.isFinite(time) || !Number.isFinite(value)) continue;
    if (count > 0 && (times[count - 1] as number) >= time) ordered = false;
    times[count] = time;
    values[count] = value;
    count++;
  }
  // The rare unordered answer: sorted, a repeated time keeping the upstream's latest report of it.
  if (!ordered) return sortedUnique(times.subarray(0, count), values.subarray(0, count));
  // Skipped points leave unused room at the end; the cache keeps what it is given, so it gets exact lengths.
  return count === list.length
    ? { times, values }
    : { times: times.slice(0, count), values: values.slice(0, count) };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/**
 * A printable prefix of upstream text. Long hex runs are masked: an upstream that echoes a signature or a
 * string-to-sign in an error message must not have it repeated in ours.
 */
function safeExcerpt(text: string, maxChars: number): string {
  const printable = text.replace(/\p{Cc}+/gu, ' ').replace(/[0-9a-f]{32,}/gi, '[redacted]');
  return printable.length > maxChars ? `${printable.slice(0, maxChars)}...` : printable;
}
