import { describe, expect, it } from 'vitest';
import { parseListCallDetailResponse, parseRetryAfter } from '../../../src/upstream/parse-response.js';
import { UpstreamResponseError } from '../../../src/upstream/upstream-error.js';

const metadata = {
  RequestId: 'req-1',
  Action: 'ListCallDetail',
  Version: '2023-11-01',
  Service: 'rtc',
  Region: 'cn-north-1',
};

function success(userCallDetail: unknown): string {
  return JSON.stringify({ ResponseMetadata: metadata, Result: { UserCallDetail: userCallDetail } });
}

function failure(error: unknown): string {
  return JSON.stringify({ ResponseMetadata: { ...metadata, Error: error } });
}

function parseError(status: number, body: string, retryAfter?: string | null, nowMs = 0) {
  try {
    parseListCallDetailResponse(status, body, retryAfter, nowMs);
  } catch (error) {
    expect(error).toBeInstanceOf(UpstreamResponseError);
    return error as UpstreamResponseError;
  }
  throw new Error('expected the parser to throw');
}

describe('parseListCallDetailResponse: success', () => {
  it('maps up and down streams into typed series', () => {
    const result = parseListCallDetailResponse(
      200,
      success([
        {
          UserId: 'u1',
          RoomId: 'r1',
          Direction: 'up',
          PeerId: 'ignored-for-up',
          CallDetail: [
            {
              Name: 'AudioSendBitrate',
              Desc: 'audio bitrate sent',
              Unit: 'kbps',
              Data: [
                { Time: 1000, Value: 32.5 },
                { Time: 2000, Value: 33 },
              ],
            },
          ],
        },
        {
          UserId: 'u1',
          RoomId: 'r1',
          Direction: 'down',
          PeerId: 'u2',
          CallDetail: [
            { Name: 'VideoRecvFrameRate', Desc: 'fps', Unit: 'fps', Data: [{ Time: 1000, Value: 15 }] },
          ],
        },
      ]),
    );
    expect(result.requestId).toBe('req-1');
    expect(result.streams).toHaveLength(2);
    const [up, down] = result.streams;
    expect(up).toMatchObject({ userId: 'u1', direction: 'up', peerId: null });
    expect(up?.metrics[0]).toMatchObject({
      name: 'AudioSendBitrate',
      description: 'audio bitrate sent',
      unit: 'kbps',
    });
    expect(up?.metrics[0]?.times).toEqual(Float64Array.from([1000, 2000]));
    expect(up?.metrics[0]?.values).toEqual(Float64Array.from([32.5, 33]));
    expect(down).toMatchObject({ userId: 'u1', direction: 'down', peerId: 'u2' });
    expect(down?.metrics[0]?.values).toEqual(Float64Array.from([15]));
  });

  it('sorts out-of-order points and keeps the last report of a repeated time', () => {
    const result = parseListCallDetailResponse(
      200,
      success([
        {
          UserId: 'u1',
          Direction: 'up',
          CallDetail: [
            {
              Name: 'm',
              Data: [
                { Time: 3000, Value: 3 },
                { Time: 1000, Value: 1 },
                { Time: 2000, Value: 2 },
                { Time: 1000, Value: 1.5 },
                { Time: 3000, Value: 3.5 },
              ],
            },
          ],
        },
      ]),
    );
    const metric = result.streams[0]?.metrics[0];
    expect(metric?.times).toEqual(Float64Array.from([1000, 2000, 3000]));
    expect(metric?.values).toEqual(Float64Array.from([1.5, 2, 3.5]));
  });

  it('drops points that are not finite numbers and skips entries it cannot model', () => {
    const result = parseListCallDetailResponse(
      200,
      success([
        {
          UserId: 'u1',
          Direction: 'up',
          CallDetail: [
            {
              Name: 'm',
              Desc: 42,
              Data: [
                { Time: 1000, Value: 1 },
                { Time: 2000, Value: null },
                { Time: '3000', Value: 3 },
                { Time: 4000, Value: '4' },
                { Time: 5000 },
                null,
                'x',
                { Time: 6000, Value: 6 },
              ],
            },
            { Desc: 'no name' },
            { Name: 'no-data', Data: 'oops' },
          ],
        },
        { UserId: 'u1', Direction: 'both', CallDetail: [] },
        { Direction: 'up', CallDetail: [] },
        { UserId: 'u2', Direction: 'down', CallDetail: 'not-an-array' },
        7,
      ]),
    );
    expect(result.streams).toHaveLength(2);
    const [first, second] = result.streams;
    expect(first?.metrics.map((m) => m.name)).toEqual(['m', 'no-data']);
    expect(first?.metrics[0]?.description).toBe('');
    expect(first?.metrics[0]?.times).toEqual(Float64Array.from([1000, 6000]));
    expect(first?.metrics[0]?.values).toEqual(Float64Array.from([1, 6]));
    expect(first?.metrics[1]?.times).toHaveLength(0);
    // A down stream whose PeerId is missing is kept, without a peer.
    expect(second).toMatchObject({ userId: 'u2', direction: 'down', peerId: null, metrics: [] });
  });

  it('reads a null or missing UserCallDetail as no data', () => {
    expect(parseListCallDetailResponse(200, success(null)).streams).toEqual([]);
    const missing = JSON.stringify({ ResponseMetadata: metadata, Result: {} });
    expect(parseListCallDetailResponse(200, missing)).toEqual({ requestId: 'req-1', streams: [] });
  });
});

describe('parseListCallDetailResponse: errors', () => {
  it('maps an envelope error with its code, request id and status', () => {
    const error = parseError(
      401,
      failure({
        Code: 'SignatureDoesNotMatch',
        CodeN: 100010,
        Message: 'The request signature does not match',
      }),
    );
    expect(error).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstreamCode: 'SignatureDoesNotMatch',
      httpStatus: 401,
      requestId: 'req-1',
      retryable: false,
    });
    expect(error.message).toContain('SignatureDoesNotMatch');
  });

  it('trusts the envelope even when the status says 200', () => {
    const error = parseError(200, failure({ Code: 'InvalidParameter', CodeN: 10001, Message: 'bad' }));
    expect(error).toMatchObject({ upstreamCode: 'InvalidParameter', httpStatus: 200, retryable: false });
  });

  it('marks 429 FlowLimitExceeded retryable and carries Retry-After', () => {
    const error = parseError(
      429,
      failure({ Code: 'FlowLimitExceeded', CodeN: 10009, Message: 'slow down' }),
      '2',
    );
    expect(error).toMatchObject({ upstreamCode: 'FlowLimitExceeded', httpStatus: 429, retryable: true });
    expect(error.retryAfterMs).toBe(2000);
  });

  it('reports a non-2xx status without an envelope error as HTTP_<status>', () => {
    const error = parseError(503, JSON.stringify({ ResponseMetadata: metadata }));
    expect(error).toMatchObject({
      upstreamCode: 'HTTP_503',
      httpStatus: 503,
      requestId: 'req-1',
      retryable: true,
    });
    const forbidden = parseError(403, JSON.stringify({}));
    expect(forbidden).toMatchObject({ upstreamCode: 'HTTP_403', requestId: null, retryable: false });
  });

  it('uses HTTP_<status> for an envelope error without a code', () => {
    expect(parseError(500, failure({ Message: 'boom' }))).toMatchObject({
      upstreamCode: 'HTTP_500',
      retryable: true,
    });
  });

  it('reports unreadable bodies as InvalidResponse with the HTTP status', () => {
    expect(parseError(200, '{"ResponseMetadata":')).toMatchObject({
      code: 'UPSTREAM_ERROR',
      upstreamCode: 'InvalidResponse',
      httpStatus: 200,
      retryable: false,
    });
    expect(parseError(502, '<html>Bad Gateway</html>')).toMatchObject({
      upstreamCode: 'InvalidResponse',
      httpStatus: 502,
      retryable: true,
    });
    expect(parseError(200, '[1,2]').upstreamCode).toBe('InvalidResponse');
    expect(parseError(200, 'null').upstreamCode).toBe('InvalidResponse');
    expect(parseError(200, JSON.stringify({ ResponseMetadata: metadata })).upstreamCode).toBe(
      'InvalidResponse',
    );
    expect(parseError(200, success({ not: 'an array' })).upstreamCode).toBe('InvalidResponse');
  });

  it('keeps messages short and free of signature-like data', () => {
    const signature = 'a'.repeat(64);
    const body = `<html>${'x'.repeat(10_000)} Signature=${signature}</html>`;
    const invalid = parseError(200, body);
    expect(invalid.message.length).toBeLessThan(200);
    const echoed = parseError(
      401,
      failure({ Code: 'SignatureDoesNotMatch', Message: `expected ${signature}\n${'y'.repeat(1000)}` }),
    );
    expect(echoed.message).not.toContain(signature);
    expect(echoed.message).not.toContain('\n');
    expect(echoed.message.length).toBeLessThan(300);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T10:00:00Z');

  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:59:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
    expect(parseRetryAfter('-1', now)).toBeNull();
    expect(parseRetryAfter('1.5', now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
