/**
 * The column fast path (column-execution-plugin.ts) answers byte for byte what the plain executed path does:
 * the same operation against two gateways on one frozen clock, one with columns stitched from kept slot text,
 * one completing every float through the executor. Introspection is answered from the public schema.
 */
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  createInProcessGateway,
  IN_PROCESS_GRAPHQL_URL,
  type InProcessGateway,
} from '../../helpers/in-process-gateway.js';
import { manualClock } from '../../helpers/manual-clock.js';
import { userIds } from '../../helpers/test-gateway.js';

const clock = manualClock(Date.now());
const HOUR_MS = 3_600_000;
// Not on slot edges: the range spans 13 slots, each column is stitched from 13 slots' text.
const FROM = new Date(clock.now() - 3 * HOUR_MS - 123_456).toISOString();
const TO = new Date(clock.now() - 2 * HOUR_MS - 123_456).toISOString();

// Few, fast retries: the failed chunk's case is about what its failure looks like. No response cache: an
// operation asked again must be executed again.
const RETRY_ENV = {
  RESPONSE_CACHE_MAX_MB: '0',
  UPSTREAM_RETRY_MAX_ATTEMPTS: '2',
  UPSTREAM_RETRY_BASE_DELAY_MS: '10',
  UPSTREAM_RETRY_MAX_DELAY_MS: '20',
};

function pair(extra: Record<string, string> = {}, now: () => number = clock.now) {
  const env = { ...RETRY_ENV, ...extra };
  return {
    fast: createInProcessGateway({ now, env }),
    plain: createInProcessGateway({ now, env, fastPath: false }),
  };
}

async function answer(harness: InProcessGateway, query: string, variables: Record<string, unknown>) {
  const response = await harness.fetch(
    new Request(IN_PROCESS_GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    }),
  );
  const body = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    // Upstream request ids are random per call: the one part of an answer two gateways cannot share.
    body: body.replace(/"requestId":"[^"]*"/g, '"requestId":"-"'),
  };
}

const metric = (fields: string) => `query ($users: [ID!]!, $from: DateTime, $to: DateTime) {
  callQuality(appId: "app1", roomId: "room1", userIds: $users, from: $from, to: $to) {
    userId final
    streams { direction peerId metrics(names: ["Rtt", "VideoRecvBitrate", "NoSuchMetric"]) { name unit ${fields} } }
  }
}`;

interface Case {
  readonly name: string;
  readonly query: string;
  readonly users?: number;
  readonly env?: Record<string, string>;
  /** Whether the answer has full-resolution columns, which the fast path stitches from kept slot text. */
  readonly kept?: boolean;
  /** Whether it has steps dividing the 5-minute slot, downsampled slot by slot on the fast path. */
  readonly downsampled?: boolean;
  /**
   * How many `streams` lists of the answer are printed whole by their plan (schema/streams-plan.ts), and found
   * printed again; none when its selection is not printable.
   */
  readonly printed?: number;
  readonly variables?: Record<string, unknown>;
  /**
   * Whether its body is kept whole for the next poll (resolvers/stitched-bodies.ts): it has columns, less than
   * 64 KB of other text, and no upstream request id (another on every call) in its errors.
   */
  readonly bodyKept?: boolean;
  /** Users beyond `users` that never joined the room: their streams are empty. */
  readonly absent?: number;
}

const CASES: readonly Case[] = [
  {
    name: 'full resolution',
    query: metric('series { times values }'),
    kept: true,
    printed: 2,
    bodyKept: true,
  },
  {
    name: 'step 60 with aggregates, aliases and __typename',
    query: metric(`avg: series(step: 60) { __typename times values }
      max: series(step: 60, aggregate: MAX) { values times }
      p95: series(step: 300, aggregate: P95) { values }
      straddling: series(step: 7, aggregate: LAST) { times values }
      hourly: series(step: 3600, aggregate: MIN) { times values }
      raw: series { values }`),
    kept: true,
    downsampled: true,
    printed: 2,
    bodyKept: true,
  },
  {
    name: 'fragments, keys asked twice, __typename, filtered streams and users without data',
    query: `query ($users: [ID!]!, $from: DateTime, $to: DateTime, $names: [String!], $step: Int) {
      callQuality(appId: "app1", roomId: "room1", userIds: $users, from: $from, to: $to) {
        __typename userId
        up: streams(direction: UP) { ...Sent }
        streams {
          __typename peerId metrics(names: $names) { name }
          ... on Stream { metrics(names: $names) { series(step: $step) { __typename values } description } }
          ... { direction }
        }
      }
    }
    fragment Sent on Stream { direction metrics { name unit series { times } } ...Named }
    fragment Named on Stream { metrics { name } }`,
    variables: { names: ['Rtt', 'AudioSendBitrate', 'Nope'], step: 30 },
    absent: 2,
    // Two users with data, two `streams` fields each.
    printed: 4,
    bodyKept: true,
  },
  {
    name: 'summaries beside points',
    query: metric('summary { count min max avg p95 last } points { time value }'),
  },
  {
    name: 'an error at a path beside columns',
    query: metric('good: series { times } bad: series(step: 0) { values }'),
    kept: true,
  },
  {
    name: 'null streams of a failed chunk, warnings',
    query: metric('series { values }'),
    users: 21,
    kept: true,
    printed: 20,
  },
  {
    name: 'the output limit error',
    query: metric('series { times values }'),
    env: { LIMIT_MAX_POINTS: '500' },
  },
  {
    name: 'a directive under streams, executed rather than printed',
    query: metric('series @include(if: true) { times values }'),
    kept: true,
    bodyKept: true,
  },
];

describe('the column fast path', () => {
  for (const { name, query, users = 2, env, kept = false, downsampled = false, ...more } of CASES) {
    it(`answers byte for byte what the plain path does: ${name}`, async () => {
      const { fast, plain } = pair(env);
      for (const harness of [fast, plain]) {
        harness.upstream.injectFault({ kind: 'http500', match: (call) => call.userIds.includes('user21') });
      }
      const absent = Array.from({ length: more.absent ?? 0 }, (_, i) => `absent${i + 1}`);
      const variables = { users: [...userIds(users), ...absent], from: FROM, to: TO, ...more.variables };
      const fastAnswer = await answer(fast, query, variables);
      const plainAnswer = await answer(plain, query, variables);

      expect(fastAnswer).toEqual(plainAnswer);
      expect(fastAnswer.body.length).toBeGreaterThan(100);
      // The fast path did stitch these columns from the slots' kept text.
      if (kept) expect(fast.fastPath?.columnText.stats().misses).toBeGreaterThan(0);
      if (downsampled) expect(fast.fastPath?.downsamples.stats().misses).toBeGreaterThan(0);
      // Asked again, twice: the same answer, warnings and errors included, whatever was kept before. The first
      // answer's streams were merged from fetched slots, the others' from cached ones: once printed from those,
      // every user's streams are found printed, and the whole body is the one stitched before. Empty streams
      // (users without data) are never kept.
      expect(await answer(fast, query, variables)).toEqual(plainAnswer);
      const printed = fast.fastPath?.printedStreams.stats();
      const stitched = fast.fastPath?.stitchedBodies.stats();
      expect(await answer(fast, query, variables)).toEqual(plainAnswer);
      const printedAgain = fast.fastPath?.printedStreams.stats();
      expect((printedAgain?.hits ?? 0) - (printed?.hits ?? 0)).toBe(more.printed ?? 0);
      // An answer whose streams fail is printed again each time: a failed print is never kept.
      if (more.printed !== undefined) expect(printedAgain?.misses).toBe(printed?.misses);
      const bodiesFound = (fast.fastPath?.stitchedBodies.stats().hits ?? 0) - (stitched?.hits ?? 0);
      expect(bodiesFound).toBe(more.bodyKept ? 1 : 0);
    });
  }

  it('spends again the points of streams found printed: the output budget holds as on the plain path', async () => {
    const query = metric('series { times values }');
    const probe = createInProcessGateway({ now: clock.now, env: RETRY_ENV, fastPath: false });
    const single = JSON.parse(
      (await answer(probe, query, { users: ['user1'], from: FROM, to: TO })).body,
    ) as {
      data: { callQuality: Array<{ streams: Array<{ metrics: Array<{ series: { times: unknown[] } }> }> }> };
    };
    const points = single.data.callQuality
      .flatMap((user) => user.streams.flatMap((stream) => stream.metrics))
      .reduce((sum, metric) => sum + metric.series.times.length, 0);
    // The same user twice: the second entry's streams are the first's, found printed within the operation.
    const variables = { users: ['user1', 'user1'], from: FROM, to: TO };
    for (const [limit, refused] of [
      [2 * points, false],
      [Math.floor(1.5 * points), true],
    ] as const) {
      const { fast, plain } = pair({ LIMIT_MAX_POINTS: String(limit) });
      const fastAnswer = await answer(fast, query, variables);
      expect(fastAnswer).toEqual(await answer(plain, query, variables));
      expect(fastAnswer.body.includes('OUTPUT_LIMIT_EXCEEDED')).toBe(refused);
      expect(fast.fastPath?.printedStreams.stats().hits).toBe(1);
    }
  });

  it('answers the last hour up to now, across the moving tail, as the plain path does', async () => {
    const { fast, plain } = pair();
    const query = `query ($users: [ID!]!) {
      callQuality(appId: "app1", roomId: "room1", userIds: $users, last: 3600) {
        streams { metrics(names: ["Rtt"]) { series { times values } tail: series(step: 60) { values } } }
      }
    }`;
    const fastAnswer = await answer(fast, query, { users: userIds(3) });
    expect(fastAnswer).toEqual(await answer(plain, query, { users: userIds(3) }));
    // Asked again, nothing is printed again: the users' streams are found printed, or their slots' text is.
    const printedBefore = fast.fastPath?.columnText.stats().misses;
    const again = await answer(fast, query, { users: userIds(3) });
    expect(again).toEqual(fastAnswer);
    expect(fast.fastPath?.columnText.stats().misses).toBe(printedBefore);
    const found =
      (fast.fastPath?.printedStreams.stats().hits ?? 0) + (fast.fastPath?.columnText.stats().hits ?? 0);
    expect(found).toBeGreaterThan(0);
  });

  it('polls a moving hour with the settled slots joined once, as the plain path answers', async () => {
    // A minute into a 5-minute slot (the default), so that neither end of the hour crosses a slot's edge, nor
    // does the settle line (100 s and a margin behind), while the polls move 30 s: every poll then has the
    // same whole slots between its ends, whatever the time the test runs at.
    const SLOT_MS = 300_000;
    const moving = manualClock(Math.floor(Date.now() / SLOT_MS) * SLOT_MS + 60_000);
    const { fast, plain } = pair({}, moving.now);
    const query = `query ($users: [ID!]!) {
      callQuality(appId: "app1", roomId: "room1", userIds: $users, last: 3600) {
        streams { metrics(names: ["Rtt", "VideoRecvBitrate"]) {
          series { times values } minute: series(step: 60) { times values } } }
      }
    }`;
    const variables = { users: userIds(3) };
    const polls = [];
    let joinedFirst: ReturnType<NonNullable<typeof fast.fastPath>['columnText']['joinedStats']> | undefined;
    for (let poll = 0; poll < 3; poll += 1) {
      polls.push({
        fast: await answer(fast, query, variables),
        plain: await answer(plain, query, variables),
      });
      joinedFirst ??= fast.fastPath?.columnText.joinedStats();
      moving.advance(15_000);
    }
    for (const { fast: fastAnswer, plain: plainAnswer } of polls) expect(fastAnswer).toEqual(plainAnswer);
    // The hour moved: the answers differ, but the settled slots between its ends are the same, joined by the
    // first poll and read again by the later ones, never joined again.
    expect(polls[1]?.fast.body).not.toEqual(polls[0]?.fast.body);
    const joined = fast.fastPath?.columnText.joinedStats();
    expect(joinedFirst?.misses).toBeGreaterThan(0);
    expect(joined?.misses).toBe(joinedFirst?.misses);
    expect(joined?.hits).toBeGreaterThan(joinedFirst?.hits ?? 0);
    expect(joined?.bytes).toBeGreaterThan(0);
  });

  it('leaves introspection to the public schema: no execution-only type shows', async () => {
    const { fast, plain } = pair();
    for (const query of [
      getIntrospectionQuery(),
      '{ __type(name: "Series") { fields { name type { kind } } } }',
    ]) {
      const fastAnswer = await answer(fast, query, {});
      expect(fastAnswer).toEqual(await answer(plain, query, {}));
      expect(fastAnswer.body).not.toContain('PrintedJson');
    }
  });
});
