/**
 * Incidents and quality scores of streams through the whole app, on hand-made upstream series whose answers
 * are computed by hand: they read the same upstream data as the series, at no extra call.
 */
import { describe, expect, it } from 'vitest';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { pointsBetween, type QuirkCall, type UserCallDetailEntry } from '../../helpers/quirk-upstream.js';
import { pastRange } from '../../helpers/test-gateway.js';

const SAMPLE_MS = 10_000;
const range = pastRange(1);
/** Sample index 20..24 (200 s to 240 s into the range): RTT 500 ms, the rest of the hour 100 ms. */
const spikeFromMs = range.fromMs + 200_000;
const spikeToMs = range.fromMs + 250_000;

function metric(name: string, unit: string, call: QuirkCall, value: (timeMs: number) => number) {
  return {
    Name: name,
    Desc: name,
    Unit: unit,
    Data: pointsBetween(call.startMs, call.endMs + 1, SAMPLE_MS, value),
  };
}

/** u1 sends with RTT, jitter and loss; it receives from u2 a stream with RTT only. */
function answer(call: QuirkCall): UserCallDetailEntry[] {
  const inRange = (timeMs: number) => timeMs >= range.fromMs && timeMs < range.toMs;
  const rtt = (timeMs: number) => (timeMs >= spikeFromMs && timeMs < spikeToMs ? 500 : 100);
  return [
    {
      UserId: 'u1',
      RoomId: 'r',
      Direction: 'up',
      CallDetail: [
        metric('Rtt', 'ms', call, rtt),
        metric('Jitter', 'ms', call, () => 10),
        metric('UpPacketLossRate', '%', call, () => 1),
      ].map((m) => ({ ...m, Data: m.Data.filter((point) => inRange(point.Time)) })),
    },
    {
      UserId: 'u1',
      RoomId: 'r',
      Direction: 'down',
      PeerId: 'u2',
      CallDetail: [metric('Rtt', 'ms', call, () => 120)],
    },
  ];
}

const QUERY = `query ($from: DateTime!, $to: DateTime!, $rules: [IncidentRuleInput!]) {
  callQuality(appId: "a", roomId: "r", userIds: ["u1"], from: $from, to: $to) {
    streams {
      direction
      incidents(rules: $rules) { kind metric direction peerId start end peak threshold }
      quality { score mos band missingRoles buckets(step: 1800) { times scores mos } }
    }
  }
}`;

interface Answer {
  callQuality: Array<{
    streams: Array<{
      direction: string;
      incidents: Array<Record<string, unknown>>;
      quality: {
        score: number | null;
        mos: number | null;
        band: string | null;
        missingRoles: string[];
        buckets: { times: number[]; scores: number[]; mos: number[] };
      };
    }>;
  }>;
}

describe('stream incidents and quality', () => {
  it('finds the RTT spike by the default rules and rates the stream by the E-model', async () => {
    const gateway = createInProcessGateway({ answer });
    const response = await gateway.query<Answer>(QUERY, { from: range.from, to: range.to });
    expect(response.errors).toBeUndefined();
    const [up, down] = response.data?.callQuality[0]?.streams ?? [];
    // Five samples at 500 ms: 3 of 5 first hold at the third, from the first; the sixth is back to 100 ms.
    expect(up?.incidents).toEqual([
      expect.objectContaining({
        kind: 'HIGH_RTT',
        metric: 'Rtt',
        start: new Date(spikeFromMs).toISOString(),
        end: new Date(spikeToMs).toISOString(),
        peak: 500,
        threshold: 400,
      }),
      // rtt 500, jitter 10, loss 1: L = 530, Id = 41, R = 51.268, MOS = 2.7944 - 0.2424 < 3.5.
      expect.objectContaining({ kind: 'LOW_MOS', metric: 'MOS', start: new Date(spikeFromMs).toISOString() }),
    ]);
    // 355 samples rated R = 89.018 (rtt 100) and 5 rated 51.268: mean R = 88.49361111...
    const meanR = (355 * 89.018 + 5 * 51.268) / 360;
    expect(up?.quality.score).toBeCloseTo(meanR, 9);
    expect(up?.quality.band).toBe('GOOD');
    expect(up?.quality.missingRoles).toEqual([]);
    const firstBucket = up?.quality.buckets;
    expect(firstBucket?.times[0]).toBe(Math.floor(range.fromMs / 1_800_000) * 1_800_000);
    // The DOWN stream has RTT only: no rating, and it says which inputs are missing.
    expect(down?.quality).toEqual({
      score: null,
      mos: null,
      band: null,
      missingRoles: ['JITTER', 'PACKET_LOSS'],
      buckets: { times: [], scores: [], mos: [] },
    });
    expect(down?.incidents).toEqual([]);
    // The insights read the series' data: as many calls as the streams alone.
    const plain = createInProcessGateway({ answer });
    await plain.query(
      'query ($from: DateTime!, $to: DateTime!) { callQuality(appId: "a", roomId: "r", userIds: ["u1"], from: $from, to: $to) { streams { direction } } }',
      range,
    );
    expect(gateway.upstream.calls.length).toBe(plain.upstream.calls.length);
  });

  it('says which rules a stream could not be judged by, rather than calling it healthy', async () => {
    const gateway = createInProcessGateway({ answer });
    const response = await gateway.query<Answer>(QUERY, { from: range.from, to: range.to });
    expect(response.extensions?.warnings).toEqual([
      expect.objectContaining({
        code: 'UNJUDGED_INCIDENT_RULE',
        kind: 'HIGH_JITTER',
        missing: ['JITTER'],
        streams: 1,
      }),
      expect.objectContaining({
        code: 'UNJUDGED_INCIDENT_RULE',
        kind: 'HIGH_PACKET_LOSS',
        missing: ['PACKET_LOSS'],
      }),
      expect.objectContaining({
        code: 'UNJUDGED_INCIDENT_RULE',
        kind: 'LOW_MOS',
        missing: ['JITTER', 'PACKET_LOSS'],
      }),
      expect.objectContaining({ code: 'UNJUDGED_INCIDENT_RULE', kind: 'VIDEO_FREEZE', missing: ['FREEZE'] }),
    ]);
  });

  it('applies the rules a query brings, by metric name, with a duration', async () => {
    const gateway = createInProcessGateway({ answer });
    const rules = [
      { kind: 'SLOW', metric: 'Rtt', comparison: 'ABOVE', threshold: 110, seconds: 30, direction: 'UP' },
    ];
    const response = await gateway.query<Answer>(QUERY, { from: range.from, to: range.to, rules });
    expect(response.errors).toBeUndefined();
    const [up, down] = response.data?.callQuality[0]?.streams ?? [];
    // 500 ms from 200 s to 240 s: 40 s on end; the DOWN stream's 120 ms is not judged (UP only).
    expect(up?.incidents).toEqual([
      {
        kind: 'SLOW',
        metric: 'Rtt',
        direction: 'UP',
        peerId: null,
        start: new Date(spikeFromMs).toISOString(),
        end: new Date(spikeToMs).toISOString(),
        peak: 500,
        threshold: 110,
      },
    ]);
    expect(down?.incidents).toEqual([]);
  });

  it('refuses a rule that cannot clear, naming it and the fix', async () => {
    const gateway = createInProcessGateway({ answer });
    const rules = [{ kind: 'X', role: 'RTT', comparison: 'ABOVE', threshold: 400, clearThreshold: 450 }];
    const response = await gateway.query<Answer>(QUERY, { from: range.from, to: range.to, rules });
    expect(response.errors?.[0]).toMatchObject({
      message: expect.stringContaining(
        '`rules[0].clearThreshold` must be on the healthy side of `threshold` (at most 400)',
      ),
      extensions: { code: 'BAD_USER_INPUT', argument: 'rules[0].clearThreshold' },
    });
  });
});
