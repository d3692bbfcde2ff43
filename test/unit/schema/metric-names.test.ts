import { beforeEach, describe, expect, it } from 'vitest';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pastRange } from '../../helpers/test-gateway.js';

const NAMES = `query ($room: ID!, $from: DateTime!, $to: DateTime!) {
  callQuality(appId: "app1", roomId: $room, userIds: ["user1"], from: $from, to: $to) {
    metricNames { name unit description }
  }
}`;

/** Asks every stream of user1 for `names`, and user2's UP stream only for `upNames`. */
const FILTERED = `query ($room: ID!, $from: DateTime!, $to: DateTime!, $names: [String!]!, $upNames: [String!]!) {
  callQuality(appId: "app1", roomId: $room, userIds: ["user1"], from: $from, to: $to) {
    streams { direction metrics(names: $names) { name } }
  }
  room(appId: "app1", roomId: $room) {
    user(userId: "user2", from: $from, to: $to) {
      streams(direction: UP) { up: metrics(names: $upNames) { name } one: metric(name: "Jiter") { name } }
    }
  }
}`;

interface Warning {
  code: string;
  message: string;
  names?: string[];
  suggestions?: Record<string, string[]>;
}

const harness = createInProcessGateway();
let room = '';
let rooms = 0;
beforeEach(() => {
  harness.upstream.resetCalls();
  rooms += 1;
  room = `metric-names-room${rooms}`;
});

function warningsOf(response: { extensions?: Record<string, unknown> }): Warning[] | undefined {
  return response.extensions?.warnings as Warning[] | undefined;
}

describe('UserCallQuality.metricNames', () => {
  it('lists each name of the user’s streams once, UP first, with unit and description, and no points', async () => {
    const range = pastRange(1);
    const response = await harness.query<{
      callQuality: { metricNames: { name: string; unit: string }[] }[];
    }>(NAMES, { room, ...range });

    expect(response.errors).toBeUndefined();
    const [entry] = response.data?.callQuality ?? [];
    expect(entry?.metricNames.map((metric) => metric.name)).toEqual([
      'AudioSendBitrate',
      'VideoSendBitrate',
      'VideoSendFrameRate',
      'UpPacketLossRate',
      'Rtt',
      'Jitter',
      'AudioRecvBitrate',
      'VideoRecvBitrate',
      'VideoRecvFrameRate',
      'DownPacketLossRate',
      'VideoStallDuration',
      'AudioStallDuration',
    ]);
    expect(entry?.metricNames[4]).toEqual({ name: 'Rtt', unit: 'ms', description: 'Round-trip time' });
    expect(harness.upstream.calls).toHaveLength(1);
    expect(warningsOf(response)).toBeUndefined();
  });

  it('costs no upstream call more for a range already cached', async () => {
    const range = pastRange(1);
    const streams = `query ($room: ID!, $from: DateTime!, $to: DateTime!) {
      callQuality(appId: "app1", roomId: $room, userIds: ["user1"], from: $from, to: $to) { streams { direction } }
    }`;
    expect((await harness.query(streams, { room, ...range })).errors).toBeUndefined();
    expect(harness.upstream.calls).toHaveLength(1);

    const response = await harness.query(NAMES, { room, ...range });
    expect(response.errors).toBeUndefined();
    expect(harness.upstream.calls).toHaveLength(1);
  });
});

describe('UNKNOWN_METRIC warning', () => {
  it('names the names no stream of the answer has, with the closest known ones', async () => {
    const range = pastRange(1);
    const response = await harness.query<{
      callQuality: { streams: { metrics: { name: string }[] }[] }[];
    }>(FILTERED, { room, ...range, names: ['RTT', 'Rtt', 'PacketLoss'], upNames: ['rtt', 'Temperature'] });

    expect(response.errors).toBeUndefined();
    // The data is what it was: only the names that exist, on each stream.
    for (const stream of response.data?.callQuality[0]?.streams ?? []) {
      expect(stream.metrics).toEqual([{ name: 'Rtt' }]);
    }
    expect(warningsOf(response)).toEqual([
      {
        code: 'UNKNOWN_METRIC',
        names: ['RTT', 'PacketLoss', 'rtt', 'Temperature', 'Jiter'],
        suggestions: {
          RTT: ['Rtt'],
          PacketLoss: ['UpPacketLossRate', 'DownPacketLossRate'],
          rtt: ['Rtt'],
          Temperature: [],
          Jiter: ['Jitter'],
        },
        message:
          'No stream of this answer has the metric "RTT" (did you mean "Rtt"?), "PacketLoss" (did you mean ' +
          '"UpPacketLossRate" or "DownPacketLossRate"?), "rtt" (did you mean "Rtt"?), "Temperature", "Jiter" ' +
          '(did you mean "Jitter"?); UserCallQuality.metricNames lists the names there are.',
      },
    ]);
  });

  it('stays silent when every name exists on some stream, though not on every one', async () => {
    const range = pastRange(1);
    const response = await harness.query(
      FILTERED.replace('metric(name: "Jiter")', 'metric(name: "Jitter")'),
      // AudioSendBitrate is on UP streams only, AudioRecvBitrate on DOWN streams only.
      { room, ...range, names: ['AudioSendBitrate', 'AudioRecvBitrate'], upNames: ['Rtt'] },
    );

    expect(response.errors).toBeUndefined();
    expect(response.extensions).toBeUndefined();
  });

  it('names a name the streams asked lack, though a stream left out by a filter has it', async () => {
    const range = pastRange(1);
    const query = `query ($room: ID!, $from: DateTime!, $to: DateTime!) {
      callQuality(appId: "app1", roomId: $room, userIds: ["user1"], from: $from, to: $to) {
        streams(direction: UP) { metrics(names: ["AudioRecvBitrate"]) { name } }
      }
    }`;
    const response = await harness.query(query, { room, ...range });

    expect(response.errors).toBeUndefined();
    expect(warningsOf(response)).toMatchObject([
      {
        code: 'UNKNOWN_METRIC',
        names: ['AudioRecvBitrate'],
        suggestions: { AudioRecvBitrate: ['AudioSendBitrate'] },
      },
    ]);
  });
});
