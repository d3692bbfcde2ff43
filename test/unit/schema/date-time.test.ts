/**
 * Instants finer than a millisecond (RFC 3339 allows any number of fraction digits) keep the half-open rule
 * exact: through the whole app, from an upstream with samples on neighbouring milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { createInProcessGateway } from '../../helpers/in-process-gateway.js';
import { upStreamOf } from '../../helpers/quirk-upstream.js';
import { pastRange } from '../../helpers/test-gateway.js';

const HOUR_MS = 3_600_000;
const QUERY = `query ($from: DateTime!, $to: DateTime!) {
  callQuality(appId: "a", roomId: "r", userIds: ["u1"], from: $from, to: $to, directions: [UP]) {
    from to streams { metrics { series { times } } }
  }
}`;

interface Answer {
  callQuality: Array<{
    from: string;
    to: string;
    streams: Array<{ metrics: Array<{ series: { times: number[] } }> }>;
  }>;
}

// A sample at …:10.654 and one a millisecond either side of it.
const sampleMs = pastRange(2).fromMs + HOUR_MS + 10_654;
const harness = createInProcessGateway({
  answer: (call) => [
    upStreamOf(
      { name: 'Rtt', unit: 'ms' },
      [sampleMs - 1, sampleMs, sampleMs + 1]
        .filter((time) => time >= call.startMs && time <= call.endMs)
        .map((time) => ({ Time: time, Value: 1 })),
    ),
  ],
});

/** The sample's instant with `digits` appended to its three fraction digits, e.g. …10.6540005Z. */
const finer = (digits: string) => new Date(sampleMs).toISOString().replace('Z', `${digits}Z`);
const iso = (ms: number) => new Date(ms).toISOString();

async function timesFor(from: string, to: string) {
  const { data, errors } = await harness.query<Answer>(QUERY, { from, to });
  expect(errors).toBeUndefined();
  return data?.callQuality[0]?.streams[0]?.metrics[0]?.series.times;
}

describe('instants finer than a millisecond', () => {
  it('leaves a sample at .654 outside a `from` of .6540005', async () => {
    expect(await timesFor(finer('0005'), iso(sampleMs + HOUR_MS / 2))).toEqual([sampleMs + 1]);
  });

  it('keeps a sample at .654 inside a `to` of .6540005', async () => {
    expect(await timesFor(iso(sampleMs - HOUR_MS / 2), finer('0005'))).toEqual([sampleMs - 1, sampleMs]);
  });

  it('reads any number of fraction digits, and trailing zeros change nothing', async () => {
    expect(await timesFor(finer('0000000'), iso(sampleMs + HOUR_MS / 2))).toEqual([sampleMs, sampleMs + 1]);
    const { data, errors } = await harness.query<Answer>(QUERY, {
      from: finer('1234567891'),
      to: iso(sampleMs + 2),
    });
    expect(errors).toBeUndefined();
    // Bounds are whole milliseconds in the answer: .6541234567891 starts at .655.
    expect(data?.callQuality[0]?.from).toBe(iso(sampleMs + 1));
  });
});
