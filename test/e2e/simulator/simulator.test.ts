import { Client, request } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { roomPublishers } from '../../../src/simulator/episodes.js';
import { type Simulator, startSimulator } from '../../../src/simulator/simulator.js';
import { generateUserCallDetail } from '../../../src/simulator/synthetic-data.js';
import { CREDENTIALS, callQuery, HOUR_MS, NOW, rfc3339, signedGet } from '../../helpers/signed-get.js';

const UP_NAMES = [
  'AudioSendBitrate',
  'VideoSendBitrate',
  'VideoSendFrameRate',
  'UpPacketLossRate',
  'Rtt',
  'Jitter',
];
const DOWN_NAMES = [
  'AudioRecvBitrate',
  'VideoRecvBitrate',
  'VideoRecvFrameRate',
  'DownPacketLossRate',
  'Rtt',
  'Jitter',
  'VideoStallDuration',
  'AudioStallDuration',
];

interface Entry {
  UserId: string;
  RoomId: string;
  Direction: string;
  PeerId?: string;
  CallDetail: { Name: string; Desc: string; Unit: string; Data: { Time: number; Value: number }[] }[];
}

let simulator: Simulator;

beforeEach(async () => {
  // A generous rate limit: these tests are about answers, not flow control.
  simulator = await startSimulator({ credentials: CREDENTIALS, now: () => NOW, requestsPerSecond: 1000 });
});

afterEach(async () => {
  await simulator.close();
});

describe('a valid ListCallDetail call', () => {
  it('answers the documented envelope with one up entry and one down entry per other publisher', async () => {
    const answer = await signedGet(simulator.url, callQuery());

    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.json.ResponseMetadata).toEqual({
      RequestId: expect.stringMatching(/^20261125120000[0-9A-F]{18}$/),
      Action: 'ListCallDetail',
      Version: '2023-11-01',
      Service: 'rtc',
      Region: 'cn-north-1',
    });
    expect(answer.json.ResponseMetadata.Error).toBeUndefined();
    const entries: Entry[] = answer.json.Result.UserCallDetail;
    const [up, ...downs] = entries;
    expect(up).toMatchObject({ UserId: 'u1', RoomId: 'room1', Direction: 'up' });
    expect(up).not.toHaveProperty('PeerId');
    expect(up?.CallDetail.map((detail) => detail.Name)).toEqual(UP_NAMES);
    expect(downs.map((entry) => entry.PeerId)).toEqual(roomPublishers('app1', 'room1'));
    for (const down of downs) {
      expect(down).toMatchObject({ UserId: 'u1', RoomId: 'room1', Direction: 'down' });
      expect(down.CallDetail.map((detail) => detail.Name)).toEqual(DOWN_NAMES);
    }
    expect(up?.CallDetail[0]).toMatchObject({ Desc: 'Audio send bitrate', Unit: 'kbps' });
  });

  it('serves points on the interval, increasing, inside the inclusive range', async () => {
    const startMs = NOW - 2 * HOUR_MS;
    const endMs = NOW - HOUR_MS;
    const answer = await signedGet(
      simulator.url,
      callQuery({ StartTime: rfc3339(startMs), EndTime: rfc3339(endMs) }),
    );

    const entries: Entry[] = answer.json.Result.UserCallDetail;
    expect(entries.length).toBeGreaterThan(1);
    const details = entries.flatMap((entry) => entry.CallDetail);
    const misplaced = details.flatMap((detail) =>
      detail.Data.filter(
        (point, index) =>
          point.Time % 10_000 !== 0 ||
          point.Time < startMs ||
          point.Time > endMs ||
          (index > 0 && point.Time <= (detail.Data[index - 1]?.Time ?? 0)) ||
          !Number.isFinite(point.Value),
      ),
    );
    expect(misplaced).toEqual([]);
    expect(details.every((detail) => detail.Data.length > 0)).toBe(true);
  });

  it('serves nothing newer than now - 100 s', async () => {
    const userIds = ['u1', 'u2', 'u3', 'u4', 'u5'];
    const answer = await signedGet(
      simulator.url,
      callQuery({ UserId: userIds.join(','), StartTime: rfc3339(NOW - HOUR_MS / 2), EndTime: rfc3339(NOW) }),
    );

    const entries: Entry[] = answer.json.Result.UserCallDetail;
    const lastTimes = entries.map((entry) => entry.CallDetail[0]?.Data.at(-1)?.Time ?? 0);
    expect(Math.max(...lastTimes)).toBe(NOW - 100_000);
  });

  it('serves exactly what generateUserCallDetail computes, users in request order and once each', async () => {
    const answer = await signedGet(simulator.url, callQuery({ UserId: 'u2,u1,u2', Direction: '0' }));

    const shared = {
      appId: 'app1',
      roomId: 'room1',
      startMs: NOW - 2 * HOUR_MS,
      endMs: NOW - HOUR_MS,
      direction: 0 as const,
      sampleIntervalMs: 10_000,
      nowMs: NOW,
    };
    expect(answer.json.Result.UserCallDetail).toEqual([
      ...generateUserCallDetail({ ...shared, userId: 'u2' }),
      ...generateUserCallDetail({ ...shared, userId: 'u1' }),
    ]);
  });

  it('gives every response its own RequestId', async () => {
    const first = await signedGet(simulator.url, callQuery());
    const second = await signedGet(simulator.url, callQuery());
    expect(first.json.ResponseMetadata.RequestId).not.toBe(second.json.ResponseMetadata.RequestId);
  });
});

describe('Direction', () => {
  it('1 returns only up entries, 2 only down entries, absent both', async () => {
    const directionsOf = async (direction: string | undefined) => {
      const answer = await signedGet(simulator.url, callQuery({ UserId: 'u1,u2', Direction: direction }));
      return [...new Set((answer.json.Result.UserCallDetail as Entry[]).map((entry) => entry.Direction))];
    };
    expect(await directionsOf('1')).toEqual(['up']);
    expect(await directionsOf('2')).toEqual(['down']);
    expect(await directionsOf(undefined)).toEqual(['up', 'down']);
  });
});

describe('user ids', () => {
  it('drops invalid ids and absent... ids silently', async () => {
    const userIds = ['u1', 'bad id', 'absent-7', 'x'.repeat(129), 'ünïcode', 'absent'];
    const answer = await signedGet(simulator.url, callQuery({ UserId: userIds.join(',') }));

    expect(answer.status).toBe(200);
    const users = new Set((answer.json.Result.UserCallDetail as Entry[]).map((entry) => entry.UserId));
    expect([...users]).toEqual(['u1']);
  });

  it('answers 200 with no entries when no requested user has data', async () => {
    const answer = await signedGet(simulator.url, callQuery({ UserId: 'absent-1,absent-2' }));
    expect(answer.status).toBe(200);
    expect(answer.json.Result).toEqual({ UserCallDetail: [] });
  });
});

describe('recorded calls', () => {
  it('records every request in arrival order with its parameters and outcome', async () => {
    await signedGet(simulator.url, callQuery({ UserId: 'u1,bad id,u2', Direction: '1' }));
    await signedGet(simulator.url, callQuery({ Direction: '7' }));
    await signedGet(simulator.url, callQuery(), {
      credentials: { ...CREDENTIALS, secretAccessKey: 'wrong' },
    });

    expect(simulator.calls).toEqual([
      {
        atMs: NOW,
        appId: 'app1',
        roomId: 'room1',
        userIds: ['u1', 'bad id', 'u2'],
        startTime: '2026-11-25T10:00:00Z',
        endTime: '2026-11-25T11:00:00Z',
        direction: '1',
        httpStatus: 200,
        errorCode: null,
        fault: null,
        buildMs: expect.any(Number),
      },
      expect.objectContaining({
        direction: '7',
        httpStatus: 400,
        errorCode: 'InvalidParameter',
        fault: null,
        buildMs: 0,
      }),
      expect.objectContaining({ userIds: ['u1'], httpStatus: 401, errorCode: 'SignatureDoesNotMatch' }),
    ]);
    simulator.resetCalls();
    expect(simulator.calls).toEqual([]);
  });

  it('keeps only the last maxRecordedCalls', async () => {
    const small = await startSimulator({ credentials: CREDENTIALS, now: () => NOW, maxRecordedCalls: 2 });
    try {
      for (const userId of ['a1', 'a2', 'a3']) await signedGet(small.url, callQuery({ UserId: userId }));
      expect(small.calls.map((call) => call.userIds)).toEqual([['a2'], ['a3']]);
    } finally {
      await small.close();
    }
  });
});

describe('what is served', () => {
  it('refuses other methods and paths with InvalidActionOrVersion', async () => {
    const post = await request(`${simulator.url}/?Action=ListCallDetail&Version=2023-11-01`, {
      method: 'POST',
    });
    const other = await request(`${simulator.url}/rtc?Action=ListCallDetail&Version=2023-11-01`);
    for (const response of [post, other]) {
      expect(response.statusCode).toBe(404);
      const body = (await response.body.json()) as { ResponseMetadata: { Error: unknown } };
      expect(body.ResponseMetadata.Error).toMatchObject({ Code: 'InvalidActionOrVersion', CodeN: 100008 });
    }
  });

  it('refuses a repeated query parameter, naming it', async () => {
    const query = callQuery();
    const answer = await signedGet(simulator.url, query, {
      sentQueryString: `${new URLSearchParams(query).toString()}&UserId=u9`,
    });
    expect(answer.status).toBe(400);
    expect(answer.json.ResponseMetadata.Error).toEqual({
      Code: 'InvalidParameter',
      CodeN: 10001,
      Message: 'UserId: given more than once',
    });
  });
});

describe('openConnections', () => {
  it('counts open sockets, idle keep-alive ones included, until their client closes them', async () => {
    expect(simulator.openConnections()).toBe(0);
    const clients = [new Client(simulator.url), new Client(simulator.url)];
    for (const client of clients) {
      const response = await client.request({ path: '/', method: 'POST' });
      await response.body.dump();
    }
    // Both answered, both sockets kept alive by their clients.
    expect(simulator.openConnections()).toBe(2);
    await clients[0]?.close();
    await vi.waitFor(() => expect(simulator.openConnections()).toBe(1));
    await clients[1]?.close();
    await vi.waitFor(() => expect(simulator.openConnections()).toBe(0));
  });
});

describe('close', () => {
  it('closes promptly with a keep-alive connection open, and refuses connections afterwards', async () => {
    const ours = await startSimulator({ credentials: CREDENTIALS, now: () => NOW });
    await signedGet(ours.url, callQuery());
    const started = performance.now();
    await ours.close();
    // Keep-alive sockets would otherwise hold the server open for 5 s.
    expect(performance.now() - started).toBeLessThan(4000);
    await expect(signedGet(ours.url, callQuery())).rejects.toThrow();
  });
});
