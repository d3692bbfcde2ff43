import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRfc3339Seconds, splitUserIds } from '../../../src/simulator/list-call-detail-params.js';
import { type Simulator, startSimulator } from '../../../src/simulator/simulator.js';
import { CREDENTIALS, callQuery, HOUR_MS, NOW, rfc3339, signedGet } from '../../helpers/signed-get.js';

const DAY_MS = 24 * HOUR_MS;
const users = (count: number) => Array.from({ length: count }, (_, index) => `user${index}`).join(',');

describe('parseRfc3339Seconds', () => {
  it('reads UTC and offset times to the same instant', () => {
    const utc = Date.parse('2026-11-25T10:00:00Z');
    expect(parseRfc3339Seconds('2026-11-25T10:00:00Z')).toBe(utc);
    expect(parseRfc3339Seconds('2026-11-25T18:00:00+08:00')).toBe(utc);
    expect(parseRfc3339Seconds('2026-11-25T04:30:00-05:30')).toBe(utc);
  });

  it.each([
    '2026-11-25T10:00:00',
    '2026-11-25 10:00:00Z',
    '2026-11-25T10:00:00.000Z',
    '2026-11-25T10:00Z',
    '2026-02-30T10:00:00Z',
    '2026-11-25T24:00:00Z',
    '2026-11-25T10:00:00+24:00',
    '1764064800',
    '',
  ])('refuses %j', (text) => {
    expect(parseRfc3339Seconds(text)).toBeNull();
  });
});

describe('splitUserIds', () => {
  it('splits on commas and skips empty segments', () => {
    expect(splitUserIds('u1,,u2,')).toEqual(['u1', 'u2']);
    expect(splitUserIds(undefined)).toEqual([]);
  });
});

describe('limits, over HTTP', () => {
  let simulator: Simulator;

  beforeAll(async () => {
    simulator = await startSimulator({ credentials: CREDENTIALS, now: () => NOW, requestsPerSecond: 1000 });
  });

  afterAll(async () => {
    await simulator.close();
  });

  it.each([
    ['0 users', { UserId: ',' }, 'UserId: at least 1 id'],
    ['21 users', { UserId: users(21) }, 'UserId: at most 20 ids'],
    [
      'a span over 1 hour',
      { StartTime: rfc3339(NOW - 2 * HOUR_MS), EndTime: rfc3339(NOW - HOUR_MS + 1000) },
      'EndTime: span longer than 1 hour',
    ],
    [
      'start == end',
      { StartTime: rfc3339(NOW - HOUR_MS), EndTime: rfc3339(NOW - HOUR_MS) },
      'StartTime: must be before EndTime',
    ],
    [
      'start > end',
      { StartTime: rfc3339(NOW - HOUR_MS), EndTime: rfc3339(NOW - 2 * HOUR_MS) },
      'StartTime: must be before EndTime',
    ],
    [
      'a start older than 6 days',
      { StartTime: rfc3339(NOW - 6 * DAY_MS - 1000), EndTime: rfc3339(NOW - 6 * DAY_MS + HOUR_MS - 1000) },
      'StartTime: older than 6 days',
    ],
    ['a StartTime without offset', { StartTime: '2026-11-25T10:00:00' }, 'StartTime: not RFC 3339'],
    ['an EndTime in unix seconds', { EndTime: '1795604400' }, 'EndTime: not RFC 3339'],
    ['Direction 3', { Direction: '3' }, 'Direction: must be 0, 1 or 2'],
    ['Direction up', { Direction: 'up' }, 'Direction: must be 0, 1 or 2'],
  ])('refuses %s with InvalidParameter 400', async (_case, overrides, message) => {
    const answer = await signedGet(simulator.url, callQuery(overrides));
    expect(answer.status).toBe(400);
    expect(answer.json.ResponseMetadata.Error).toEqual({
      Code: 'InvalidParameter',
      CodeN: 10001,
      Message: message,
    });
    expect(answer.json.Result).toBeUndefined();
  });

  it.each(['AppId', 'RoomId', 'UserId', 'StartTime', 'EndTime'])(
    'refuses a missing %s with MissingParameter 400',
    async (name) => {
      for (const value of [undefined, '']) {
        const answer = await signedGet(simulator.url, callQuery({ [name]: value }));
        expect(answer.status).toBe(400);
        expect(answer.json.ResponseMetadata.Error).toMatchObject({ Code: 'MissingParameter', CodeN: 100002 });
        expect(answer.json.ResponseMetadata.Error.Message).toContain(name);
      }
    },
  );

  it.each([
    ['another Action', { Action: 'ListRoomInfo' }],
    ['another Version', { Version: '2020-12-01' }],
    ['no Action', { Action: undefined }],
  ])('refuses %s with InvalidActionOrVersion 404', async (_case, overrides) => {
    const answer = await signedGet(simulator.url, callQuery(overrides));
    expect(answer.status).toBe(404);
    expect(answer.json.ResponseMetadata.Error).toMatchObject({
      Code: 'InvalidActionOrVersion',
      CodeN: 100008,
    });
  });

  it.each([
    ['20 users', { UserId: users(20) }],
    ['exactly 1 hour', { StartTime: rfc3339(NOW - 2 * HOUR_MS), EndTime: rfc3339(NOW - HOUR_MS) }],
    [
      'a start exactly 6 days ago',
      { StartTime: rfc3339(NOW - 6 * DAY_MS), EndTime: rfc3339(NOW - 6 * DAY_MS + HOUR_MS) },
    ],
    [
      'a range reaching into the future',
      { StartTime: rfc3339(NOW - HOUR_MS / 2), EndTime: rfc3339(NOW + HOUR_MS / 2) },
    ],
    ['no Direction', { Direction: undefined }],
    ['an empty Direction', { Direction: '' }],
  ])('accepts %s', async (_case, overrides) => {
    const answer = await signedGet(simulator.url, callQuery(overrides));
    expect(answer.status).toBe(200);
  });

  it('serves the same data for a +08:00 range as for the same UTC range', async () => {
    const utc = await signedGet(
      simulator.url,
      callQuery({ StartTime: '2026-11-25T10:00:00Z', EndTime: '2026-11-25T11:00:00Z' }),
    );
    const beijing = await signedGet(
      simulator.url,
      callQuery({ StartTime: '2026-11-25T18:00:00+08:00', EndTime: '2026-11-25T19:00:00+08:00' }),
    );
    expect(beijing.json.Result).toEqual(utc.json.Result);
    expect(utc.json.Result.UserCallDetail.length).toBeGreaterThan(0);
  });
});
